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

export const STATUSES = {
  ACTIVE: 'Active',
  ENDED: 'Ended',
  PLANNED: 'Planned',
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
