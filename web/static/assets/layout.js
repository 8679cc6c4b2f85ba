// The neighbourhood drawing's layout: radial layers by distance from the centre, with spacing
// that accounts for each label's size so labels do not overlap.
//
// Why radial layers rather than a force simulation: the question the drawing answers is
// "what is around this entity", and rings by distance answer it at a glance; the result is
// also fully deterministic (no random start, no iteration count to tune), so screenshots and
// tests are stable. Labels sit on the outer side of their node (horizontally on small rings,
// along the radius on crowded ones), so a ring only has to make room for each label's
// thickness along the circle, and the next ring starts beyond the longest label.
//
// This module is pure: it takes the graph and a text-measuring function and returns
// coordinates; the drawing module turns them into SVG.

export const NODE_RADIUS = 8;
export const CENTER_RADIUS = 13;
export const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
export const CENTER_FONT = `700 ${LABEL_FONT}`; // the centre's label is bold
export const EDGE_FONT = '10px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
export const LINE_HEIGHT = 14;
const BASELINE = 11; // from the top of a 14px line to the baseline of 12px text
const LABEL_GAP = 4; // between a node and its label
const NODE_GAP = 8; // between neighbours on a ring
const LINKED_GAP = 64; // more between related neighbours on a ring, for the label between them
const RING_GAP = 70; // between the outermost label of a ring and the nodes of the next
const MIN_FIRST_RING = 170; // room for edge labels between the centre and the first ring
const FAN_STEP = 0.75; // radians between the ends of neighbouring parallel edges at a node
const FAN_MAX = 2.4; // radians the ends of all the edges between a pair may spread over
const BOW = 22; // how far apart, at their middles, neighbouring parallel edges run
const ARROW_LENGTH = 9;
const ARROW_HALF_WIDTH = 4;
const LABEL_PAD = 1.5; // added around a node label's box, so labels keep a little apart
const LABEL_MARGIN = 3; // kept clear around an edge label
const HORIZONTAL_LIMIT = 0.34; // |cos| below which a horizontal label sits above or below
const MAX_LINE = 24; // characters per label line
export const ROTATE_ABOVE = 30; // rings with more nodes get labels along the radius

const KIND_ORDER = ['ORGANIZATION', 'BRAND', 'VEHICLE_MODEL', 'PLANT', 'PLACE', 'AGREEMENT'];
const TAU = Math.PI * 2;

/**
 * Splits a name into at most two lines of about MAX_LINE characters, ending the second with
 * an ellipsis when the name is longer.
 */
export function wrapLabel(name, max = MAX_LINE) {
  if (name.length <= max) return [name];
  const words = name.split(/\s+/);
  const lines = [];
  let line = '';
  for (const w of words) {
    if (!line) line = w;
    else if (line.length + 1 + w.length <= max) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  const out = lines.slice(0, 2).map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
  if (lines.length > 2) out[1] = `${out[1].slice(0, max - 1).replace(/\s*\S{0,3}$/, '')}…`;
  return out;
}

function compareNodes(a, b) {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    a.name.localeCompare(b.name, 'en') ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Lays out a graph around `centerId`.
 *
 * nodes: [{id, name, kind}]; edges: [{id, from, to, type, status}]; measure(text, font) gives
 * a text's width in pixels; edgeLabel(edge) the text drawn on an edge; aspect the width / height
 * of the area the drawing goes in (the rings are stretched into ellipses, up to 1.6 times, to
 * fill a wide or a tall area); maxLine the characters per label line.
 *
 * Returns {nodes, edges, bbox}: each node with x, y, r, depth and label {lines, transform,
 * anchor, x, y, box}; each edge with path, label {text, transform, box, hidden} and its
 * endpoints; bbox {x, y, width, height} of everything drawn.
 */
export function layoutGraph({ nodes, edges, centerId, measure, edgeLabel, aspect = 1, maxLine = MAX_LINE }) {
  const byId = new Map();
  for (const n of nodes) {
    byId.set(n.id, { ...n, x: 0, y: 0, angle: 0, depth: Infinity, neighbours: [] });
  }
  const center = byId.get(centerId) || byId.get(nodes[0] && nodes[0].id);
  if (!center) return { nodes: [], edges: [], bbox: { x: -100, y: -100, width: 200, height: 200 } };
  const links = edges.filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);
  for (const e of links) {
    byId.get(e.from).neighbours.push(byId.get(e.to));
    byId.get(e.to).neighbours.push(byId.get(e.from));
  }

  // Distance from the centre, following relations both ways.
  center.depth = 0;
  const queue = [center];
  for (let i = 0; i < queue.length; i++) {
    for (const m of queue[i].neighbours) {
      if (m.depth === Infinity) {
        m.depth = queue[i].depth + 1;
        queue.push(m);
      }
    }
  }
  const all = [...byId.values()];
  const maxDepth = Math.max(0, ...all.filter((n) => n.depth !== Infinity).map((n) => n.depth));
  for (const n of all) if (n.depth === Infinity) n.depth = maxDepth + 1; // not connected: outermost

  for (const n of all) {
    n.r = n === center ? CENTER_RADIUS : NODE_RADIUS;
    n.lines = wrapLabel(n.name, maxLine);
    n.labelWidth = Math.max(...n.lines.map((l) => measure(l, n === center ? CENTER_FONT : LABEL_FONT)));
    n.neighbours.sort(compareNodes);
  }

  const rings = [];
  for (const n of all) {
    if (n === center) continue;
    (rings[n.depth - 1] ||= []).push(n);
  }
  for (let i = 0; i < rings.length; i++) rings[i] ||= [];

  // The first ring: related nodes next to each other (a brand beside its models), groups of
  // the same kind together.
  if (rings[0]) rings[0] = orderFirstRing(rings[0]);

  // Placement. Radii depend on label extents, which depend on angles, which depend on radii:
  // a few rounds settle it.
  placeLabel(center, 0, false);
  const radii = [];
  for (let round = 0; round < 3; round++) {
    let inner = labelReach(center);
    let prevR = 0;
    for (let k = 0; k < rings.length; k++) {
      const ring = rings[k];
      if (!ring.length) {
        radii[k] = prevR;
        continue;
      }
      const rotate = ring.length > ROTATE_ABOVE;
      if (round === 0) ring.forEach((n, i) => (n.angle = -Math.PI / 2 + (TAU * (i + 0.5)) / ring.length));
      if (k > 0) {
        for (const n of ring) n.wish = parentAngle(n, k);
        ring.sort((a, b) => a.wish - b.wish || compareNodes(a, b));
      }
      for (const n of ring) placeLabel(n, n.angle, rotate);
      const need = ring.reduce((sum, n) => sum + n.tangent[0] + n.tangent[1] + NODE_GAP, 0);
      const inward = Math.max(...ring.map((n) => n.radial[0]));
      const fill = k === 0 ? 0.85 : 0.75;
      let R = Math.max(need / (TAU * fill), prevR + inner + inward + RING_GAP);
      if (k === 0) R = Math.max(R, MIN_FIRST_RING);
      radii[k] = R;
      if (k === 0) spreadEvenly(ring, R);
      else packAround(ring, R);
      for (const n of ring) {
        placeLabel(n, n.angle, rotate);
        n.x = R * Math.cos(n.angle);
        n.y = R * Math.sin(n.angle);
      }
      inner = Math.max(...ring.map((n) => n.radial[1]));
      prevR = R;
    }
  }
  for (const n of all) n.label.box = n.label.box.map(([bx, by]) => [bx + n.x, by + n.y]);
  separate(all, center);

  // Stretch to the shape of the area: wider for a wide one, taller for a tall one. Only
  // positions stretch, never labels, so labels only move apart; a last separation pass
  // catches the odd pair of rotated labels that do not.
  const extent = boxOf(all.flatMap((n) => n.label.box.concat(squareAround(n))));
  const ratio = aspect / (extent.width / extent.height || 1);
  const kx = Math.min(1.6, Math.max(1, ratio));
  const ky = Math.min(1.6, Math.max(1, 1 / ratio));
  if (kx > 1.01 || ky > 1.01) {
    for (const n of all) {
      const dx = n.x * (kx - 1);
      const dy = n.y * (ky - 1);
      n.x += dx;
      n.y += dy;
      n.label.box = n.label.box.map(([bx, by]) => [bx + dx, by + dy]);
    }
    separate(all, center);
  }

  // Edges: straight when alone between two nodes; when several join the same pair, fanned
  // out from both ends so each leaves and arrives at its own point and bows to its own side.
  const groups = new Map();
  for (const e of links) {
    const key = e.from < e.to ? `${e.from}\u0000${e.to}` : `${e.to}\u0000${e.from}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  }
  const outEdges = [];
  for (const group of groups.values()) {
    // In a stable order whatever order the API sent them in.
    group.sort((x, y) => compareIds(x.type, y.type) || compareIds(x.status, y.status) || compareIds(x.id, y.id));
    group.forEach((e, i) => {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      const geo = edgeGeometry(a, b, i - (group.length - 1) / 2, group.length);
      outEdges.push({ ...e, source: a, target: b, ...geo, label: null });
    });
  }

  // Edge labels, each at the first spot along its edge that keeps LABEL_MARGIN clear of every
  // node, node label, arrowhead and edge label placed before it; hidden (shown while an end is pointed
  // at or focused) when there is none. Edges near the centre go first, then short ones, which
  // have the fewest spots.
  const placed = all.flatMap((n) => [n.label.box, squareAround(n)]);
  const taken = new Grid();
  for (const p of placed) taken.add(p);
  for (const e of outEdges) taken.add(e.arrow); // a label must not hide which way an edge points
  const byPriority = [...outEdges].sort((x, y) =>
    Math.min(x.source.depth, x.target.depth) - Math.min(y.source.depth, y.target.depth) ||
    x.length - y.length ||
    compareIds(x.id, y.id));
  for (const e of byPriority) {
    e.label = placeEdgeLabel(edgeLabel ? edgeLabel(e) : e.type, e.curve, taken, measure);
    if (!e.label.hidden) {
      taken.add(e.label.box);
      placed.push(e.label.box);
    }
    placed.push(e.curve, e.arrow);
  }

  const order = [center, ...rings.flat()];
  return {
    nodes: order.map((n) => ({ id: n.id, name: n.name, kind: n.kind, x: n.x, y: n.y, r: n.r, depth: n.depth, label: n.label })),
    edges: outEdges,
    radii,
    bbox: boxOf(placed.flat()),
  };
}

/** The bounding box of points. */
function boxOf(points) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [px, py] of points) {
    x0 = Math.min(x0, px);
    y0 = Math.min(y0, py);
    x1 = Math.max(x1, px);
    y1 = Math.max(y1, py);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function fmt(v) {
  return Math.round(v * 10) / 10;
}

function compareIds(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The path of an edge from a to b, the k-th (counted from the middle: ..., -1, 0, 1, ...) of
 * n between the same pair: a cubic curve that leaves a and reaches b at angles fanned out by
 * k, mirrored about the pair's middle, so parallel edges bow apart and their arrowheads sit
 * at different points of b's outline. Angles are measured on the pair's canonical direction
 * (by id), so two edges of one pair pointing opposite ways still go to different sides.
 *
 * Returns {path, curve (the four control points), arrow (the arrowhead's triangle), tip,
 * length}.
 */
function edgeGeometry(a, b, k, n) {
  const [p, q] = a.id < b.id ? [a, b] : [b, a];
  const base = Math.atan2(q.y - p.y, q.x - p.x);
  const step = n > 1 ? Math.min(FAN_STEP, FAN_MAX / (n - 1)) : 0;
  const phi = k * step;
  const atP = base + phi; // the direction the edge leaves p in
  const atQ = base + Math.PI - phi; // ... and q
  const at = (node, angle, d) => [node.x + Math.cos(angle) * d, node.y + Math.sin(angle) * d];
  const ra = (node) => (node === b ? node.r + 2 : node.r + 1); // the arrow's tip stops short of b
  const p0 = at(p, atP, ra(p));
  const q0 = at(q, atQ, ra(q));
  const chord = Math.hypot(q0[0] - p0[0], q0[1] - p0[1]);
  let c = chord / 3;
  // Far enough out that neighbouring middles are BOW apart, unless the ends are so close that
  // the curve would loop: then the fanned ends alone keep the edges apart.
  if (k !== 0) c = Math.max(chord * 0.3, Math.min((BOW * Math.abs(k)) / (0.75 * Math.sin(Math.abs(phi))), chord * 0.7));
  const p1 = [p0[0] + Math.cos(atP) * c, p0[1] + Math.sin(atP) * c];
  const q1 = [q0[0] + Math.cos(atQ) * c, q0[1] + Math.sin(atQ) * c];
  const curve = a === p ? [p0, p1, q1, q0] : [q0, q1, p1, p0];
  // The arrowhead points along the curve's last tangent; the line stops at its base.
  const tip = curve[3];
  let ux = tip[0] - curve[2][0];
  let uy = tip[1] - curve[2][1];
  const ul = Math.hypot(ux, uy) || 1;
  ux /= ul;
  uy /= ul;
  const baseX = tip[0] - ux * ARROW_LENGTH;
  const baseY = tip[1] - uy * ARROW_LENGTH;
  const arrow = [tip, [baseX - uy * ARROW_HALF_WIDTH, baseY + ux * ARROW_HALF_WIDTH], [baseX + uy * ARROW_HALF_WIDTH, baseY - ux * ARROW_HALF_WIDTH]];
  const end = [baseX + ux, baseY + uy];
  const [s0, s1, s2] = curve;
  const path = k === 0
    ? `M${fmt(s0[0])},${fmt(s0[1])}L${fmt(end[0])},${fmt(end[1])}`
    : `M${fmt(s0[0])},${fmt(s0[1])}C${fmt(s1[0])},${fmt(s1[1])} ${fmt(s2[0])},${fmt(s2[1])} ${fmt(end[0])},${fmt(end[1])}`;
  return {
    path,
    curve,
    arrow: arrow.map(([x, y]) => [fmt(x), fmt(y)]),
    tip: [fmt(tip[0]), fmt(tip[1])],
    length: chord,
  };
}

/** Orders the first ring: connected groups together (walked depth first), by kind and name. */
function orderFirstRing(ring) {
  const inRing = new Set(ring);
  const sorted = [...ring].sort(compareNodes);
  const seen = new Set();
  const out = [];
  const walk = (n) => {
    seen.add(n);
    out.push(n);
    for (const m of n.neighbours) if (inRing.has(m) && !seen.has(m)) walk(m);
  };
  for (const n of sorted) if (!seen.has(n)) walk(n);
  return out;
}

/** The circular mean of the angles of a node's neighbours on the ring inside its own. */
function parentAngle(n, k) {
  let sx = 0;
  let sy = 0;
  for (const m of n.neighbours) {
    if (m.depth === k) {
      sx += Math.cos(m.angle);
      sy += Math.sin(m.angle);
    }
  }
  if (!sx && !sy) return n.angle;
  return norm(Math.atan2(sy, sx));
}

function norm(a) {
  return ((a % TAU) + TAU) % TAU;
}

/** The distance from a node's centre to the far end of its label. */
function labelReach(n) {
  return Math.max(...n.label.box.map(([x, y]) => Math.hypot(x, y)), n.r);
}

/**
 * Places a node's label on the outer side of the node at `angle`: along the radius when
 * `rotate`, else horizontally (to the right on the right-hand side, to the left on the left,
 * centred above or below near the top and bottom). Sets n.label, and n.tangent / n.radial:
 * how far node and label reach either way along the ring and across it.
 */
function placeLabel(n, angle, rotate) {
  const w = n.labelWidth;
  const h = n.lines.length * LINE_HEIGHT;
  const c = Math.cos(angle);
  const sn = Math.sin(angle);
  const gap = n.r + LABEL_GAP;
  let box;
  const P = LABEL_PAD;
  if (n.depth === 0) {
    box = rect(-w / 2 - P, gap - P, w / 2 + P, gap + h + P);
    n.label = { lines: n.lines, anchor: 'middle', x: 0, y: gap + BASELINE, rotate: 0 };
  } else if (rotate) {
    const deg = (angle * 180) / Math.PI;
    const flip = c < 0;
    const local = rect(gap - P, -h / 2 - P, gap + w + P, h / 2 + P);
    box = local.map(([x, y]) => [x * c - y * sn, x * sn + y * c]);
    n.label = flip
      ? { lines: n.lines.slice(0, 1), anchor: 'end', x: -gap, y: BASELINE - LINE_HEIGHT / 2, rotate: deg + 180 }
      : { lines: n.lines.slice(0, 1), anchor: 'start', x: gap, y: BASELINE - LINE_HEIGHT / 2, rotate: deg };
  } else if (c > HORIZONTAL_LIMIT) {
    box = rect(gap - P, -h / 2 - P, gap + w + P, h / 2 + P);
    n.label = { lines: n.lines, anchor: 'start', x: gap, y: -h / 2 + BASELINE, rotate: 0 };
  } else if (c < -HORIZONTAL_LIMIT) {
    box = rect(-gap - w - P, -h / 2 - P, -gap + P, h / 2 + P);
    n.label = { lines: n.lines, anchor: 'end', x: -gap, y: -h / 2 + BASELINE, rotate: 0 };
  } else if (sn < 0) {
    box = rect(-w / 2 - P, -gap - h - P, w / 2 + P, -gap + P);
    n.label = { lines: n.lines, anchor: 'middle', x: 0, y: -gap - h + BASELINE, rotate: 0 };
  } else {
    box = rect(-w / 2 - P, gap - P, w / 2 + P, gap + h + P);
    n.label = { lines: n.lines, anchor: 'middle', x: 0, y: gap + BASELINE, rotate: 0 };
  }
  n.label.box = box;
  // What a pointer can hit: node and label and the gap between them, in the node's frame.
  if (rotate && n.depth > 0) {
    n.label.hit = rect(-n.r, -Math.max(h / 2, n.r), gap + w, Math.max(h / 2, n.r)).map(([x, y]) => [x * c - y * sn, x * sn + y * c]);
  } else {
    const xs = [...box.map((p) => p[0]), -n.r, n.r];
    const ys = [...box.map((p) => p[1]), -n.r, n.r];
    n.label.hit = rect(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }
  // Extents of node (a disc, as wide in every direction) and label along the ring's tangent
  // and its radius.
  let t0 = -n.r;
  let t1 = n.r;
  let r0 = -n.r;
  let r1 = n.r;
  for (const [x, y] of box) {
    const t = -x * sn + y * c;
    const r = x * c + y * sn;
    t0 = Math.min(t0, t);
    t1 = Math.max(t1, t);
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
  }
  n.tangent = [-t0, t1];
  n.radial = [-r0, r1];
}

function rect(x0, y0, x1, y1) {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}

function squareAround(n) {
  return rect(n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r);
}

/**
 * The angle two neighbours on a ring of radius R must be apart: room for their labels, and
 * for an edge label when they are related (a brand and the assembler beside it).
 */
function separation(a, b, R) {
  const linked = a.neighbours.includes(b) ? LINKED_GAP : 0;
  return (a.tangent[1] + b.tangent[0] + NODE_GAP + linked) / R;
}

/** Spreads the first ring around the circle, each node's share growing with its label. */
function spreadEvenly(ring, R) {
  const n = ring.length;
  const seps = ring.map((a, i) => separation(a, ring[(i + 1) % n], R));
  const total = seps.reduce((s, v) => s + v, 0);
  const slack = Math.max(0, TAU - total) / n;
  // The gap between the last node and the first is centred at the top.
  let angle = -Math.PI / 2 + (seps[n - 1] + slack) / 2;
  if (n === 1) angle = -Math.PI / 2;
  for (let i = 0; i < n; i++) {
    ring[i].angle = norm(angle);
    angle += seps[i] + slack;
  }
}

/**
 * Puts each node of an outer ring as close as it can to the angle it wishes for (that of its
 * neighbours further in) while keeping every pair of neighbours far enough apart: a
 * least-squares fit under minimum gaps, solved by pooling adjacent violators.
 */
function packAround(ring, R) {
  const n = ring.length;
  if (n === 1) {
    ring[0].angle = ring[0].wish;
    return;
  }
  // Cut the circle in the widest gap between wishes, and unroll it into a line from there.
  let cut = 0;
  let widest = -1;
  for (let i = 0; i < n; i++) {
    const gap = i === 0 ? ring[0].wish + TAU - ring[n - 1].wish : ring[i].wish - ring[i - 1].wish;
    if (gap > widest) {
      widest = gap;
      cut = i;
    }
  }
  const line = [...ring.slice(cut), ...ring.slice(0, cut)];
  const base = line[0].wish;
  const wish = line.map((m) => (m.wish < base ? m.wish + TAU : m.wish));
  const offset = [0];
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1] + separation(line[i - 1], line[i], R);
  const wrapSep = separation(line[n - 1], line[0], R);
  if (offset[n - 1] + wrapSep > TAU) {
    // No room to honour wishes: spread in order.
    const scale = TAU / (offset[n - 1] + wrapSep);
    line.forEach((m, i) => (m.angle = norm(base + offset[i] * scale)));
    return;
  }
  // Isotonic regression of wish - offset.
  const blocks = [];
  for (let i = 0; i < n; i++) {
    blocks.push({ sum: wish[i] - offset[i], count: 1, start: i });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.count <= b.sum / b.count) break;
      a.sum += b.sum;
      a.count += b.count;
      blocks.pop();
    }
  }
  for (const b of blocks) {
    const v = b.sum / b.count;
    for (let i = b.start; i < b.start + b.count; i++) line[i].angle = v + offset[i];
  }
  // The two ends may now come too close across the cut. Then shrink the spare room between
  // neighbours (never below their minimum gap) until they fit, keeping the middle in place.
  const span = line[n - 1].angle - line[0].angle;
  const over = span + wrapSep - TAU;
  if (over > 0) {
    const spare = span - offset[n - 1];
    const keep = spare > 0 ? Math.max(0, spare - over) / spare : 0;
    const mid = (line[0].angle + line[n - 1].angle) / 2;
    const angles = [line[0].angle];
    for (let i = 1; i < n; i++) {
      const minGap = offset[i] - offset[i - 1];
      const extra = line[i].angle - line[i - 1].angle - minGap;
      angles[i] = angles[i - 1] + minGap + extra * keep;
    }
    const shift = mid - (angles[0] + angles[n - 1]) / 2;
    line.forEach((m, i) => (m.angle = angles[i] + shift));
  }
  for (const m of line) m.angle = norm(m.angle);
}

/**
 * Removes what overlap remains (a long label on a crowded ring, say) by moving the outer of
 * two overlapping nodes further out, a step at a time.
 */
function separate(all, center) {
  const grid = new Grid();
  const shapes = all.map((n) => [n.label.box, squareAround(n)]);
  all.forEach((n, i) => shapes[i].forEach((p) => grid.add(p, i)));
  for (let iter = 0; iter < 80; iter++) {
    let moved = false;
    for (let i = 0; i < all.length; i++) {
      const others = new Set();
      for (const p of shapes[i]) for (const j of grid.hits(p)) if (j > i) others.add(j);
      for (const j of [...others].sort((x, y) => x - y)) {
        // Still overlapping? (An earlier move this round may have settled it.)
        if (!shapes[i].some((p) => shapes[j].some((q) => overlaps(p, q)))) continue;
        const a = all[i];
        const b = all[j];
        // Move the outer one (the later one on the same ring); never the centre.
        let k = a.depth > b.depth ? i : j;
        if (all[k] === center) k = k === i ? j : i;
        const m = all[k];
        const d = Math.hypot(m.x, m.y) || 1;
        const step = 6;
        const dx = (m.x / d) * step;
        const dy = (m.y / d) * step;
        m.x += dx;
        m.y += dy;
        m.label.box = m.label.box.map(([x, y]) => [x + dx, y + dy]);
        shapes[k].forEach((p) => grid.remove(p));
        shapes[k] = [m.label.box, squareAround(m)];
        shapes[k].forEach((p) => grid.add(p, k));
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/**
 * A uniform grid over polygons, so overlap tests only look at polygons nearby rather than at
 * every one (a 200-node drawing has some 450 node and edge-label boxes).
 */
class Grid {
  constructor(cell = 48) {
    this.cell = cell;
    this.cells = new Map();
  }

  keys(p) {
    const [x0, y0, x1, y1] = bounds(p);
    const c = this.cell;
    const out = [];
    for (let i = Math.floor(x0 / c); i <= Math.floor(x1 / c); i++) {
      for (let j = Math.floor(y0 / c); j <= Math.floor(y1 / c); j++) out.push(`${i},${j}`);
    }
    return out;
  }

  add(p, value = p) {
    for (const k of this.keys(p)) {
      if (!this.cells.has(k)) this.cells.set(k, []);
      this.cells.get(k).push([p, value]);
    }
  }

  remove(p) {
    for (const k of this.keys(p)) {
      const list = this.cells.get(k);
      if (list) this.cells.set(k, list.filter(([q]) => q !== p));
    }
  }

  /** The values of the polygons that overlap p. */
  hits(p) {
    const out = new Set();
    for (const k of this.keys(p)) {
      for (const [q, v] of this.cells.get(k) || []) if (!out.has(v) && overlaps(p, q)) out.add(v);
    }
    return out;
  }
}

// Bounding boxes of polygons, computed once per polygon: a moved polygon is a new array.
const boundsCache = new WeakMap();
function bounds(p) {
  let b = boundsCache.get(p);
  if (!b) {
    b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of p) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
    boundsCache.set(p, b);
  }
  return b;
}

/** Whether two convex polygons overlap (separating axis test). */
export function overlaps(p, q) {
  // Bounding boxes first: most pairs are far apart.
  const [px0, py0, px1, py1] = bounds(p);
  const [qx0, qy0, qx1, qy1] = bounds(q);
  if (px1 <= qx0 || qx1 <= px0 || py1 <= qy0 || qy1 <= py0) return false;
  for (const poly of [p, q]) {
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i];
      const [x1, y1] = poly[(i + 1) % poly.length];
      const ax = y0 - y1;
      const ay = x1 - x0;
      let pmin = Infinity;
      let pmax = -Infinity;
      let qmin = Infinity;
      let qmax = -Infinity;
      for (const [x, y] of p) {
        const v = x * ax + y * ay;
        pmin = Math.min(pmin, v);
        pmax = Math.max(pmax, v);
      }
      for (const [x, y] of q) {
        const v = x * ax + y * ay;
        qmin = Math.min(qmin, v);
        qmax = Math.max(qmax, v);
      }
      if (pmax <= qmin + 1e-6 || qmax <= pmin + 1e-6) return false;
    }
  }
  return true;
}

/**
 * Places an edge's label along its curve, upright, at the first of a few positions from the
 * middle outwards where it keeps LABEL_MARGIN clear of everything placed so far; `hidden`
 * (at the middle) when there is no such position.
 */
function placeEdgeLabel(text, curve, taken, measure) {
  const w = measure(text, EDGE_FONT) + 4;
  const h = 12;
  const [p0, p1, p2, p3] = curve;
  const point = (t) => {
    const u = 1 - t;
    const b = (i) => u * u * u * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t * t * t * p3[i];
    const d = (i) => 3 * u * u * (p1[i] - p0[i]) + 6 * u * t * (p2[i] - p1[i]) + 3 * t * t * (p3[i] - p2[i]);
    return [b(0), b(1), d(0), d(1)];
  };
  let first = null;
  for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73]) {
    const [x, y, dx, dy] = point(t);
    let deg = (Math.atan2(dy, dx) * 180) / Math.PI;
    if (deg > 90) deg -= 180;
    if (deg < -90) deg += 180;
    const rad = (deg * Math.PI) / 180;
    const c = Math.cos(rad);
    const sn = Math.sin(rad);
    const turn = (hw, hh) => rect(-hw, -hh, hw, hh).map(([px, py]) => [x + px * c - py * sn, y + px * sn + py * c]);
    const box = turn(w / 2, h / 2);
    const label = { text, x: fmt(x), y: fmt(y), rotate: fmt(deg), width: fmt(w), box, hidden: false };
    if (!first) first = label;
    if (!taken.hits(turn(w / 2 + LABEL_MARGIN, h / 2 + LABEL_MARGIN)).size) return label;
  }
  first.hidden = true;
  return first;
}
