// The history panel of an entity page: its revisions, newest first, each with when, what, who
// and a field-by-field account of what it changed, read from the `before` and `after` content
// the API sends. Builds DOM only; app.js fetches.

import { h, formatTime, timeValue } from './format.js';

const OPERATIONS = {
  UPSERT_ENTITY: ['Created', 'Edited'],
  UPSERT_SOURCE: ['Source created', 'Source edited'],
  ADD_RELATION: ['Relation added', 'Relation added'],
  UPDATE_RELATION: ['Relation updated', 'Relation updated'],
  REMOVE_RELATION: ['Relation removed', 'Relation removed'],
  DELETE_ENTITY: ['Deleted', 'Deleted'],
  IMPORT: ['Imported', 'Imported'],
};

/** What a revision did, in words: "Created" when the item did not exist before it. */
export function operationWords(rev) {
  const words = OPERATIONS[rev.operation];
  if (!words) return rev.operation;
  if (rev.operation === 'IMPORT') return rev.before ? 'Changed by an import' : 'Imported';
  return words[rev.before ? 1 : 0];
}

const MAX_VALUE = 120; // characters of a value shown before it is cut (the full text is its title)

/** A value of the dataset format as short text: strings quoted, lists joined. */
function show(v) {
  if (v === undefined || v === null) return '(none)';
  if (typeof v === 'string') return `“${v}”`;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.length ? v.map(show).join(', ') : '(none)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The differences between two contents ({ sort, kind, value } or null), one entry per field of
 * `value` that differs, in the order the fields come: { field, change: 'added' | 'removed' |
 * 'changed' | 'list', from, to, added, removed }. The item's own appearance and disappearance
 * are { change: 'created' } and { change: 'deleted' }.
 */
export function diff(before, after) {
  if (!before && !after) return [];
  if (!before) return [{ change: 'created' }];
  if (!after) return [{ change: 'deleted' }];
  const out = [];
  if (before.kind !== after.kind && (before.kind || after.kind)) {
    out.push({ field: 'kind', change: 'changed', from: before.kind, to: after.kind });
  }
  const b = before.value || {};
  const a = after.value || {};
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => f !== 'id');
  for (const f of fields) {
    if (same(a[f], b[f])) continue;
    const was = b[f];
    const now = a[f];
    const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);
    if (empty(was)) out.push({ field: f, change: 'added', to: now });
    else if (empty(now)) out.push({ field: f, change: 'removed', from: was });
    else if (Array.isArray(was) && Array.isArray(now) && [...was, ...now].every((x) => typeof x !== 'object')) {
      out.push({ field: f, change: 'list', added: now.filter((x) => !was.includes(x)), removed: was.filter((x) => !now.includes(x)), from: was, to: now });
    } else out.push({ field: f, change: 'changed', from: was, to: now });
  }
  return out;
}

/** A value cut to a readable length, with the whole of it as the title. */
function valueEl(tag, v) {
  const text = show(v);
  const cut = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  return h(tag, { className: 'diff-value', title: cut === text ? undefined : text }, cut);
}

/** One line of a diff: "name: “A” → “B”". */
function diffLine(d) {
  if (d.change === 'created') return h('li', { className: 'diff-created', 'data-change': 'created' }, 'Added to the graph');
  if (d.change === 'deleted') return h('li', { className: 'diff-deleted', 'data-change': 'deleted' }, 'Deleted from the graph');
  const field = h('span', { className: 'diff-field' }, d.field);
  const line = (...content) => h('li', { 'data-field': d.field, 'data-change': d.change }, field, ': ', ...content);
  switch (d.change) {
    case 'added': return line(h('span', { className: 'muted' }, 'added '), valueEl('ins', d.to));
    case 'removed': return line(h('span', { className: 'muted' }, 'removed '), valueEl('del', d.from));
    case 'list': return line(
      d.added.length ? [h('span', { className: 'muted' }, 'added '), valueEl('ins', d.added)] : null,
      d.added.length && d.removed.length ? '; ' : null,
      d.removed.length ? [h('span', { className: 'muted' }, 'removed '), valueEl('del', d.removed)] : null,
      !d.added.length && !d.removed.length ? [valueEl('del', d.from), ' → ', valueEl('ins', d.to)] : null);
    default: return line(valueEl('del', d.from), h('span', { className: 'diff-arrow', 'aria-label': 'became' }, ' → '), valueEl('ins', d.to));
  }
}

/** One revision as a list item. */
function revisionItem(rev, { knownAt, knownHref }) {
  const lines = diff(rev.before, rev.after);
  const later = knownAt && timeValue(rev.at) > timeValue(knownAt);
  const actor = rev.actor || {};
  const who = [actor.role && actor.role.toLowerCase(), actor.via].filter(Boolean).join(', ');
  return h('li', { className: `revision${later ? ' is-later' : ''}`, 'data-number': String(rev.number), 'data-operation': rev.operation },
    h('p', { className: 'rev-head' },
      h('span', { className: 'rev-number' }, `Revision ${rev.number}`),
      h('time', { dateTime: rev.at, className: 'rev-time' }, formatTime(rev.at))),
    h('p', { className: 'rev-what' },
      h('strong', { className: 'rev-op' }, operationWords(rev)),
      ' by ', h('span', { className: 'rev-actor' }, actor.name || 'unknown'),
      who ? h('span', { className: 'muted' }, ` (${who})`) : null,
      rev.changeCount > 1 ? h('span', { className: 'muted' }, ` · ${rev.changeCount} items in all`) : null),
    lines.length
      ? h('ul', { className: 'rev-diff' }, lines.map(diffLine))
      : h('p', { className: 'rev-diff muted' }, 'No field changed.'),
    later
      ? h('p', { className: 'rev-later muted' }, 'Made after the moment shown.')
      : null,
    h('a', { className: 'rev-known', href: knownHref(rev.at) }, 'See the graph as known then'));
}

/**
 * The history panel's content. `page` is { revisions, hasMore, error, loading }; `onMore`
 * fetches the next page; `knownAt` marks the revisions made after the moment shown.
 */
export function historyContent(entity, page, { knownAt, knownHref, onMore }) {
  const heading = h('h2', { id: 'history-heading' }, 'History');
  if (page.error) {
    return [heading, h('p', { className: 'history-error', role: 'alert' }, `The history could not be read: ${page.error.message}`)];
  }
  if (!page.revisions.length) {
    return [heading, h('p', { className: 'muted' }, page.loading ? 'Reading the history…' : `No recorded change to ${entity.name}.`)];
  }
  return [
    heading,
    h('p', { className: 'hint history-hint' }, `Recorded changes to ${entity.name}, newest first.`),
    h('ol', { className: 'revisions', 'aria-labelledby': 'history-heading' }, page.revisions.map((r) => revisionItem(r, { knownAt, knownHref }))),
    page.hasMore
      ? h('button', { type: 'button', className: 'history-more', disabled: Boolean(page.loading), on: { click: onMore } }, page.loading ? 'Reading…' : 'Show older changes')
      : null,
  ].filter(Boolean);
}
