// The explorer's controller: the URL is the state (entity, "as of" date, "as known on" moment,
// view, drawing options, path ends), every change goes through history.pushState, and render()
// draws the page for the current state, fetching what it needs from /query. While the page
// shows the graph as it is now, it follows the changes of what is on screen and redraws when
// one arrives.

import { gql, allRelations, GraphQLError, ENTITY, NEIGHBORHOOD, PATHS, TIMELINE, HISTORY, HISTORY_INFO } from './api.js';
import { Combobox } from './combobox.js';
import { Live } from './live.js';
import { historyContent } from './history.js';
import { renderGraph } from './graph.js';
import { timeAxis } from './timeaxis.js';
import { exportButtons } from './export.js';
import {
  entityCard, relationsTable, timelineView, pathsView, welcome, loading, errorState,
  notFound, emptyState,
} from './views.js';
import {
  h, checkDate, formatDate, formatTime, normalizeKnownAt, debounce, asOfWords, today, RELATION_TYPES, typeLabel,
} from './format.js';

const BASE = '/explore';
const VIEWS = { graph: 'Graph', table: 'Relations', timeline: 'Timeline', paths: 'Paths' };
const NODE_LIMIT = 200; // the drawing stays readable up to about this many entities
const YEAR_MIN = 1950;
const YEAR_MAX = Math.max(new Date().getFullYear() + 5, 2030);
const HISTORY_PAGE = 10; // revisions per page of the history panel

// ---- State and URLs -------------------------------------------------------------------

/** Reads the state from a URL such as /explore?id=avtotor&asOf=2021&view=graph. */
function parse(url) {
  const p = new URL(url, location.origin).searchParams;
  let view = p.get('view');
  if (!(view in VIEWS)) view = p.get('from') || p.get('to') ? 'paths' : 'graph';
  let types = null; // every type
  if (p.has('types')) types = p.get('types').split(',').filter((t) => t in RELATION_TYPES);
  return {
    id: p.get('id') || '',
    asOf: (p.get('asOf') || '').trim(),
    knownAt: (p.get('knownAt') || '').trim(),
    view,
    depth: p.get('depth') === '2' ? 2 : 1,
    types,
    from: view === 'paths' ? p.get('from') || '' : '',
    to: view === 'paths' ? p.get('to') || '' : '',
  };
}

/** The URL of a state; parameters in a fixed order, defaults left out. */
function href(st) {
  const parts = [];
  const add = (k, v) => parts.push(`${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`);
  if (st.id) add('id', st.id);
  if (st.asOf) add('asOf', st.asOf);
  if (st.knownAt) add('knownAt', st.knownAt);
  const view = st.view || 'graph';
  if (st.id || view !== 'graph') add('view', view);
  if (view === 'graph' && st.depth === 2) add('depth', '2');
  if (view === 'graph' && st.types) add('types', st.types.join(','));
  if (view === 'paths') {
    if (st.from) add('from', st.from);
    if (st.to) add('to', st.to);
  }
  return parts.length ? `${BASE}?${parts.join('&')}` : BASE;
}

let state = parse(location.href);

function go(next, { replace = false } = {}) {
  const url = href(next);
  if (url !== location.pathname + location.search) {
    history[replace ? 'replaceState' : 'pushState'](null, '', url);
  }
  state = parse(url);
  render();
}

function navigate(patch, opts) {
  go({ ...state, ...patch }, opts);
}

/** The link to an entity from the current view (the paths view links to the drawing). */
function entityHref(id) {
  return href({ ...state, id, view: state.view === 'paths' ? 'graph' : state.view });
}

// ---- Page elements ----------------------------------------------------------------------

const $ = (sel) => document.querySelector(sel);
const card = $('#entity-card');
const viewEl = $('#view');
const statusEl = $('#status');
const tabs = $('#tabs');
const yearInput = $('#asof-year');
const yearOut = $('#asof-year-out');
const dateForm = $('#asof-form');
const dateInput = $('#asof-date');
const dateError = $('#asof-error');
const asofSummary = $('#asof-summary');
const filtersPanel = $('#filters-panel');
const typeList = $('#type-list');
const historyPanel = $('#history-panel');
const knownForm = $('#known-form');
const knownInput = $('#known-at');
const knownError = $('#known-error');
const pastBanner = $('#past-banner');
const liveStatus = $('#live-status');

// Searches find what the graph held at the moment shown, like everything else on the page.
const searchVariables = () => ({ knownAt: state.knownAt || null });
const search = new Combobox($('#main-search'), {
  variables: searchVariables,
  onSelect: (e) => navigate({ id: e.id, view: state.view === 'paths' ? 'graph' : state.view }),
});

// The two ends of the paths view live as long as the page, so their text survives re-renders.
const fromBox = new Combobox(h('div'), { label: 'From', placeholder: 'First entity', variables: searchVariables, onSelect: (e) => navigate({ from: e.id }) });
const toBox = new Combobox(h('div'), { label: 'To', placeholder: 'Second entity', variables: searchVariables, onSelect: (e) => navigate({ to: e.id }) });
const pathsForm = h('form', { className: 'paths-form', on: { submit: (ev) => ev.preventDefault() } },
  h('h2', { className: 'visually-hidden' }, 'Find the paths between two entities'),
  fromBox.root,
  h('button', {
    type: 'button',
    className: 'swap',
    'aria-label': 'Swap from and to',
    title: 'Swap from and to',
    on: { click: () => navigate({ from: state.to, to: state.from }) },
  }, '⇄'),
  toBox.root);

// ---- Controls ---------------------------------------------------------------------------

yearInput.min = String(YEAR_MIN);
yearInput.max = String(YEAR_MAX);

// Moving the slider previews the year at once and asks again once it rests.
const commitYear = debounce((year) => navigate({ asOf: year }), 250);
yearInput.addEventListener('input', () => {
  yearOut.textContent = yearInput.value;
  dateInput.value = yearInput.value;
  $('#time-panel').classList.remove('is-all-time');
  commitYear(yearInput.value);
});
dateForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const v = dateInput.value.trim();
  if (!v) {
    navigate({ asOf: '' });
    return;
  }
  const problem = checkDate(v);
  showDateError(problem);
  if (!problem) navigate({ asOf: v });
});
dateInput.addEventListener('input', () => showDateError(''));
$('#asof-clear').addEventListener('click', () => {
  commitYear.cancel();
  navigate({ asOf: '' });
});

// "As known on": the graph as it was recorded at a moment. What the reader types is sent as is
// (after reading a bare day or a time without a zone as UTC): the server says what is wrong.
knownForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const v = knownInput.value.trim();
  knownError.textContent = '';
  navigate({ knownAt: v && v.toLowerCase() !== 'now' ? normalizeKnownAt(v) : '' });
});
knownInput.addEventListener('input', () => {
  knownError.textContent = '';
  knownInput.setAttribute('aria-invalid', 'false');
});
$('#known-now').addEventListener('click', () => navigate({ knownAt: '' }));

function showKnownError(message) {
  knownError.textContent = message;
  knownInput.setAttribute('aria-invalid', message ? 'true' : 'false');
}

function showDateError(message) {
  dateError.textContent = message;
  dateInput.setAttribute('aria-invalid', message ? 'true' : 'false');
}

for (const radio of document.querySelectorAll('input[name=depth]')) {
  radio.addEventListener('change', () => navigate({ depth: Number(radio.value) }));
}

for (const t of Object.keys(RELATION_TYPES)) {
  typeList.append(h('label', { className: 'type-option' },
    h('input', { type: 'checkbox', value: t, on: { change: onTypesChange } }),
    h('span', {}, typeLabel(t))));
}
function onTypesChange() {
  const boxes = [...typeList.querySelectorAll('input')];
  const checked = boxes.filter((b) => b.checked).map((b) => b.value);
  navigate({ types: checked.length === boxes.length ? null : checked });
}
$('#types-all').addEventListener('click', () => navigate({ types: null }));
$('#types-none').addEventListener('click', () => navigate({ types: [] }));

/** Puts the controls in line with the state (after back/forward, say). */
function syncControls() {
  const year = state.asOf ? Number(state.asOf.slice(0, 4)) : NaN;
  const allTime = !state.asOf;
  $('#time-panel').classList.toggle('is-all-time', allTime);
  if (!Number.isNaN(year)) yearInput.value = String(Math.min(Math.max(year, YEAR_MIN), YEAR_MAX));
  else yearInput.value = String(YEAR_MAX);
  yearInput.setAttribute('aria-valuetext', allTime ? 'All time' : state.asOf);
  yearOut.textContent = allTime ? 'All time' : state.asOf;
  if (document.activeElement !== dateInput) dateInput.value = state.asOf;
  const problem = state.asOf ? checkDate(state.asOf) : '';
  showDateError(problem);
  asofSummary.textContent = allTime ? 'Showing all time.' : `Showing the graph as of ${formatDate(state.asOf)}.`;

  const past = Boolean(state.knownAt);
  if (document.activeElement !== knownInput) knownInput.value = state.knownAt;
  document.body.classList.toggle('is-past', past);
  $('#known-panel').classList.toggle('is-now', !past);
  pastBanner.hidden = !past;
  showKnownError(''); // said again by render when the server refuses the moment
  if (past) {
    const shown = formatTime(state.knownAt);
    pastBanner.replaceChildren(
      h('strong', {}, 'Showing the past. '),
      `This is the graph as it was known on ${shown === state.knownAt ? `“${state.knownAt}”` : shown}: edits made since are not shown, and nothing updates live. `,
      h('a', { href: href({ ...state, knownAt: '' }), className: 'back-to-now' }, 'Back to now'));
  } else {
    pastBanner.replaceChildren();
  }

  for (const r of document.querySelectorAll('input[name=depth]')) r.checked = Number(r.value) === state.depth;
  for (const b of typeList.querySelectorAll('input')) b.checked = !state.types || state.types.includes(b.value);
  filtersPanel.hidden = state.view !== 'graph' || !state.id;
  setLayout();

  for (const a of tabs.querySelectorAll('a')) {
    const v = a.dataset.view;
    const target = v === 'paths' ? { ...state, view: v, from: state.from || state.id } : { ...state, view: v };
    const usable = v === 'paths' || Boolean(state.id);
    if (usable) a.setAttribute('href', href(target));
    else a.removeAttribute('href');
    a.setAttribute('aria-disabled', String(!usable));
    if (v === state.view && usable) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- Links and history ------------------------------------------------------------------

// Links inside the app change the state without reloading the page; modified clicks (new
// tab, new window) are left to the browser.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a');
  if (!a || a.target) return;
  const raw = a.getAttribute('href');
  if (!raw) return;
  const url = new URL(raw, location.href);
  if (url.origin !== location.origin || url.pathname.replace(/\/$/, '') !== BASE) return;
  ev.preventDefault();
  go(parse(url.href));
});

window.addEventListener('popstate', () => {
  state = parse(location.href);
  render();
});

// A page being left lets its change feed go at once (the browser may keep the page in its
// back-forward cache, stream and all); one brought back from that cache asks again.
window.addEventListener('pagehide', () => live.stop());
document.addEventListener('visibilitychange', () => {
  if (document.hidden) live.pause();
  else live.resume();
});
window.addEventListener('pageshow', (ev) => {
  if (ev.persisted) {
    cache.clear();
    render();
  }
});

// ---- Fetching ---------------------------------------------------------------------------

// Answers by query and variables, so back and forward redraw at once. Failures are not kept.
// A change to the graph empties it (see onChange): answers about "now" go stale.
const cache = new Map();
function cached(key, fetcher) {
  const k = JSON.stringify(key);
  if (cache.has(k)) {
    const v = cache.get(k);
    cache.delete(k);
    cache.set(k, v); // most recently used last
    return v;
  }
  const p = fetcher();
  cache.set(k, p);
  p.catch(() => cache.delete(k));
  while (cache.size > 60) cache.delete(cache.keys().next().value);
  return p;
}

const fetchEntity = (id, knownAt) => cached(['entity', id, knownAt], () => gql(ENTITY, { id, knownAt: knownAt || null }).then((d) => d.entity));

// ---- Live updates -----------------------------------------------------------------------

// The revision the page reflects when it first draws: the feed resumes after it, so that a
// change made between this answer and the feed's start is not missed. A server without history
// leaves it unknown, and the feed starts from its connection.
const boot = gql(HISTORY_INFO)
  .then((d) => (d.historyInfo.last ? d.historyInfo.last.number : 0))
  .catch(() => null);

let lastChange = null; // the newest change notice, for the live line
const live = new Live({ onChange, onStatus: showLive });

// A burst of changes (an import, a curator's quick edits) redraws once. A node of the drawing
// that had the focus gets it back.
let refocusNode = '';
const refresh = debounce(() => {
  if (state.knownAt) return;
  const node = document.activeElement && document.activeElement.closest && document.activeElement.closest('.graph-svg .node');
  refocusNode = node ? node.dataset.id : '';
  render({ live: true });
}, 150);

function onChange(ev) {
  cache.clear();
  lastChange = ev;
  showLive(live.state);
  refresh();
}

function showLive(st, message = '') {
  liveStatus.dataset.state = state.knownAt ? 'off' : st;
  let text = '';
  if (state.knownAt) text = '';
  else if (st === 'live') text = 'Live: changes appear as they are made.';
  else if (st === 'connecting') text = 'Connecting to live updates…';
  else if (st === 'retrying') text = 'Live updates interrupted; reconnecting…';
  else if (st === 'paused') text = 'Live updates resume when this tab is in view.';
  else if (st === 'unavailable') text = `Live updates are not available${message ? `: ${message}` : '.'}`;
  const parts = [text];
  if (lastChange && !state.knownAt && st !== 'off') {
    const who = lastChange.actor && lastChange.actor.name;
    parts.push(h('span', { className: 'last-change' }, ` Last change: revision ${lastChange.revision}${who ? ` by ${who}` : ''}, ${formatTime(lastChange.at)}.`));
  }
  liveStatus.replaceChildren(...parts);
}

let renderSeq = 0;

/** Waits for `promise`, showing a loading message if it takes more than a moment. */
async function withLoading(promise, what, seq, target = viewEl) {
  viewEl.setAttribute('aria-busy', 'true');
  const timer = setTimeout(() => {
    if (seq === renderSeq) target.replaceChildren(loading(what));
  }, 150);
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
    if (seq === renderSeq) viewEl.removeAttribute('aria-busy');
  }
}

class Stale extends Error {}

// ---- Rendering --------------------------------------------------------------------------

let graph = null; // the current drawing
let axis = null; // the time axis on screen
let focusCursor = false; // give the axis cursor the focus back after the date it set is drawn
let lastGraph = null; // what the previous drawing showed, to tell what changed with the date
let focusCenter = false; // move the focus to the new centre after a node was chosen

async function render({ live: isLive = false } = {}) {
  const seq = ++renderSeq;
  const st = state;
  if (!isLive) lastChange = null;
  if (st.knownAt) live.stop();
  else {
    const n = await boot;
    if (seq !== renderSeq) return;
    live.seen(n);
  }
  const check = () => {
    if (seq !== renderSeq) throw new Stale();
  };
  syncControls();
  if (graph && st.view !== 'graph') {
    graph.destroy();
    graph = null;
  }
  if (axis && st.view !== 'timeline') {
    axis.destroy();
    axis = null;
  }
  try {
    if (st.asOf && checkDate(st.asOf)) {
      card.hidden = true;
      filtersPanel.hidden = true;
      historyPanel.hidden = true;
      live.stop();
      setTitle('Invalid date');
      statusEl.textContent = '';
      viewEl.replaceChildren(emptyState(`The date “${st.asOf}” is not valid: ${checkDate(st.asOf)}`,
        h('p', {}, h('a', { href: href({ ...st, asOf: '' }) }, 'Show all time instead'))));
      return;
    }
    if (st.view === 'paths' || !st.id) {
      historyPanel.hidden = true;
      historyPanel.replaceChildren();
      historyFor = '';
      live.stop();
    }
    if (st.view === 'paths') {
      await renderPaths(st, seq, check);
      return;
    }
    if (!st.id) {
      card.hidden = true;
      card.replaceChildren();
      search.setValue(null);
      setTitle('');
      statusEl.textContent = '';
      viewEl.replaceChildren(welcome(href));
      return;
    }
    const entity = await withLoading(fetchEntity(st.id, st.knownAt), 'the entity', seq);
    check();
    if (!entity) {
      card.hidden = true;
      filtersPanel.hidden = true;
      card.replaceChildren();
      setTitle('Not found');
      if (st.knownAt) {
        statusEl.textContent = `No entity with id “${st.id}” as known on ${formatTime(st.knownAt)}.`;
        viewEl.replaceChildren(emptyState(`The graph held no entity with id “${st.id}” as it was known on ${formatTime(st.knownAt)}.`,
          h('p', {}, h('a', { href: href({ ...st, knownAt: '' }) }, 'See it as it is now'))));
        // What happened to it is still told by its history.
        showHistory(st, { id: st.id, name: `“${st.id}”` });
      } else {
        historyPanel.hidden = true;
        statusEl.textContent = `No entity with id “${st.id}”.`;
        viewEl.replaceChildren(notFound(st.id, BASE));
        live.follow([st.id]); // it appears here as soon as it is created
      }
      return;
    }
    card.replaceChildren(...entityCard(entity, entityHref));
    card.classList.remove('is-open');
    card.hidden = false;
    setLayout(); // before drawing: the drawing takes the shape of the room it gets
    if (document.activeElement !== search.input) search.setValue(entity);
    setTitle(`${entity.name} — ${VIEWS[st.view]}${st.knownAt ? `, as known on ${formatTime(st.knownAt)}` : ''}`);
    showHistory(st, entity);
    let drawnIds = [];
    if (st.view === 'graph') drawnIds = await renderGraphView(st, entity, seq, check);
    else if (st.view === 'table') await renderTable(st, entity, seq, check);
    else await renderTimeline(st, entity, seq, check);
    if (!st.knownAt) live.follow([st.id, ...drawnIds]);
    if (isLive && lastChange) statusEl.textContent += ` Updated live: revision ${lastChange.revision}.`;
  } catch (err) {
    if (err instanceof Stale || err.name === 'AbortError' || seq !== renderSeq) return;
    card.hidden = true;
    filtersPanel.hidden = true;
    historyPanel.hidden = true;
    live.stop();
    // A moment the server refuses (not a time, before the history kept): its words, by the field.
    if (st.knownAt && err instanceof GraphQLError) showKnownError(err.message);
    statusEl.textContent = 'The last request failed.';
    viewEl.removeAttribute('aria-busy');
    // In the paths view the two search boxes stay, so the reader can change an end.
    const target = (st.view === 'paths' && viewEl.querySelector('.paths-output')) || viewEl;
    target.replaceChildren(errorState(err, () => render()));
  } finally {
    if (seq === renderSeq) setLayout();
  }
}

/** Lets the layout drop the side column when it has nothing to show. */
function setLayout() {
  document.body.classList.toggle('has-side', !card.hidden || !filtersPanel.hidden || !historyPanel.hidden);
}

function setTitle(what) {
  document.title = what ? `${what} · Autograph explorer` : 'Autograph explorer';
}

const when = (asOf) => (asOf ? ` as of ${formatDate(asOf)}` : '');

// ---- History panel ----------------------------------------------------------------------

let historyFor = ''; // the entity whose history the panel holds
let historyPage = null; // { revisions, hasMore, endCursor, loading, error }
let historySeq = 0;

const historyKnownHref = (st) => (at) => href({ ...st, knownAt: at });

function drawHistory(st, entity) {
  historyPanel.replaceChildren(...historyContent(entity, historyPage, {
    knownAt: st.knownAt,
    knownHref: historyKnownHref(st),
    onMore: () => moreHistory(st, entity),
  }));
}

/** Shows the first page of an entity's revisions (asked again after every change). */
async function showHistory(st, entity) {
  const seq = ++historySeq;
  const fresh = historyFor !== entity.id;
  historyFor = entity.id;
  if (fresh || !historyPage) historyPage = { revisions: [], hasMore: false, endCursor: null, loading: true, error: null };
  historyPanel.hidden = false;
  setLayout();
  drawHistory(st, entity);
  try {
    const conn = await cached(['history', entity.id], () => gql(HISTORY, { id: entity.id, first: HISTORY_PAGE }).then((d) => d.history));
    if (seq !== historySeq) return;
    historyPage = { revisions: conn.nodes, hasMore: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor, loading: false, error: null };
  } catch (err) {
    if (seq !== historySeq || err.name === 'AbortError') return;
    historyPage = { revisions: [], hasMore: false, endCursor: null, loading: false, error: err };
  }
  drawHistory(st, entity);
}

/** Appends the next page of revisions; the focus moves to the first of them. */
async function moreHistory(st, entity) {
  const seq = historySeq;
  const page = historyPage;
  if (!page || !page.hasMore || page.loading) return;
  const first = page.revisions.length;
  historyPage = { ...page, loading: true };
  drawHistory(st, entity);
  try {
    const d = await gql(HISTORY, { id: entity.id, first: HISTORY_PAGE, after: page.endCursor });
    if (seq !== historySeq) return;
    historyPage = { revisions: [...page.revisions, ...d.history.nodes], hasMore: d.history.pageInfo.hasNextPage, endCursor: d.history.pageInfo.endCursor, loading: false, error: null };
  } catch (err) {
    if (seq !== historySeq) return;
    historyPage = { ...page, loading: false, error: err };
  }
  drawHistory(st, entity);
  historyPanel.querySelectorAll('.revision')[first]?.setAttribute('tabindex', '-1');
  historyPanel.querySelectorAll('.revision')[first]?.focus();
}

async function renderGraphView(st, entity, seq, check) {
  if (st.types && !st.types.length) {
    statusEl.textContent = 'No relation type is selected.';
    viewEl.replaceChildren(emptyState('Choose at least one relation type to draw.'));
    return [];
  }
  const vars = { id: st.id, depth: st.depth, types: st.types, asOf: st.asOf || null, limit: NODE_LIMIT, knownAt: st.knownAt || null };
  const sub = await withLoading(cached(['nb', vars], () => gql(NEIGHBORHOOD, vars).then((d) => d.neighborhood)), 'the drawing', seq);
  check();

  // What came and went since the previous drawing of the same neighbourhood at another date.
  const typesKey = JSON.stringify(st.types);
  const names = new Map(sub.nodes.map((n) => [n.id, n.name]));
  let changes = null;
  if (lastGraph && lastGraph.id === st.id && lastGraph.depth === st.depth && lastGraph.typesKey === typesKey && lastGraph.asOf !== st.asOf) {
    const arrived = sub.nodes.filter((n) => !lastGraph.names.has(n.id)).map((n) => n.name);
    const left = [...lastGraph.names].filter(([id]) => !names.has(id)).map(([, name]) => name);
    changes = { from: lastGraph.asOf, arrived, left, arrivedIds: new Set(sub.nodes.filter((n) => !lastGraph.names.has(n.id)).map((n) => n.id)) };
  }
  lastGraph = { id: st.id, depth: st.depth, typesKey, asOf: st.asOf, names };

  const hops = st.depth === 1 ? '1 hop' : `${st.depth} hops`;
  statusEl.textContent = `${entity.name}, ${hops}${when(st.asOf)}: ${sub.nodes.length} entities, ${sub.relations.length} relations.`;
  const parts = [];
  if (changes && (changes.arrived.length || changes.left.length)) {
    const list = (label, items, cls) => (items.length
      ? h('p', { className: `change ${cls}` }, h('strong', {}, label), ' ', items.join(', '))
      : null);
    // Said once more, in words, for screen readers (the summary region is always there).
    asofSummary.textContent = [
      `As of ${formatDate(st.asOf) || 'all time'}, compared with ${changes.from ? formatDate(changes.from) : 'all time'}.`,
      changes.arrived.length ? `Arrived: ${changes.arrived.join(', ')}.` : '',
      changes.left.length ? `Left: ${changes.left.join(', ')}.` : '',
    ].join(' ');
    parts.push(h('div', { className: 'changes' },
      h('p', { className: 'change-head' }, `Compared with ${changes.from ? formatDate(changes.from) : 'all time'}:`),
      list('Arrived:', changes.arrived, 'arrived'),
      list('Left:', changes.left, 'left')));
  }
  if (sub.truncated) {
    parts.push(h('p', { className: 'notice' }, `Showing the nearest ${sub.nodes.length} entities only. Choose fewer relation types or one hop to see all of them.`));
  }
  if (sub.relations.length === 0) {
    parts.push(emptyState(`${entity.name} has no relations${st.types ? ' of the chosen types' : ''}${when(st.asOf)}.`));
  }
  const holder = h('div', { className: 'graph-holder' });
  parts.push(holder);
  viewEl.replaceChildren(...parts);
  if (graph) graph.destroy();
  const tools = exportButtons(() => ({
    svg: graph.svg,
    box: graph.layout.bbox,
    name: fileName(entity, st),
    legend: [...holder.querySelectorAll('.graph-legend li')].map((li) => ({ symbol: li.querySelector('svg'), label: li.textContent })),
    caption: [
      `${entity.name}, ${hops}, ${st.asOf ? `as of ${formatDate(st.asOf)}` : 'all time'}: ${sub.nodes.length} entities, ${sub.relations.length} relations`,
      `Relations drawn as they stood ${asOfWords(st.asOf)}. ${sourcesLine(sub.relations)}`,
      `autograph explorer, ${formatDate(today())}: ${location.href}`,
    ],
  }));
  graph = renderGraph(holder, {
    tools,
    subgraph: sub,
    centerId: st.id,
    asOf: st.asOf,
    title: `Neighbourhood of ${entity.name}${when(st.asOf)}: ${sub.nodes.length} entities and ${sub.relations.length} relations`,
    hrefFor: (id) => href({ ...st, id }),
    onSelect: (id) => {
      focusCenter = true;
      navigate({ id });
    },
  });
  if (changes) for (const id of changes.arrivedIds) graph.svg.querySelector(`.node[data-id="${CSS.escape(id)}"]`)?.classList.add('is-new');
  if (focusCenter) {
    focusCenter = false;
    graph.svg.querySelector('.node.is-center')?.focus();
  }
  if (refocusNode) {
    graph.svg.querySelector(`.node[data-id="${CSS.escape(refocusNode)}"]`)?.focus();
    refocusNode = '';
  }
  return sub.nodes.map((n) => n.id);
}

async function renderTable(st, entity, seq, check) {
  const res = await withLoading(cached(['rels', st.id, st.asOf, st.knownAt], () => allRelations(st.id, st.asOf, st.knownAt)), 'the relations', seq);
  check();
  statusEl.textContent = `${entity.name}${when(st.asOf)}: ${res.relations.length} relations.`;
  viewEl.replaceChildren(relationsTable(entity, res.relations, { asOf: st.asOf, total: res.total, hrefFor: entityHref }));
}

async function renderTimeline(st, entity, seq, check) {
  const [entries, rels] = await withLoading(Promise.all([
    cached(['timeline', st.id, st.knownAt], () => gql(TIMELINE, { id: st.id, knownAt: st.knownAt || null }).then((d) => d.timeline)),
    cached(['rels', st.id, '', st.knownAt], () => allRelations(st.id, '', st.knownAt)),
  ]), 'the timeline', seq);
  check();
  const relations = rels ? rels.relations : [];
  statusEl.textContent = `${entity.name}: ${relations.length} relations, ${entries.length} events${when(st.asOf)}.`;
  const holder = h('div', { className: 'axis-holder' });
  const section = h('section', { className: 'time-axis-view', 'aria-labelledby': 'axis-heading' },
    h('h2', { id: 'axis-heading' }, `${entity.name} over time`),
    h('p', { className: 'hint' }, 'Drag the cursor, or focus it and use the arrow keys, to see the graph as of another date.'),
    holder,
    axisLegend(st.asOf));
  viewEl.replaceChildren(section, timelineView(entity, entries, { asOf: st.asOf, hrefFor: entityHref }));
  section.querySelector('h2').after(h('div', { className: 'axis-tools' }, exportButtons(() => ({
    svg: axis.svg,
    box: { x: 0, y: 0, width: Number(axis.svg.getAttribute('width')), height: Number(axis.svg.getAttribute('height')) },
    name: `${fileName(entity, st)}-timeline`,
    legend: [],
    caption: [
      `${entity.name} over time: ${relations.length} relations, ${entries.length} events; cursor ${st.asOf ? `at ${formatDate(st.asOf)}` : 'at today'}`,
      `Bars show each relation's period, coloured as it stood ${asOfWords(st.asOf)}; hatched: planned; faded: open end. ${sourcesLine(relations)}`,
      `autograph explorer, ${formatDate(today())}: ${location.href}`,
    ],
  }), 'small-button')));
  if (axis) axis.destroy();
  axis = timeAxis(holder, {
    entity,
    relations,
    events: entries,
    asOf: st.asOf,
    onAsOf: (date) => {
      focusCursor = document.activeElement && document.activeElement.closest && Boolean(document.activeElement.closest('.time-axis .cursor'));
      navigate({ asOf: date });
    },
  });
  if (focusCursor) {
    focusCursor = false;
    axis.svg.querySelector('.cursor').focus({ preventScroll: true });
  }
}

/** A file name for an export: autograph-avtotor-2021. */
function fileName(entity, st) {
  return ['autograph', entity.id, st.view === 'graph' && st.depth === 2 ? '2-hops' : '', st.asOf || 'all-time'].filter(Boolean).join('-');
}

/** "Sources: 3 (TASS, Interfax, …)": the distinct sources the relations cite. */
function sourcesLine(relations) {
  const ids = new Set();
  const publishers = [];
  for (const r of relations) {
    for (const src of r.sources || []) {
      if (ids.has(src.id)) continue;
      ids.add(src.id);
      const name = src.publisher && src.publisher.name;
      if (name && !publishers.includes(name)) publishers.push(name);
    }
  }
  const names = publishers.length > 3 ? `${publishers.slice(0, 3).join(', ')}, …` : publishers.join(', ');
  return `Sources: ${ids.size}${names ? ` (${names})` : ''}.`;
}

/** What the bars of the time axis look like. */
function axisLegend(asOf) {
  const item = (cls, label) => h('li', {}, h('span', { className: `axis-swatch ${cls}`, 'aria-hidden': 'true' }), label);
  return h('ul', { className: 'axis-legend', 'aria-label': 'Legend of the time axis' },
    item('state-ACTIVE', `In force ${asOf ? `as of ${formatDate(asOf)}` : 'today'}`),
    item('state-ENDED', 'Ended by then'),
    item('state-LATER', 'Not yet begun'),
    item('is-planned', 'Planned (hatched)'),
    item('is-open', 'Open end (fades out)'),
    h('li', {}, h('span', { className: 'axis-swatch event-tick-swatch', 'aria-hidden': 'true' }), 'Event'));
}

async function renderPaths(st, seq, check) {
  card.hidden = true;
  setTitle('Paths');
  const result = h('div', { className: 'paths-output' });
  viewEl.replaceChildren(pathsForm, result);
  const ids = [st.from, st.to];
  const ends = await withLoading(Promise.all(ids.map((id) => (id ? fetchEntity(id, st.knownAt) : null))), 'the entities', seq, result);
  check();
  const [from, to] = ends;
  fromBox.setValue(from);
  toBox.setValue(to);
  const missing = ids.find((id, i) => id && !ends[i]);
  if (missing) {
    statusEl.textContent = `No entity with id “${missing}”.`;
    result.replaceChildren(notFound(missing, href({ view: 'paths' })));
    return;
  }
  if (!from || !to) {
    statusEl.textContent = '';
    result.replaceChildren(emptyState('Pick two entities to see every shortest path between them, with the relation, period and sources of each step.'));
    return;
  }
  if (from.id === to.id) {
    statusEl.textContent = '';
    result.replaceChildren(emptyState('Pick two different entities.'));
    return;
  }
  const vars = { from: st.from, to: st.to, asOf: st.asOf || null, knownAt: st.knownAt || null };
  const paths = await withLoading(cached(['paths', vars], () => gql(PATHS, vars).then((d) => d.paths)), 'the paths', seq, result);
  check();
  statusEl.textContent = `${paths.length} shortest path${paths.length === 1 ? '' : 's'} from ${from.name} to ${to.name}${when(st.asOf)}.`;
  setTitle(`${from.name} to ${to.name} — Paths`);
  result.replaceChildren(pathsView(paths, { from, to, asOf: st.asOf, hrefFor: entityHref }));
}

render();
