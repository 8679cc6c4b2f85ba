// Words and small formatting helpers shared by the views: what the API's enum values are called
// on screen, how partial dates and periods read, and building DOM without innerHTML.

export const KINDS = {
  ORGANIZATION: { label: 'Organization', plural: 'Organizations' },
  BRAND: { label: 'Brand', plural: 'Brands' },
  VEHICLE_MODEL: { label: 'Vehicle model', plural: 'Vehicle models' },
  PLANT: { label: 'Plant', plural: 'Plants' },
  PLACE: { label: 'Place', plural: 'Places' },
  AGREEMENT: { label: 'Agreement', plural: 'Agreements' },
};

// Relation types in schema order, each with how it reads from either end.
export const RELATION_TYPES = {
  SUBSIDIARY_OF: { label: 'subsidiary of', out: 'is a subsidiary of', in: 'has the subsidiary' },
  JOINT_VENTURE_OF: { label: 'joint venture of', out: 'is a joint venture of', in: 'has the joint venture' },
  OWNS_BRAND: { label: 'owns brand', out: 'owns the brand', in: 'is owned by' },
  HAS_MODEL: { label: 'has model', out: 'has the model', in: 'is a model of' },
  ASSEMBLES: { label: 'assembles', out: 'assembles', in: 'is assembled by' },
  OPERATES: { label: 'operates', out: 'operates', in: 'is operated by' },
  LOCATED_IN: { label: 'located in', out: 'is located in', in: 'contains' },
  PARTY_TO: { label: 'party to', out: 'is a party to', in: 'has the party' },
  PARTNERS_WITH: { label: 'partners with', out: 'partners with', in: 'partners with' },
};

// Stored statuses, as the API sends them: what holds now.
export const STATUSES = {
  ACTIVE: 'Active',
  ENDED: 'Ended',
  PLANNED: 'Planned',
};

// States of a relation at a date (see stateAt): how the drawing, the legend, the table, the
// paths and the time axis show it. LATER only appears where a view shows relations that had
// not begun at the date (the time axis).
export const STATES = {
  ACTIVE: 'In force',
  PLANNED: 'Planned',
  ENDED: 'Ended',
  LATER: 'Not yet begun',
};

export const TIMELINE_KINDS = {
  FOUNDED: 'Founded',
  OPENED: 'Opened',
  SIGNED: 'Signed',
  ANNOUNCED: 'Announced',
  STARTED: 'Started',
  ENDED: 'Ended',
  PLANNED: 'Planned',
};

export function kindLabel(kind) {
  return (KINDS[kind] && KINDS[kind].label) || kind;
}

export function typeLabel(type) {
  return (RELATION_TYPES[type] && RELATION_TYPES[type].label) || type;
}

/** A word for an enum value such as STATE_OWNED: "state owned". */
export function enumWords(value) {
  return value ? value.toLowerCase().replace(/_/g, ' ') : '';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2023-04-04" → "4 Apr 2023", "2023-01" → "Jan 2023", "1994" → "1994". */
export function formatDate(d) {
  if (!d) return '';
  const [y, m, day] = d.split('-');
  if (day) return `${Number(day)} ${MONTHS[Number(m) - 1]} ${y}`;
  if (m) return `${MONTHS[Number(m) - 1]} ${y}`;
  return y;
}

/** The period of a relation as a short phrase: "2023 – now", "until 2022", "by 2023". */
export function formatPeriod(r) {
  const from = formatDate(r.validFrom);
  const to = formatDate(r.validTo);
  if (r.status === 'PLANNED') {
    if (from && to) return `planned ${from} – ${to}`;
    if (from) return `planned from ${from}`;
    if (to) return `planned by ${to}`;
    return 'planned, no date';
  }
  if (from && to) return `${from} – ${to}`;
  if (from) return r.status === 'ENDED' ? `${from} – ended` : `${from} – now`;
  if (to) return `until ${to}`;
  return r.status === 'ENDED' ? 'ended, dates unknown' : 'dates unknown';
}

/** Today as YYYY-MM-DD, in the reader's time zone. */
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The first day of the period a partial date names: "2022" → "2022-01-01". */
export function dayStart(d) {
  const [y, m = '01', day = '01'] = d.split('-');
  return `${y}-${m}-${day}`;
}

/** The day after the period a partial date names: "2022" → "2023-01-01", "2023-04" → "2023-05-01". */
export function dayEnd(d) {
  const [y, m, day] = d.split('-').map(Number);
  const t = day ? new Date(Date.UTC(y, m - 1, day + 1)) : m ? new Date(Date.UTC(y, m, 1)) : new Date(Date.UTC(y + 1, 0, 1));
  return t.toISOString().slice(0, 10);
}

/**
 * The days a relation counts for, as the API reads it: [start, end) as YYYY-MM-DD, '' where
 * open. A plan counts from its target date: validFrom, or else the period validTo names.
 */
export function relationSpan(r) {
  let start = '';
  if (r.validFrom) start = dayStart(r.validFrom);
  else if (r.status === 'PLANNED' && r.validTo) start = dayStart(r.validTo);
  return { start, end: r.validTo ? dayEnd(r.validTo) : '' };
}

/**
 * The state of a relation as of a date (YYYY, YYYY-MM or YYYY-MM-DD; today when empty): the
 * stored status says what holds now, the period says what held then.
 *
 * - A plan stays PLANNED: the graph records the intention, not whether it came true.
 * - ENDED when the period was over before the date began, LATER when it began after the date
 *   ended, ACTIVE ("in force") when the two overlap: Avtotor assembled Kia in 2021 although
 *   that relation is stored as ENDED (in 2022).
 * - An ENDED relation with no end date stays ENDED at every date: when it ended is unknown.
 */
export function stateAt(r, asOf) {
  if (r.status === 'PLANNED') return 'PLANNED';
  const q = asOf ? { start: dayStart(asOf), end: dayEnd(asOf) } : { start: today(), end: dayEnd(today()) };
  const span = relationSpan(r);
  if (span.end && span.end <= q.start) return 'ENDED';
  if (span.start && span.start >= q.end) return 'LATER';
  if (r.status === 'ENDED' && !r.validTo) return 'ENDED';
  return 'ACTIVE';
}

/** "as of 2021" or "today", for legends and captions. */
export function asOfWords(asOf) {
  return asOf ? `as of ${formatDate(asOf)}` : `today (${formatDate(today())})`;
}

/**
 * Checks an "as of" date as the API's Date scalar reads it: YYYY, YYYY-MM or YYYY-MM-DD, a real
 * calendar date. Returns an error message, or "" when the date is valid.
 */
export function checkDate(text) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!m) return 'Write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021 or 2023-04.';
  const [, y, mo, d] = m;
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return `There is no month ${mo}.`;
  if (d) {
    const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    if (Number(d) < 1 || Number(d) > days) return `${formatDate(`${y}-${mo}`)} has no day ${d}.`;
  }
  return '';
}

/**
 * Creates an element. `props` sets properties (className, textContent, hidden, ...), except
 * keys starting with "aria-" or "data-" and `attrs`, which become attributes; `on` adds
 * listeners. Children may be nodes, strings or falsy (skipped). Building nodes this way keeps
 * server text out of innerHTML.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'attrs') {
      for (const [a, av] of Object.entries(v)) if (av !== undefined && av !== null && av !== false) el.setAttribute(a, av);
    } else if (k.startsWith('aria-') || k.startsWith('data-') || k === 'role' || k === 'for') {
      el.setAttribute(k, v === true ? 'true' : v);
    } else {
      el[k] = v;
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false || c === '') continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

/** Delays fn until `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer = 0;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** Milliseconds since the epoch of an RFC 3339 time (any number of fractional digits). */
export function timeValue(iso) {
  if (!iso) return NaN;
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1'));
}

/** "2026-12-01T18:40:12.5Z" → "1 Dec 2026, 18:40:12 UTC": the moments of history, in UTC. */
export function formatTime(iso) {
  const t = timeValue(iso);
  if (Number.isNaN(t)) return String(iso || '');
  const d = new Date(t);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/**
 * Reads an "as known on" moment as the reader may type it and returns it as the API's Time
 * (RFC 3339): a day ("2026-12-01", its start) or a day and time without a zone
 * ("2026-12-01 18:40", "2026-12-01T18:40:05") are read as UTC; anything else is passed on as
 * typed, for the server to accept or to say what is wrong with it.
 */
export function normalizeKnownAt(text) {
  const v = text.trim();
  let m = /^(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (m) return `${m[1]}T00:00:00Z`;
  m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?$/.exec(v);
  if (m) return `${m[1]}T${m[2]}${m[3] || ':00'}Z`;
  return v;
}
