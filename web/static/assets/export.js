// Taking a drawing away: the graph or the time axis as a standalone SVG file (every style
// written onto its element, nothing fetched from elsewhere, fonts named but not embedded) or
// as a PNG at twice its size, with a caption under it: what it shows, the "as of" date, the
// number of sources behind it and where it came from.

import { s } from './format.js';
import { measure } from './graph.js';

// The properties the stylesheet sets on the drawings, copied onto each element.
const PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap',
  'stroke-linejoin', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight',
  'font-style', 'paint-order', 'text-decoration', 'stop-color', 'stop-opacity',
];
// Parts of the page's drawing that are there for the pointer or the keyboard only.
const DROP = '.edge-hit, .hit, .drag-plate, .center-ring-focus';

const SVG_NS = 'http://www.w3.org/2000/svg';
const CAPTION_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const LINE = 17;

/** Copies the computed look of `src` and its descendants onto the parallel tree `dst`. */
function inline(src, dst) {
  const cs = getComputedStyle(src);
  if (cs.display === 'none' || cs.visibility === 'hidden' || src.matches(DROP)) {
    dst.remove();
    return;
  }
  const tag = src.tagName.toLowerCase();
  if (tag !== 'title' && tag !== 'defs') {
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) dst.setAttribute(p, v);
    }
  }
  for (const a of [...dst.attributes]) {
    if (a.name === 'class' || a.name === 'tabindex' || a.name === 'role' || a.name === 'href' || a.name.startsWith('aria-') || a.name.startsWith('data-')) {
      dst.removeAttribute(a.name);
    }
  }
  const kids = [...src.children];
  const copies = [...dst.children];
  kids.forEach((k, i) => inline(k, copies[i]));
  // Links become plain groups: the file stands alone.
  if (tag === 'a') {
    const g = document.createElementNS(SVG_NS, 'g');
    for (const a of [...dst.attributes]) g.setAttribute(a.name, a.value);
    g.append(...dst.childNodes);
    dst.replaceWith(g);
  }
}

/**
 * A standalone SVG document (as text) of `svg`, cropped to `box` ({x, y, width, height} in
 * its user space), with `caption` (lines of text; the first is drawn bold) and `legend`
 * (elements of the page, such as the legend's symbols, drawn in a row) underneath. Returns
 * {text, width, height}.
 */
export function standaloneSVG(svg, { box, caption, legend = [] }) {
  const pad = 16;
  const fontOf = (i) => `${i === 0 ? 700 : 400} ${i === 0 ? 13 : 11.5}px ${CAPTION_FONT}`;
  const widest = Math.max(...caption.map((line, i) => measure(line, fontOf(i))));
  const width = Math.ceil(Math.max(box.width + 2 * pad, 480, Math.min(widest + 2 * pad, 900)));
  const left = box.x - (width - box.width) / 2;
  const drawingH = Math.ceil(box.height + 2 * pad);
  const room = width - 2 * pad;

  // The legend: each item's symbol (copied with its look) and its words, in rows that fit.
  const legendFont = `11px ${CAPTION_FONT}`;
  const items = [];
  let lx = 0;
  let ly = 0;
  for (const { symbol, label } of legend) {
    const w = Number(symbol.getAttribute('width')) || 16;
    const h = Number(symbol.getAttribute('height')) || 16;
    const span = w + 4 + measure(label, legendFont);
    if (lx > 0 && lx + span > room) {
      lx = 0;
      ly += 20;
    }
    const sym = symbol.cloneNode(true);
    inline(symbol, sym);
    sym.setAttribute('x', String(lx));
    sym.setAttribute('y', String(ly - h / 2));
    items.push(sym, s('text', { x: lx + w + 4, y: ly + 4, 'font-family': CAPTION_FONT, 'font-size': 11, fill: '#334155' }, label));
    lx += span + 14;
  }
  const legendH = legend.length ? ly + 28 : 0;

  // Caption lines wrapped to the width, a long address broken anywhere.
  const lines = [];
  caption.forEach((line, i) => {
    for (const l of wrap(line, fontOf(i), room)) lines.push({ text: l, first: i === 0 });
  });
  const height = drawingH + legendH + lines.length * LINE + 14;

  const copy = svg.cloneNode(true);
  inline(svg, copy);
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.append(s('title', {}, caption[0]),
    s('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const drawing = document.createElementNS(SVG_NS, 'g');
  drawing.setAttribute('transform', `translate(${(-left).toFixed(1)} ${(pad - box.y).toFixed(1)})`);
  drawing.append(...copy.childNodes);
  root.append(drawing);
  if (items.length) root.append(s('g', { transform: `translate(${pad} ${drawingH + 12})` }, items));

  const text = s('g', { 'font-family': CAPTION_FONT });
  lines.forEach((line, i) => {
    text.append(s('text', {
      x: pad,
      y: drawingH + legendH + 12 + i * LINE,
      'font-size': line.first ? 13 : 11.5,
      'font-weight': line.first ? 700 : 400,
      fill: line.first ? '#0f172a' : '#334155',
    }, line.text));
  });
  root.append(s('line', { x1: pad, x2: width - pad, y1: drawingH + legendH - 2, y2: drawingH + legendH - 2, stroke: '#e2e8f0' }), text);
  return { text: new XMLSerializer().serializeToString(root), width, height };
}

/** Breaks text into lines of at most `max` pixels: at spaces, or anywhere in a long word. */
function wrap(text, font, max) {
  const out = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (measure(next, font) <= max) {
      line = next;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (measure(line, font) > max) {
      let cut = line.length - 1;
      while (cut > 1 && measure(line.slice(0, cut), font) > max) cut -= 1;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) out.push(line);
  return out;
}

/** Offers `blob` as a download called `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** The SVG as a PNG at `scale` times its size, drawn through a canvas. */
export async function toPNG({ text, width, height }, scale = 2) {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Export buttons: SVG and PNG of what `make()` returns ({svg, box, caption, legend, name}). */
export function exportButtons(make, className = 'icon-button') {
  const button = (kind) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `${className} export-${kind.toLowerCase()}`;
    b.textContent = kind;
    b.title = `Download the drawing as ${kind}, with its caption`;
    b.setAttribute('aria-label', b.title);
    b.addEventListener('click', async () => {
      const m = make();
      const out = standaloneSVG(m.svg, m);
      if (kind === 'SVG') {
        download(new Blob([out.text], { type: 'image/svg+xml' }), `${m.name}.svg`);
        return;
      }
      b.disabled = true;
      try {
        download(await toPNG(out, 2), `${m.name}.png`);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return [button('SVG'), button('PNG')];
}
