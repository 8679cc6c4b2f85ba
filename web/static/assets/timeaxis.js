// The time axis of the timeline view: a bar for each of an entity's relations over its period
// (an open end fades out, a plan is hatched), a tick for each event, and the "as of" date as a
// cursor that can be dragged, or moved with the keyboard, to change the date. Bars take their
// look from their state at the cursor, so moving it shows what held when.
//
// Drawn as SVG at the width it is given, in pixels, and drawn again when that changes, so
// text keeps its size on a phone and the picture can be exported like the graph.

import { s, formatDate, formatPeriod, stateAt, relationSpan, today, dayStart, dayEnd, RELATION_TYPES, STATES, TIMELINE_KINDS } from './format.js';

const PAD = 14; // left and right of the axis
const AXIS_H = 26; // the year labels
const EVENTS_H = 26; // the lane of event ticks
const ROW_H = 38; // one relation: its label, then its bar
const BAR_H = 12;
const FADE = 44; // pixels over which an open end fades out
const DAY = 86400000;

const days = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOfDay = (d) => new Date(d * DAY).toISOString().slice(0, 10);

/**
 * Draws the axis into `container`. relations: the entity's relations (every period, not only
 * the ones at asOf); events: its timeline entries; asOf: the date of the cursor ('' for today,
 * all time); onAsOf(date): the reader moved the cursor to `date` (YYYY or YYYY-MM); hrefFor(id):
 * a counterpart's link. Returns {svg, destroy}.
 */
export function timeAxis(container, { entity, relations, events, asOf, onAsOf }) {
  const svg = s('svg', { class: 'time-axis', role: 'group', 'aria-label': `Time axis of ${entity.name}: ${relations.length} relations and ${events.length} events` });
  container.replaceChildren(svg);

  // The years shown: every date the entity has, the cursor and today, a year either side.
  const years = [Number(today().slice(0, 4))];
  const note = (d) => d && years.push(Number(d.slice(0, 4)));
  for (const r of relations) {
    note(r.validFrom);
    note(r.validTo);
  }
  for (const e of events) note(e.date);
  note(asOf);
  let y0 = Math.min(...years) - 1;
  let y1 = Math.max(...years) + 1;
  if (y1 - y0 < 6) y0 = y1 - 6;
  const dStart = days(`${y0}-01-01`);
  const dEnd = days(`${y1 + 1}-01-01`);

  const rows = relations
    .map((r) => ({ r, out: r.from.id === entity.id, span: relationSpan(r) }))
    .sort((a, b) => (a.span.start || '0000').localeCompare(b.span.start || '0000') ||
      (a.span.end || '9999').localeCompare(b.span.end || '9999') ||
      a.r.type.localeCompare(b.r.type) || a.r.id.localeCompare(b.r.id));

  let cursor = asOf; // the date under the cursor, '' for today
  let width = 0;
  let x = () => 0;
  let toDate = () => '';
  let commitTimer = 0;

  const draw = () => {
    width = Math.max(240, Math.round(container.clientWidth || 800));
    const inner = width - 2 * PAD;
    x = (iso) => PAD + ((days(iso) - dStart) / (dEnd - dStart)) * inner;
    // Whole years when a year is narrow, else months.
    const perYear = inner / (y1 + 1 - y0);
    toDate = (px) => {
      const d = Math.min(Math.max(dStart + ((px - PAD) / inner) * (dEnd - dStart), dStart), dEnd - 1);
      const iso = isoOfDay(d);
      return perYear >= 150 ? iso.slice(0, 7) : iso.slice(0, 4);
    };
    const height = AXIS_H + EVENTS_H + rows.length * ROW_H + 8;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.dataset.start = `${y0}-01-01`;
    svg.dataset.end = `${y1 + 1}-01-01`;

    const defs = s('defs', {},
      s('pattern', { id: 'hatch', class: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, class: 'hatch-bg' }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 6 })));

    // Year ticks, at most one label every 44 px.
    const step = [1, 2, 5, 10, 20, 50].find((n) => n * perYear >= 44) || 100;
    const axis = s('g', { class: 'axis', 'aria-hidden': 'true' });
    for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) {
      const xx = x(`${y}-01-01`);
      axis.append(
        s('line', { class: 'grid', x1: xx, x2: xx, y1: AXIS_H - 6, y2: height - 4 }),
        s('text', { x: xx, y: AXIS_H - 10, 'text-anchor': 'middle' }, String(y)));
    }
    const t = today();
    axis.append(s('line', { class: 'today', x1: x(t), x2: x(t), y1: AXIS_H - 6, y2: height - 4 }));

    const ticks = s('g', { class: 'event-ticks' });
    for (const e of events) {
      const xx = x(dayStart(e.date));
      ticks.append(s('g', { class: `event-tick event-${e.kind}`, 'data-date': e.date, 'data-kind': e.kind, transform: `translate(${xx.toFixed(1)} ${AXIS_H + EVENTS_H / 2})` },
        s('title', {}, `${formatDate(e.date)}: ${TIMELINE_KINDS[e.kind] || e.kind}. ${e.summary}`),
        s('line', { y1: -8, y2: 8 }),
        s('circle', { r: 3.5 })));
    }

    const bars = s('g', { class: 'bars' });
    const masks = [];
    rows.forEach(({ r, out, span }, i) => {
      const top = AXIS_H + EVENTS_H + i * ROW_H;
      const from = span.start || isoOfDay(dStart);
      const to = span.end || isoOfDay(dEnd);
      const bx = x(from);
      const bw = Math.max(3, x(to) - bx);
      const other = out ? r.to : r.from;
      const words = RELATION_TYPES[r.type] ? RELATION_TYPES[r.type][out ? 'out' : 'in'] : r.type;
      // Open ends fade out over FADE pixels (or the half of a short bar).
      let mask = null;
      if (!span.start || !span.end) {
        const id = `fade-${i}`;
        const f = Math.min(FADE, bw / 2) / bw;
        const grad = s('linearGradient', { id: `${id}-g` },
          s('stop', { offset: 0, 'stop-color': '#fff', 'stop-opacity': span.start ? 1 : 0 }),
          s('stop', { offset: span.start ? 0 : f, 'stop-color': '#fff', 'stop-opacity': 1 }),
          s('stop', { offset: span.end ? 1 : 1 - f, 'stop-color': '#fff', 'stop-opacity': 1 }),
          s('stop', { offset: 1, 'stop-color': '#fff', 'stop-opacity': span.end ? 1 : 0 }));
        masks.push(grad, s('mask', { id, maskUnits: 'userSpaceOnUse', x: bx - 1, y: top, width: bw + 2, height: ROW_H },
          s('rect', { x: bx, y: top + 18, width: bw, height: BAR_H, fill: `url(#${id}-g)` })));
        mask = `url(#${id})`;
      }
      const planned = r.status === 'PLANNED';
      bars.append(s('g', {
        class: `bar-row${planned ? ' is-planned' : ''}`,
        'data-relation': r.id,
        'data-start': span.start,
        'data-end': span.end,
      },
      s('title', {}, `${entity.name} ${RELATION_TYPES[r.type] ? RELATION_TYPES[r.type].out : r.type} … ${other.name}: ${formatPeriod(r)}`),
      s('text', { class: 'bar-label', x: PAD, y: top + 13 }, `${words} ${out ? '→' : '←'} ${other.name}${planned ? ' (planned)' : ''}`),
      s('rect', { class: 'bar', x: bx.toFixed(1), y: top + 18, width: bw.toFixed(1), height: BAR_H, rx: 3, mask })));
    });
    defs.append(...masks);

    const cursorG = s('g', {
      class: 'cursor',
      tabindex: 0,
      role: 'slider',
      'aria-label': 'As of date: drag, or use the arrow keys (Shift for months, Escape for all time)',
      'aria-valuemin': y0,
      'aria-valuemax': y1,
    },
    s('line', { class: 'cursor-line', y1: AXIS_H - 4, y2: height - 2 }),
    s('rect', { class: 'cursor-handle', x: -22, y: AXIS_H + 1, width: 44, height: 18, rx: 9 }),
    s('text', { class: 'cursor-text', y: AXIS_H + 14, 'text-anchor': 'middle' }));
    // A transparent plate over the whole drawing takes the pointer for dragging.
    const plate = s('rect', { class: 'drag-plate', x: 0, y: AXIS_H - 6, width, height: height - AXIS_H + 6 });
    svg.replaceChildren(defs, axis, ticks, bars, plate, cursorG);
    // A label longer than the axis is shortened (the bar's title keeps it whole).
    for (const label of svg.querySelectorAll('.bar-label')) {
      const full = label.textContent;
      if (label.getComputedTextLength() <= inner) continue;
      let lo = 0;
      let hi = full.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        label.textContent = `${full.slice(0, mid).trimEnd()}…`;
        if (label.getComputedTextLength() <= inner) lo = mid;
        else hi = mid - 1;
      }
      label.textContent = `${full.slice(0, lo).trimEnd()}…`;
      label.dataset.full = full;
    }
    place();
  };

  /** Puts the cursor at `cursor` and restyles the bars for their state then. */
  const place = () => {
    const g = svg.querySelector('.cursor');
    const at = cursor || today();
    const xx = cursor ? x(dayStart(cursor)) + (x(dayEnd(cursor)) - x(dayStart(cursor))) / 2 : x(at);
    g.setAttribute('transform', `translate(${xx.toFixed(1)} 0)`);
    g.setAttribute('aria-valuenow', String(Number(at.slice(0, 4))));
    g.setAttribute('aria-valuetext', cursor ? formatDate(cursor) : `All time (today, ${formatDate(at)})`);
    g.dataset.date = cursor;
    g.querySelector('.cursor-text').textContent = cursor ? cursor : 'today';
    g.querySelector('.cursor-handle').setAttribute('width', cursor && cursor.length > 4 ? 64 : 48);
    g.querySelector('.cursor-handle').setAttribute('x', cursor && cursor.length > 4 ? -32 : -24);
    for (const row of svg.querySelectorAll('.bar-row')) {
      const r = rows.find((o) => o.r.id === row.dataset.relation).r;
      const st = stateAt(r, cursor);
      row.setAttribute('class', `bar-row state-${st}${r.status === 'PLANNED' ? ' is-planned' : ''}`);
      row.dataset.state = st;
      const label = row.querySelector('.bar-label');
      row.querySelector('title').textContent = `${label.dataset.full || label.textContent}: ${formatPeriod(r)}; ${STATES[st].toLowerCase()} ${cursor ? `as of ${formatDate(cursor)}` : 'today'}`;
    }
  };

  const move = (date, commit) => {
    cursor = date;
    place();
    clearTimeout(commitTimer);
    if (commit === 'now') onAsOf(date);
    else if (commit) commitTimer = setTimeout(() => onAsOf(date), 300);
  };

  // Dragging: press anywhere on the axis, move, release to apply.
  let dragging = null;
  const pointX = (ev) => {
    const r = svg.getBoundingClientRect();
    return ((ev.clientX - r.left) / r.width) * width;
  };
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    dragging = ev.pointerId;
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add('is-dragging');
    svg.querySelector('.cursor').focus({ preventScroll: true });
    move(toDate(pointX(ev)), false);
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => {
    if (dragging === ev.pointerId) move(toDate(pointX(ev)), false);
  });
  const end = (ev) => {
    if (dragging !== ev.pointerId) return;
    dragging = null;
    svg.classList.remove('is-dragging');
    move(toDate(pointX(ev)), 'now');
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', (ev) => {
    if (dragging === ev.pointerId) {
      dragging = null;
      svg.classList.remove('is-dragging');
      move(asOf, false);
    }
  });

  // The keyboard: a year a step (a month with Shift), ten with Page Up / Down, the ends with
  // Home / End, all time with Escape.
  svg.addEventListener('keydown', (ev) => {
    if (!ev.target.closest('.cursor')) return;
    const at = cursor || today().slice(0, 4);
    let [y, m] = at.split('-').map(Number);
    const monthly = ev.shiftKey || at.length > 4;
    const by = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[ev.key];
    let next = null;
    if (by !== undefined) {
      if (monthly && Math.abs(by) === 1) {
        m = (m || 1) + by;
        if (m < 1) { m = 12; y -= 1; }
        if (m > 12) { m = 1; y += 1; }
        next = `${y}-${String(m).padStart(2, '0')}`;
      } else next = String(y + by);
    } else if (ev.key === 'Home') next = String(y0);
    else if (ev.key === 'End') next = String(y1);
    else if (ev.key === 'Escape' && cursor) {
      ev.preventDefault();
      move('', 'now');
      return;
    } else return;
    ev.preventDefault();
    const year = Number(next.slice(0, 4));
    if (year < y0 || year > y1) return;
    move(next, true);
  });

  draw();
  const ro = new ResizeObserver(() => {
    if (Math.round(container.clientWidth) !== width) draw();
  });
  ro.observe(container);
  return {
    svg,
    destroy() {
      ro.disconnect();
      clearTimeout(commitTimer);
    },
  };
}
