// The explorer's views other than the drawing: the entity card, the relations table, the
// timeline, the paths between two entities, and the empty, loading and error states. Each
// function builds DOM from API data; none fetches anything.

import {
  h, s, kindLabel, enumWords, formatDate, formatPeriod, stateAt, asOfWords,
  RELATION_TYPES, STATES, TIMELINE_KINDS,
} from './format.js';
import { shape } from './graph.js';
import { NetworkError } from './api.js';

/** A small symbol of an entity kind, as in the drawing. */
export function kindSymbol(kind) {
  return s('svg', { class: `kind-symbol kind-${kind}`, width: 14, height: 14, viewBox: '-8 -8 16 16', 'aria-hidden': 'true' }, shape(kind, 5.5));
}

/** A link to an entity (its page in the explorer), with its kind symbol. */
export function entityLink(entity, href) {
  return h('a', { href, className: 'entity-link', 'data-id': entity.id }, kindSymbol(entity.kind), entity.name);
}

function sourceList(sources) {
  if (!sources || !sources.length) return h('span', { className: 'muted' }, 'none');
  return h('ul', { className: 'sources' }, sources.map((src) => {
    const title = src.url ? h('a', { href: src.url, rel: 'noopener noreferrer', target: '_blank' }, src.title) : h('cite', {}, src.title);
    const meta = [src.publisher && src.publisher.name, src.publishedOn && formatDate(src.publishedOn)].filter(Boolean).join(', ');
    return h('li', { 'data-source': src.id }, title, meta ? h('span', { className: 'source-meta' }, ` — ${meta}`) : null);
  }));
}

/** A relation's state as of a date (today when empty), as a badge. */
function stateBadge(r, asOf) {
  const state = stateAt(r, asOf);
  return h('span', { className: `status-badge status-${state}`, 'data-state': state, title: `${STATES[state]} ${asOfWords(asOf)}` }, STATES[state]);
}

/** The card at the top: kind, name, description, aliases and the facts the kind carries. */
export function entityCard(entity, hrefFor) {
  const facts = [];
  const fact = (term, ...value) => {
    if (value.some((v) => v !== null && v !== undefined && v !== '')) facts.push(h('div', {}, h('dt', {}, term), h('dd', {}, ...value)));
  };
  if (entity.aliases && entity.aliases.length) fact('Also known as', entity.aliases.join(' · '));
  fact('Type', enumWords(entity.type || entity.placeType));
  fact('Ownership', enumWords(entity.ownership));
  fact('Segment', enumWords(entity.segment));
  fact('Powertrain', entity.powertrain);
  fact('Founded', formatDate(entity.founded));
  fact('Opened', formatDate(entity.opened));
  fact('Signed', formatDate(entity.signedOn));
  fact('Announced', formatDate(entity.announcedOn));
  fact('Country code', entity.countryCode);
  if (entity.country) fact('Country', entityLink({ ...entity.country, kind: 'PLACE' }, hrefFor(entity.country.id)));
  const provisions = entity.provisions && entity.provisions.length
    ? h('div', { className: 'provisions' },
      h('h2', {}, 'Provisions'),
      h('ul', {}, entity.provisions.map((p) => h('li', {}, p.summary, p.due ? h('span', { className: 'muted' }, ` (due ${formatDate(p.due)})`) : null))))
    : null;
  const more = [
    facts.length ? h('dl', { className: 'facts' }, facts) : null,
    provisions,
    entity.sources && entity.sources.length
      ? h('div', { className: 'entity-sources' }, h('h2', {}, 'Described by'), sourceList(entity.sources))
      : null,
  ].filter(Boolean);
  // On a narrow screen the card starts folded (CSS), so the drawing is in view; this button
  // unfolds it. On a wide screen everything shows and the button is hidden.
  const toggle = more.length || entity.description
    ? h('button', {
      type: 'button',
      className: 'card-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'entity-more',
      on: {
        click: (ev) => {
          const card = ev.currentTarget.closest('.card');
          const open = card.classList.toggle('is-open');
          ev.currentTarget.setAttribute('aria-expanded', String(open));
          ev.currentTarget.textContent = open ? 'Less' : `More about ${entity.name}`;
        },
      },
    }, `More about ${entity.name}`)
    : null;
  return [
    h('p', { className: `kind-badge kind-${entity.kind}` }, kindSymbol(entity.kind), kindLabel(entity.kind)),
    h('h1', { id: 'entity-name', tabIndex: -1 }, entity.name),
    entity.description ? h('p', { className: 'description' }, entity.description) : null,
    more.length ? h('div', { className: 'entity-more', id: 'entity-more' }, more) : null,
    toggle,
  ].filter(Boolean);
}

const STATE_ORDER = { ACTIVE: 0, PLANNED: 1, LATER: 2, ENDED: 3 };

/** The relations of an entity as a table; on narrow screens each row reads as a card. */
export function relationsTable(entity, relations, { asOf, total, hrefFor }) {
  if (!relations.length) {
    return emptyState(asOf
      ? `No relation of ${entity.name} held as of ${formatDate(asOf)}.`
      : `${entity.name} has no relations yet.`);
  }
  const rows = relations
    .map((r) => ({ r, out: r.from.id === entity.id, state: stateAt(r, asOf) }))
    .sort((a, b) =>
      a.r.type.localeCompare(b.r.type) ||
      Number(b.out) - Number(a.out) ||
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.r.validFrom || '').localeCompare(b.r.validFrom || '') ||
      (a.out ? a.r.to.name : a.r.from.name).localeCompare(b.out ? b.r.to.name : b.r.from.name));
  const body = rows.map(({ r, out, state }) => {
    const other = out ? r.to : r.from;
    const words = RELATION_TYPES[r.type] ? RELATION_TYPES[r.type][out ? 'out' : 'in'] : r.type;
    // Each cell holds one wrapper, so on a narrow screen (where a cell is a two-column grid
    // of its label and its content) the content stays together.
    const cell = (label, props, ...content) => h('td', { 'data-label': label, ...props }, h('div', { className: 'cell' }, ...content));
    return h('tr', { 'data-relation': r.id, 'data-status': r.status, 'data-state': state },
      cell('Relation', {},
        h('span', { className: 'rel-words' }, words),
        h('span', { className: 'rel-type' }, r.type)),
      cell(out ? 'To' : 'From', {},
        h('span', { className: 'direction', 'aria-label': out ? 'to' : 'from', title: out ? `${entity.name} → ${other.name}` : `${other.name} → ${entity.name}` }, out ? '→' : '←'),
        ' ', entityLink(other, hrefFor(other.id)),
        h('span', { className: 'muted kind-word' }, ` ${kindLabel(other.kind).toLowerCase()}`)),
      cell(asOf ? `State as of ${formatDate(asOf)}` : 'State today', {}, stateBadge(r, asOf)),
      cell('Period', {}, periodCell(r)),
      cell('Quantity', { className: r.quantity == null ? 'is-empty' : 'num' }, r.quantity == null ? '' : String(r.quantity)),
      cell('Note', { className: r.note ? 'note' : 'is-empty' }, r.note || ''),
      cell('Sources', {}, sourceList(r.sources)));
  });
  const when = asOf ? ` as of ${formatDate(asOf)}` : '';
  const count = total > relations.length ? `${relations.length} of ${total}` : String(relations.length);
  return h('div', { className: 'table-wrap' },
    h('table', { className: 'relations' },
      h('caption', {}, `Relations of ${entity.name}${when} (${count})`),
      h('thead', {}, h('tr', {}, ['Relation', 'Counterpart', asOf ? `State as of ${formatDate(asOf)}` : 'State today', 'Period', 'Qty', 'Note', 'Sources'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, body)));
}

function periodCell(r) {
  const from = r.validFrom ? h('time', { dateTime: r.validFrom }, formatDate(r.validFrom)) : null;
  const to = r.validTo ? h('time', { dateTime: r.validTo }, formatDate(r.validTo)) : null;
  if (!from && !to) return h('span', { className: 'muted' }, formatPeriod(r));
  return h('span', { className: 'period', title: formatPeriod(r) }, from || '…', ' – ', to || (r.status === 'ACTIVE' ? 'now' : '…'));
}

/** Whether a partial date starts after the end of another ("2022" is after "2021-06"). */
export function isAfter(date, asOf) {
  const start = (date + '-01-01').slice(0, 10);
  const [y, m, d] = asOf.split('-');
  const end = d ? asOf : m ? `${y}-${m}-31` : `${y}-12-31`;
  return start > end;
}

/** The timeline of an entity, in date order, with a marker at the "as of" date. */
export function timelineView(entity, entries, { asOf, hrefFor }) {
  if (!entries.length) return emptyState(`No dated events for ${entity.name}.`);
  const items = [];
  let marked = false;
  for (const e of entries) {
    const after = asOf && isAfter(e.date, asOf);
    if (after && !marked) {
      items.push(h('li', { className: 'asof-marker', 'aria-label': `As of ${formatDate(asOf)}: later events follow` }, h('span', {}, `as of ${formatDate(asOf)}`)));
      marked = true;
    }
    const other = e.entity && e.entity.id !== entity.id ? e.entity : null;
    items.push(h('li', { className: `event event-${e.kind}${after ? ' is-later' : ''}`, 'data-kind': e.kind },
      h('time', { dateTime: e.date, className: 'event-date' }, formatDate(e.date)),
      h('div', { className: 'event-body' },
        h('p', { className: 'event-head' },
          h('span', { className: `event-kind event-kind-${e.kind}` }, TIMELINE_KINDS[e.kind] || e.kind),
          other ? entityLink(other, hrefFor(other.id)) : null),
        h('p', { className: 'event-summary' }, e.summary),
        e.relation && e.relation.sources && e.relation.sources.length
          ? h('div', { className: 'event-sources' }, h('span', { className: 'muted' }, 'Source: '), sourceList(e.relation.sources))
          : null)));
  }
  if (asOf && !marked) items.push(h('li', { className: 'asof-marker' }, h('span', {}, `as of ${formatDate(asOf)}`)));
  return h('section', { className: 'timeline-view', 'aria-label': `Timeline of ${entity.name}` },
    h('ol', { className: 'timeline' }, items));
}

/** Every shortest path between two entities, each drawn as a chain of steps. */
export function pathsView(paths, { from, to, asOf, hrefFor }) {
  const when = asOf ? ` as of ${formatDate(asOf)}` : '';
  if (!paths.length) {
    return emptyState(`No path of up to 6 relations joins ${from.name} and ${to.name}${when}.`);
  }
  const len = paths[0].length;
  const heading = `${paths.length === 1 ? 'One shortest path' : `${paths.length} shortest paths`} from ${from.name} to ${to.name}${when}: ${len} step${len === 1 ? '' : 's'}`;
  return h('section', { className: 'paths-result', 'aria-label': heading },
    h('h2', { className: 'paths-heading' }, heading),
    paths.map((p, i) => h('ol', { className: 'chain', 'aria-label': `Path ${i + 1}`, 'data-path': p.nodes.map((n) => n.id).join(' ') },
      p.nodes.flatMap((n, j) => {
        const node = h('li', { className: 'chain-node' }, entityLink(n, hrefFor(n.id)), h('span', { className: 'muted kind-word' }, kindLabel(n.kind)));
        if (j === p.nodes.length - 1) return [node];
        const r = p.relations[j];
        const forward = r.from.id === n.id;
        const words = RELATION_TYPES[r.type] ? RELATION_TYPES[r.type][forward ? 'out' : 'in'] : r.type;
        const state = stateAt(r, asOf);
        const step = h('li', { className: `chain-step status-${state}`, 'data-type': r.type, 'data-state': state },
          h('p', { className: 'step-words' }, words, ' ', h('span', { className: 'rel-type' }, r.type)),
          h('span', { className: 'step-arrow', 'aria-hidden': 'true' }),
          h('div', { className: 'step-body' },
            h('p', { className: 'step-period' }, stateBadge(r, asOf), ' ', formatPeriod(r)),
            h('p', { className: 'step-fact muted' }, `${r.from.name} ${RELATION_TYPES[r.type] ? RELATION_TYPES[r.type].out : r.type} ${r.to.name}.`),
            r.note ? h('p', { className: 'note' }, r.note) : null,
            sourceList(r.sources)));
        return [node, step];
      }))));
}

/** A quiet message where content would be. */
export function emptyState(message, ...extra) {
  return h('div', { className: 'empty-state' }, h('p', {}, message), ...extra);
}

/** The page when nothing is selected yet: what the explorer does, and a few places to start. */
export function welcome(hrefFor) {
  const ex = (label, href, note) => h('li', {}, h('a', { href }, label), note ? h('span', { className: 'muted' }, ` — ${note}`) : null);
  return h('section', { className: 'welcome', 'aria-labelledby': 'welcome-heading' },
    h('h1', { id: 'welcome-heading', tabIndex: -1 }, 'Explore the automotive knowledge graph'),
    h('p', {}, 'Search for a company, brand, model, plant, place or agreement to see what it is connected to, how that changed over time, and which source says so.'),
    h('h2', {}, 'Start with'),
    h('ul', { className: 'examples' },
      ex('Avtotor', hrefFor({ id: 'avtotor', view: 'graph' }), 'the Kaliningrad assembler and its brands'),
      ex('Avtotor as of 2021', hrefFor({ id: 'avtotor', asOf: '2021', view: 'graph' }), 'Kia, Hyundai and BMW'),
      ex('BAIC Group, two hops', hrefFor({ id: 'baic-group', view: 'graph', depth: 2 }), 'brands, joint ventures, partners'),
      ex('From Avtotor to Beijing Benz', hrefFor({ view: 'paths', from: 'avtotor', to: 'beijing-benz' }), 'every shortest path'),
      ex('Timeline of Avtotor', hrefFor({ id: 'avtotor', view: 'timeline' }), 'founding, ends, starts and plans')));
}

/** A loading placeholder; shown only when an answer takes a moment. */
export function loading(what) {
  return h('div', { className: 'loading', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), `Loading ${what}…`);
}

/** An error with what went wrong, in the server's words where it gave any, and a retry. */
export function errorState(err, retry) {
  const network = err instanceof NetworkError;
  const title = network ? 'The server cannot be reached' : 'The server could not answer';
  const detail = network
    ? `${err.message} The explorer gets its data from this server's GraphQL endpoint; check that the server is running, then retry.`
    : err.message;
  const code = err.code ? h('p', { className: 'muted error-code' }, `Error code: ${err.code}`) : null;
  return h('div', { className: 'error-state', role: 'alert' },
    h('h2', {}, title),
    h('p', { className: 'error-message' }, detail),
    code,
    retry ? h('button', { type: 'button', className: 'retry', on: { click: retry } }, 'Retry') : null);
}

/** The state for an id the graph does not know. */
export function notFound(id, homeHref) {
  return h('div', { className: 'error-state not-found', role: 'alert' },
    h('h2', {}, `No entity with id “${id}”`),
    h('p', {}, 'The link may be mistyped, or the entity was removed. Search for it by name above, or ', h('a', { href: homeHref }, 'start over'), '.'));
}

