// The neighbourhood drawing: SVG from the layout, with zoom and pan, nodes that link to their
// own neighbourhood, and highlighting of a node's relations while it is pointed at or focused.

import { layoutGraph, LINE_HEIGHT } from './layout.js';
import { s, h, kindLabel, typeLabel, formatPeriod, stateAt, asOfWords, STATES, KINDS, RELATION_TYPES } from './format.js';

/** Relations beyond this many draw their labels only while an end is highlighted. */
const EDGE_LABELS_UP_TO = 120;

const canvas = document.createElement('canvas');
const ctx = canvas.getContext('2d');
const widths = new Map();

/** Text width in pixels, measured once per text and font. */
export function measure(text, font) {
  const key = `${font}\u0000${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    ctx.font = font;
    w = ctx.measureText(text).width;
    widths.set(key, w);
  }
  return w;
}

/** The node symbol of a kind, centred on 0,0, for the drawing and the legend. */
export function shape(kind, r) {
  const el = shapeOf(kind, r);
  el.classList.add('shape');
  return el;
}

function shapeOf(kind, r) {
  const k = r * 0.9;
  switch (kind) {
    case 'BRAND':
      return s('rect', { x: -k, y: -k, width: 2 * k, height: 2 * k, rx: r * 0.3 });
    case 'VEHICLE_MODEL':
      return s('path', { d: `M0,${-r * 1.2}L${r * 1.2},0L0,${r * 1.2}L${-r * 1.2},0Z` });
    case 'PLANT':
      return s('path', { d: `M0,${-r * 1.15}L${r * 1.1},${r * 0.85}L${-r * 1.1},${r * 0.85}Z` });
    case 'PLACE': {
      const pts = [];
      for (let i = 0; i < 6; i++) {
        const a = (Math.PI / 3) * i + Math.PI / 6;
        pts.push(`${(Math.cos(a) * r * 1.05).toFixed(2)},${(Math.sin(a) * r * 1.05).toFixed(2)}`);
      }
      return s('polygon', { points: pts.join(' ') });
    }
    case 'AGREEMENT':
      return s('rect', { x: -r * 0.8, y: -r * 1.05, width: r * 1.6, height: r * 2.1, rx: r * 0.15 });
    default:
      return s('circle', { r });
  }
}

/**
 * The relation states a legend lists. LATER (begun after the date) joins them only when a
 * relation drawn has it: a relation stored as ACTIVE from a future date, drawn for today.
 */
const LEGEND_STATES = ['ACTIVE', 'ENDED', 'PLANNED'];

/**
 * The legend: kinds with their symbol, and the relations' states as of `asOf` (today when
 * empty) with their line style; `later` adds the state LATER.
 */
export function legend(asOf, later = false) {
  const kinds = Object.keys(KINDS).map((k) =>
    h('li', {},
      s('svg', { width: 16, height: 16, viewBox: '-8 -8 16 16', 'aria-hidden': 'true', class: `legend-symbol kind-${k}` }, shape(k, 5.5)),
      KINDS[k].label));
  const states = (later ? [...LEGEND_STATES, 'LATER'] : LEGEND_STATES).map((st) =>
    h('li', { 'data-state': st },
      s('svg', { width: 30, height: 10, viewBox: '0 0 30 10', 'aria-hidden': 'true', class: `legend-line status-${st}` },
        s('line', { x1: 1, y1: 5, x2: 29, y2: 5 })),
      STATES[st]));
  return h('div', { className: 'graph-legend', role: 'group', 'aria-label': 'Legend' },
    h('ul', { className: 'legend-kinds', 'aria-label': 'Entity kinds' }, kinds),
    h('div', { className: 'legend-states' },
      h('span', { className: 'legend-heading' }, `Relations ${asOfWords(asOf)}:`),
      h('ul', { 'aria-label': `Relation states ${asOfWords(asOf)}` }, states)));
}

/**
 * Draws a neighbourhood into `container`. `hrefFor(id)` gives each node's link (its own
 * neighbourhood); `onSelect(id)` runs on a plain click or Enter instead of following it.
 * Relations are drawn in their state as of `asOf` (today when empty). Returns {svg, layout,
 * fit, destroy}.
 */
export function renderGraph(container, { subgraph, centerId, hrefFor, onSelect, title, asOf = '', tools = [] }) {
  // The SVG goes in first, so the layout can take the shape of the room it has.
  const svg = s('svg', { class: 'graph-svg', role: 'group', 'aria-label': title });
  const later = subgraph.relations.some((r) => stateAt(r, asOf) === 'LATER');
  const figure = h('figure', { className: 'graph' }, svg, legend(asOf, later));
  container.replaceChildren(figure);
  const room = svg.getBoundingClientRect();
  const laid = layoutGraph({
    nodes: subgraph.nodes,
    edges: subgraph.relations.map((r) => ({ ...r, from: r.from.id, to: r.to.id })),
    centerId,
    measure,
    edgeLabel: (e) => typeLabel(e.type),
    aspect: room.width && room.height ? room.width / room.height : 1.5,
    // Shorter label lines on a phone: the labels at the sides set the drawing's width.
    maxLine: room.width && room.width < 500 ? 14 : undefined,
  });
  const names = new Map(subgraph.nodes.map((n) => [n.id, n.name]));
  const many = laid.edges.length > EDGE_LABELS_UP_TO;

  const edgeLayer = s('g', { class: 'edges' });
  const edgeLabelLayer = s('g', { class: 'edge-labels', 'aria-hidden': 'true' });
  for (const e of laid.edges) {
    const from = names.get(e.from);
    const to = names.get(e.to);
    const words = RELATION_TYPES[e.type] ? RELATION_TYPES[e.type].out : e.type;
    const period = formatPeriod(e);
    const state = stateAt(e, asOf);
    edgeLayer.append(s('g', {
      class: `edge status-${state}`,
      'data-id': e.id,
      'data-from': e.from,
      'data-to': e.to,
      'data-type': e.type,
      'data-status': e.status,
      'data-state': state,
    },
    s('title', {}, `${from} ${words} ${to} (${STATES[state].toLowerCase()} ${asOfWords(asOf)}; ${period})`),
    // A wide invisible stroke, so the edge is easy to point at.
    s('path', { class: 'edge-hit', d: e.path }),
    s('path', { class: 'edge-line', d: e.path }),
    s('polygon', { class: 'arrowhead', points: e.arrow.map((pt) => pt.join(',')).join(' ') })));
    const hidden = many || e.label.hidden;
    // A plate behind the text rather than a halo, so the edge does not show through the
    // spaces between words.
    edgeLabelLayer.append(s('g', {
      class: `edge-label${hidden ? ' is-hidden' : ''}`,
      'data-id': e.id,
      'data-from': e.from,
      'data-to': e.to,
      transform: `translate(${e.label.x} ${e.label.y}) rotate(${e.label.rotate})`,
    },
    s('rect', { x: -e.label.width / 2, y: -6.5, width: e.label.width, height: 13, rx: 3 }),
    s('text', { 'text-anchor': 'middle', y: 3.5 }, e.label.text)));
  }

  const nodeLayer = s('g', { class: 'nodes' });
  for (const n of laid.nodes) {
    const isCenter = n.id === centerId;
    const text = s('text', {
      class: 'node-label',
      'text-anchor': n.label.anchor,
      transform: n.label.rotate ? `rotate(${n.label.rotate.toFixed(2)})` : null,
    });
    n.label.lines.forEach((line, i) => {
      text.append(s('tspan', { x: n.label.x, y: n.label.y + i * LINE_HEIGHT }, line));
    });
    const a = s('a', {
      href: hrefFor(n.id),
      class: `node kind-${n.kind}${isCenter ? ' is-center' : ''}`,
      'data-id': n.id,
      transform: `translate(${n.x.toFixed(1)} ${n.y.toFixed(1)})`,
      'aria-label': isCenter ? `${n.name}, ${kindLabel(n.kind)} (centre)` : `${n.name}, ${kindLabel(n.kind)}: centre the drawing here`,
    },
    s('title', {}, `${n.name} (${kindLabel(n.kind)})`),
    // The whole label is part of the link, not just the glyphs.
    s('polygon', { class: 'hit', points: n.label.hit.map(([hx, hy]) => `${hx.toFixed(1)},${hy.toFixed(1)}`).join(' ') }),
    isCenter ? s('circle', { class: 'center-ring', r: n.r + 5 }) : null,
    shape(n.kind, n.r),
    text);
    nodeLayer.append(a);
  }

  svg.classList.toggle('many', many);
  svg.dataset.nodes = laid.nodes.length;
  svg.dataset.relations = laid.edges.length;
  svg.append(edgeLayer, edgeLabelLayer, nodeLayer);

  // Highlight a node's relations and neighbours while it is pointed at or focused, or one
  // relation and its ends while it is pointed at; a hidden edge label shows while lit.
  const highlight = (id, edgeId = null) => {
    svg.classList.toggle('has-highlight', Boolean(id || edgeId));
    for (const el of svg.querySelectorAll('.is-lit')) el.classList.remove('is-lit');
    if (!id && !edgeId) return;
    const lit = new Set(id ? [id] : []);
    for (const el of svg.querySelectorAll('.edge, .edge-label')) {
      if (edgeId ? el.dataset.id === edgeId : el.dataset.from === id || el.dataset.to === id) {
        el.classList.add('is-lit');
        lit.add(el.dataset.from);
        lit.add(el.dataset.to);
      }
    }
    for (const el of nodeLayer.children) if (lit.has(el.dataset.id)) el.classList.add('is-lit');
  };
  nodeLayer.addEventListener('pointerover', (ev) => {
    const node = ev.target.closest('.node');
    if (node) highlight(node.dataset.id);
  });
  nodeLayer.addEventListener('pointerout', (ev) => {
    if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest('.node')) highlight(null);
  });
  edgeLayer.addEventListener('pointerover', (ev) => {
    const edge = ev.target.closest('.edge');
    if (edge && !drag) highlight(null, edge.dataset.id);
  });
  edgeLayer.addEventListener('pointerout', (ev) => {
    if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest('.edge')) highlight(null);
  });
  nodeLayer.addEventListener('focusin', (ev) => highlight(ev.target.closest('.node').dataset.id));
  nodeLayer.addEventListener('focusout', () => highlight(null));
  nodeLayer.addEventListener('click', (ev) => {
    const node = ev.target.closest('.node');
    if (!node || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (suppressClick) return;
    onSelect(node.dataset.id);
  });

  // Zoom and pan move the viewBox; text keeps its size relative to the drawing.
  const view = { x: 0, y: 0, w: 100, h: 100 };
  const apply = () => svg.setAttribute('viewBox', `${view.x.toFixed(1)} ${view.y.toFixed(1)} ${view.w.toFixed(1)} ${view.h.toFixed(1)}`);
  const size = () => {
    const r = svg.getBoundingClientRect();
    return { width: r.width || 800, height: r.height || 600 };
  };
  // The first view keeps labels legible: a big drawing is not shrunk below `floor` but shown
  // around its centre entity, to pan and zoom from. "Fit" shows everything.
  const fit = (all = false) => {
    const { width, height } = size();
    const pad = 16;
    const bb = laid.bbox;
    // 0.67 keeps 12 px labels at 8 px on screen or more.
    const floor = 0.67;
    // Never enlarge beyond 1.25x: a small graph would look bloated.
    let scale = Math.min((width - 2 * pad) / bb.width, (height - 2 * pad) / bb.height, 1.25);
    if (scale < floor && !all) scale = floor;
    view.w = width / scale;
    view.h = height / scale;
    // Per axis: centre the drawing when it fits, else centre on the centre entity without
    // showing more than the padding beyond the drawing's edge.
    const start = (lo, extent, span) => {
      const p = pad / scale;
      if (span >= extent + 2 * p) return lo + extent / 2 - span / 2;
      return Math.min(Math.max(-span / 2, lo - p), lo + extent + p - span);
    };
    view.x = start(bb.x, bb.width, view.w);
    view.y = start(bb.y, bb.height, view.h);
    apply();
  };
  const zoom = (factor, px = 0.5, py = 0.5) => {
    const nw = Math.min(Math.max(view.w / factor, 80), 20000);
    const nh = (nw / view.w) * view.h;
    view.x += (view.w - nw) * px;
    view.y += (view.h - nh) * py;
    view.w = nw;
    view.h = nh;
    apply();
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoom(Math.exp(-ev.deltaY * 0.0015), (ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height);
  }, { passive: false });
  let drag = null;
  let suppressClick = false;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false, id: ev.pointerId };
    suppressClick = false;
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    if (!drag.moved) {
      drag.moved = true;
      svg.setPointerCapture(ev.pointerId);
      svg.classList.add('is-panning');
    }
    const r = svg.getBoundingClientRect();
    view.x = drag.vx - (dx * view.w) / r.width;
    view.y = drag.vy - (dy * view.h) / r.height;
    apply();
  });
  const endDrag = (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    suppressClick = drag.moved;
    svg.classList.remove('is-panning');
    drag = null;
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);

  const button = (label, text, fn) => h('button', { type: 'button', className: 'icon-button', 'aria-label': label, title: label, on: { click: fn } }, text);
  const toolbar = h('div', { className: 'graph-toolbar' },
    button('Zoom in', '+', () => zoom(1.3)),
    button('Zoom out', '−', () => zoom(1 / 1.3)),
    button('Show the whole drawing', 'Fit', () => fit(true)),
    ...tools);

  figure.prepend(toolbar);
  fit();
  const onResize = () => fit();
  window.addEventListener('resize', onResize);
  return {
    svg,
    layout: laid,
    fit,
    destroy() {
      window.removeEventListener('resize', onResize);
    },
  };
}

