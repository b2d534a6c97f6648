/* global document */
// The ops dashboard's charts as inline SVG built with DOM calls (no chart library; the CSP allows no inline
// style, so looks come from classes in admin.css and geometry from attributes), and relative ages.

const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 150;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

let chartCount = 0;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** "just now", "3 min ago", "2 h ago", "4 d ago" (suffix '' for a plain duration). */
export function ago(ms, suffix = ' ago') {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 10) return suffix === '' ? `${s} s` : 'just now';
  if (s < 60) return `${s} s${suffix}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${suffix}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${suffix}`;
  return `${Math.floor(h / 24)} d${suffix}`;
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const f of [1, 2, 5, 10]) if (f * p >= max) return f * p;
  return 10 * p;
}

const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function frame(id, title, top, firstLabel, lastLabel, unit, className) {
  const titleId = `${id}-title-${++chartCount}`;
  const root = svg('svg', {
    id,
    class: `chart${className ? ` ${className}` : ''}`,
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-labelledby': titleId,
  });
  root.append(
    svg('title', { id: titleId, text: title }),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top + PLOT_H, x2: W - PAD.right, y2: PAD.top + PLOT_H }),
    svg('line', { class: 'grid', x1: PAD.left, y1: PAD.top, x2: W - PAD.right, y2: PAD.top }),
    svg('text', { class: 'tick', x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end', text: `${fmt(top)}${unit}` }),
    svg('text', { class: 'tick', x: PAD.left - 4, y: PAD.top + PLOT_H, 'text-anchor': 'end', text: '0' }),
    svg('text', { class: 'tick', x: PAD.left, y: H - 6, text: firstLabel ?? '' }),
    svg('text', { class: 'tick', x: W - PAD.right, y: H - 6, 'text-anchor': 'end', text: lastLabel ?? '' }),
  );
  return root;
}

/**
 * One bar per point (`value`), with the `highlight` share (errors) drawn over its foot; each bar's <title> says
 * its minute and numbers, so hovering or a screen reader gives the exact values.
 */
export function barChart({ id, title, points, className }) {
  const top = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const root = frame(id, title, top, points[0]?.label, points.at(-1)?.label, '', className);
  const step = PLOT_W / Math.max(1, points.length);
  const width = Math.max(1, step - 2);
  const scale = (v) => (v / top) * PLOT_H;
  points.forEach((p, i) => {
    const x = PAD.left + i * step + 1;
    const h = scale(p.value);
    const group = svg('g', { class: 'point' }, svg('title', { text: `${p.label}: ${p.text}` }));
    group.append(svg('rect', { class: 'bar', x, y: PAD.top + PLOT_H - h, width, height: h }));
    if (p.highlight > 0) {
      const hh = scale(p.highlight);
      group.append(svg('rect', { class: 'bar-highlight', x, y: PAD.top + PLOT_H - hh, width, height: hh }));
    }
    // An invisible full-height target so an empty minute can be hovered too.
    group.append(svg('rect', { class: 'hit', x, y: PAD.top, width, height: PLOT_H }));
    root.append(group);
  });
  return root;
}

/** One line per series over the same x axis; a null (no requests that minute) breaks the line. */
export function lineChart({ id, title, unit, labels, series }) {
  const all = series.flatMap((s) => s.values.filter((v) => v !== null));
  const top = niceMax(Math.max(0, ...all));
  const root = frame(id, title, top, labels[0], labels.at(-1), ` ${unit}`);
  const step = PLOT_W / Math.max(1, labels.length);
  const x = (i) => PAD.left + i * step + step / 2;
  const y = (v) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  series.forEach((s, k) => {
    let d = '';
    let drawing = false;
    const dots = [];
    s.values.forEach((v, i) => {
      if (v === null) {
        drawing = false;
        return;
      }
      d += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      drawing = true;
      dots.push(
        svg(
          'circle',
          { class: `dot ${s.className}`, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5 },
          svg('title', { text: `${labels[i]}: ${s.name} ${v} ${unit}` }),
        ),
      );
    });
    root.append(svg('path', { class: `line ${s.className}`, d: d.trim() || 'M0 0' }), ...dots);
    const lx = PAD.left + 8 + k * 70;
    root.append(
      svg('rect', { class: `legend ${s.className}`, x: lx, y: PAD.top + 2, width: 10, height: 10 }),
      svg('text', { class: 'tick', x: lx + 14, y: PAD.top + 11, text: s.name }),
    );
  });
  return root;
}
