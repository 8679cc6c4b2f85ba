// The page at /: loads GraphiQL from its CDN (the files and their integrity hashes come in the
// page, from web/playground.go) and mounts it on /query. When a file fails to load, or they
// have not all arrived after TIMEOUT_MS (offline, or behind a proxy that drops the requests),
// it replaces "Loading…" with a sentence and a link to the query console built into the
// server, rather than leaving the reader waiting.

const TIMEOUT_MS = 4000;

const root = document.getElementById('graphiql');
const status = document.getElementById('pg-status');
const assets = JSON.parse(root.dataset.assets);
let settled = false;

function fail(reason) {
  if (settled) return;
  settled = true;
  const link = document.createElement('a');
  link.href = document.getElementById('console-link').getAttribute('href');
  link.textContent = 'Open the query console';
  const p = document.createElement('p');
  p.className = 'pg-failed';
  p.setAttribute('role', 'alert');
  p.append(`GraphiQL could not be loaded from its CDN, cdn.jsdelivr.net (${reason}): this page needs the internet. `,
    'The query console is built into this server and works offline, with the example questions and a schema browser: ',
    link, '.');
  status.replaceChildren(p);
  document.body.dataset.graphiql = 'failed';
}

/** Adds a script or stylesheet from the CDN; resolves when it has loaded. */
function add(asset) {
  return new Promise((resolve, reject) => {
    const el = document.createElement(asset.kind === 'style' ? 'link' : 'script');
    if (asset.kind === 'style') {
      el.rel = 'stylesheet';
      el.href = asset.url;
    } else {
      el.src = asset.url;
      el.async = false; // run in the order added: React, ReactDOM, then GraphiQL
    }
    el.integrity = asset.integrity;
    el.crossOrigin = 'anonymous';
    el.addEventListener('load', resolve);
    el.addEventListener('error', () => reject(new Error(`${asset.url.slice(asset.url.lastIndexOf('/') + 1)} did not load`)));
    document.head.append(el);
  });
}

const timer = setTimeout(() => fail(`its files had not arrived after ${TIMEOUT_MS / 1000} seconds`), TIMEOUT_MS);

Promise.all(assets.map(add)).then(() => {
  clearTimeout(timer);
  if (settled) return; // too late: the reader has the link to the console already
  const { React, ReactDOM, GraphiQL } = window;
  if (!React || !ReactDOM || !GraphiQL) {
    fail('its files loaded but did not start');
    return;
  }
  settled = true;
  const fetcher = GraphiQL.createFetcher({ url: new URL(root.dataset.endpoint, location.href).href });
  const app = React.createElement(GraphiQL, { fetcher });
  status.remove();
  if (ReactDOM.createRoot) ReactDOM.createRoot(root).render(app);
  else ReactDOM.render(app, root);
  document.body.dataset.graphiql = 'ready';
}, (err) => {
  clearTimeout(timer);
  fail(err.message);
});
