// The query console: GraphQL against /query from a page built into the server, so it works
// where GraphiQL's CDN cannot be reached. The address holds the state (the example chosen, the
// query and variables when they differ from it, the type shown in the schema browser); picking
// an example or a type adds a history entry, so Back and Forward step through them.

import { h } from './format.js';
import { editor } from './editor.js';
import { INTROSPECTION, renderSchema } from './schema.js';

const ENDPOINT = '/query';
const BASE = location.pathname;

const $ = (sel) => document.querySelector(sel);
const exampleSelect = $('#example');
const exampleTitle = $('#example-title');
const form = $('#console-form');
const tokenInput = $('#token');
const varsError = $('#variables-error');
const resultEl = $('#result');
const resultMeta = $('#result-meta');
const schemaEl = $('#schema-body');

let examples = [];
let schema = null;

const queryEd = editor($('#query'), { onRun: run, onChange: () => saveSoon() });
const varsEd = editor($('#variables'), { onRun: run, onChange: () => { showVarsError(''); saveSoon(); } });

// ---- State and URLs ---------------------------------------------------------------------

function parse(url) {
  const p = new URL(url, location.origin).searchParams;
  return {
    example: p.get('example') || '',
    query: p.has('query') ? p.get('query') : null,
    variables: p.has('variables') ? p.get('variables') : null,
    type: p.get('type') || '',
  };
}

function exampleByName(name) {
  return examples.find((e) => e.name === name) || null;
}

/** The state of the page now: the texts are left out when they are the example's own. */
function current() {
  const ex = exampleByName(exampleSelect.value);
  const query = queryEd.get();
  const variables = varsEd.get();
  const own = ex && query === ex.query && variables === ex.variables;
  return {
    example: ex ? ex.name : '',
    query: own ? null : query,
    variables: own || variables === '' ? null : variables,
    type: state.type,
  };
}

function href(st) {
  const p = new URLSearchParams();
  if (st.example) p.set('example', st.example);
  if (st.query !== null) p.set('query', st.query);
  if (st.variables !== null) p.set('variables', st.variables);
  if (st.type) p.set('type', st.type);
  const q = p.toString();
  return q ? `${BASE}?${q}` : BASE;
}

let state = parse(location.href);

function save(mode) {
  clearTimeout(saveTimer);
  state = current();
  const url = href(state);
  if (url !== location.pathname + location.search) history[mode](null, '', url);
}
let saveTimer = 0;
const saveSoon = () => {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => save('replaceState'), 300);
};

/** Puts the page in line with `state` (at start, and after Back or Forward). */
function apply() {
  const ex = exampleByName(state.example);
  exampleSelect.value = ex ? ex.name : '';
  exampleTitle.textContent = ex ? ex.title : '';
  queryEd.set(state.query !== null ? state.query : ex ? ex.query : '');
  varsEd.set(state.variables !== null ? state.variables : ex ? ex.variables : '');
  showVarsError('');
  showSchema();
}

window.addEventListener('popstate', () => {
  clearTimeout(saveTimer);
  state = parse(location.href);
  apply();
});

exampleSelect.addEventListener('change', () => {
  const ex = exampleByName(exampleSelect.value);
  if (ex) {
    queryEd.set(ex.query);
    varsEd.set(ex.variables);
  }
  exampleTitle.textContent = ex ? ex.title : '';
  showVarsError('');
  save('pushState');
});

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  run();
});

// ---- Running ----------------------------------------------------------------------------

function showVarsError(message) {
  varsError.textContent = message;
  $('#variables').setAttribute('aria-invalid', message ? 'true' : 'false');
}

/** The variables as an object, or an error message saying what is wrong with them. */
function readVariables(text) {
  if (!text.trim()) return { value: {} };
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `The variables are not valid JSON: ${err.message}. Write them as an object, e.g. {"date": "2023-02"}.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'The variables must be a JSON object, e.g. {"date": "2023-02"}.' };
  }
  return { value };
}

/**
 * The operation to run when the document has several: the one the caret is in (or the first).
 * Null when there is at most one, which the server picks itself.
 */
function operationAt(text, caret) {
  const ops = [...text.matchAll(/^(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/gm)];
  if (ops.length < 2) return null;
  let name = ops[0][1];
  for (const m of ops) if (m.index <= caret) name = m[1];
  return name;
}

let runSeq = 0;

async function run() {
  save('replaceState');
  const vars = readVariables(varsEd.get());
  if (vars.error) {
    showVarsError(vars.error);
    resultMeta.textContent = '';
    resultEl.replaceChildren(h('p', { className: 'result-error' }, 'Not sent: ', vars.error));
    return;
  }
  showVarsError('');
  const seq = ++runSeq;
  const query = queryEd.get();
  const body = { query, variables: vars.value };
  const op = operationAt(query, $('#query').selectionStart);
  if (op) body.operationName = op;
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  if (tokenInput.value.trim()) headers.Authorization = `Bearer ${tokenInput.value.trim()}`;
  resultEl.setAttribute('aria-busy', 'true');
  resultMeta.textContent = 'Running…';
  const started = performance.now();
  let response;
  let answer;
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(body) });
    answer = await response.json();
  } catch (err) {
    if (seq !== runSeq) return;
    resultEl.setAttribute('aria-busy', 'false');
    resultMeta.textContent = response ? `HTTP ${response.status}` : '';
    resultEl.replaceChildren(h('p', { className: 'result-error' },
      response ? `The server answered ${response.status} without a GraphQL response.` : 'No answer from /query: check that the server is running.'));
    return;
  }
  if (seq !== runSeq) return;
  const ms = Math.round(performance.now() - started);
  resultEl.setAttribute('aria-busy', 'false');
  const errors = Array.isArray(answer.errors) ? answer.errors.length : 0;
  // The status line is what a screen reader hears: the outcome, not the whole answer.
  resultMeta.textContent = `HTTP ${response.status} · ${ms} ms${op ? ` · ${op}` : ''}${errors ? ` · ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
  resultEl.replaceChildren(...renderAnswer(answer));
}

/** The errors of an answer, each with its code, then the whole answer as pretty JSON. */
function renderAnswer(answer) {
  const out = [];
  if (Array.isArray(answer.errors) && answer.errors.length) {
    out.push(h('ul', { className: 'answer-errors', 'aria-label': 'Errors' }, answer.errors.map((e) => {
      const code = e.extensions && e.extensions.code;
      const where = [
        e.locations && e.locations.length ? `line ${e.locations[0].line}, column ${e.locations[0].column}` : '',
        e.path ? `at ${e.path.join('.')}` : '',
      ].filter(Boolean).join(' ');
      return h('li', { className: 'answer-error' },
        code ? h('code', { className: 'error-code' }, code) : null,
        h('span', { className: 'error-message' }, e.message),
        where ? h('span', { className: 'muted' }, ` (${where})`) : null);
    })));
  }
  out.push(h('pre', { className: 'json' }, highlight(JSON.stringify(answer, null, 2))));
  return out;
}

/** Pretty JSON as text nodes and spans for keys, strings, numbers and literals. */
function highlight(text) {
  const parts = [];
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const cls = m[2] ? 'j-key' : m[1] ? 'j-str' : /^[tfn]/.test(m[0]) ? 'j-lit' : 'j-num';
    parts.push(h('span', { className: cls }, m[1] || m[0]));
    if (m[2]) parts.push(m[2]);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

// ---- Schema -----------------------------------------------------------------------------

function showSchema() {
  if (!schema) return;
  renderSchema(schemaEl, schema, {
    selected: state.type,
    hrefFor: (name) => href({ ...current(), type: name }),
    onPick: (name) => {
      state.type = name;
      save('pushState');
      showSchema();
      schemaEl.querySelector('#schema-type')?.focus();
    },
  });
}

async function loadSchema() {
  try {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    const answer = await response.json();
    if (answer.errors && answer.errors.length) {
      const e = answer.errors[0];
      schemaEl.replaceChildren(h('p', { className: 'result-error' }, 'The schema could not be read: ', e.message,
        e.extensions && e.extensions.code ? ` (${e.extensions.code})` : '', '. Introspection may be turned off on this server (KG_INTROSPECTION).'));
      return;
    }
    schema = answer.data.__schema;
    showSchema();
  } catch {
    schemaEl.replaceChildren(h('p', { className: 'result-error' }, 'The schema could not be read: no answer from /query.'));
  }
}

// ---- Start ------------------------------------------------------------------------------

async function start() {
  try {
    const response = await fetch(new URL('./examples.json', import.meta.url));
    examples = await response.json();
  } catch {
    examples = [];
    exampleTitle.textContent = 'The example questions could not be loaded.';
  }
  exampleSelect.append(...examples.map((e) => h('option', { value: e.name }, e.title.replace(/^(\d+)\.\s*/, '$1. '))));
  if (!state.example && state.query === null && examples.length) {
    state.example = examples[0].name;
    history.replaceState(null, '', href(state));
  }
  apply();
  document.body.dataset.ready = 'true';
  loadSchema();
}

start();
