/**
 * Small SVG charts, drawn here rather than by a library: the page's CSP forbids inline style, and the
 * charts needed (horizontal bars, lines over months) are a few dozen elements each. Every label goes in
 * as text; each chart carries a <title> and each mark a <title> tooltip, and a table beside it holds
 * the same numbers for screen readers and copying.
 */
import { svg } from '../dom.js';

export interface Bar {
  label: string;
  value: number;
  /** Shown at the bar's end instead of the value. */
  text?: string;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(1));

/** Horizontal bars, one per row, scaled to the largest value. */
export function barChart(title: string, bars: Bar[], opts: { max?: number; series?: number } = {}): SVGSVGElement {
  const rowH = 22;
  const labelW = 170;
  const barW = 360;
  const h = bars.length * rowH + 26;
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const root = svg('svg', { viewBox: `0 0 ${labelW + barW + 70} ${h}`, class: 'ws-chart', role: 'img', 'aria-label': title }, [svg('title', {}, [title])]);
  root.appendChild(svg('text', { x: 0, y: 14, class: 'ws-chart-title' }, [title]));
  bars.forEach((b, i) => {
    const y = 24 + i * rowH;
    const w = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * barW) : 0;
    const label = b.label.length > 26 ? b.label.slice(0, 25) + '\u2026' : b.label;
    root.appendChild(svg('text', { x: labelW - 6, y: y + 14, 'text-anchor': 'end', class: 'ws-chart-label' }, [label]));
    root.appendChild(
      svg('rect', { x: labelW, y: y + 3, width: w.toFixed(1), height: rowH - 7, class: `ws-bar ws-s${opts.series ?? 0}` }, [
        svg('title', {}, [`${b.label}: ${b.text ?? fmt(b.value)}`]),
      ]),
    );
    root.appendChild(svg('text', { x: labelW + w + 5, y: y + 14, class: 'ws-chart-value' }, [b.text ?? fmt(b.value)]));
  });
  return root;
}

export interface Series {
  name: string;
  /** One value per x label; null where there is no value. */
  values: (number | null)[];
}

/** Lines over ordered x labels (months), with a legend; `percent` formats the axis as shares. */
export function lineChart(title: string, labels: string[], series: Series[], opts: { percent?: boolean } = {}): SVGSVGElement {
  const W = 640;
  const H = 230;
  const left = 48;
  const right = 34;
  const top = 28;
  const bottom = 46;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = opts.percent ? Math.max(0.05, ...all) : Math.max(1, ...all);
  const x = (i: number) => left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const tick = (v: number) => (opts.percent ? `${Math.round(v * 100)}%` : fmt(Math.round(v)));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'ws-chart', role: 'img', 'aria-label': title }, [svg('title', {}, [title])]);
  root.appendChild(svg('text', { x: 0, y: 14, class: 'ws-chart-title' }, [title]));
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    root.appendChild(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'ws-grid' }));
    root.appendChild(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'ws-chart-label' }, [tick(v)]));
  }
  // At most ~12 x labels, evenly spread.
  const step = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((l, i) => {
    if (i % step !== 0 && i !== labels.length - 1) return;
    root.appendChild(svg('text', { x: x(i), y: H - bottom + 16, 'text-anchor': 'middle', class: 'ws-chart-label' }, [l]));
  });
  series.forEach((s, k) => {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d && s.values[i - 1] !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    if (d) root.appendChild(svg('path', { d, class: `ws-line ws-s${k}`, fill: 'none' }));
    s.values.forEach((v, i) => {
      if (v === null) return;
      root.appendChild(svg('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3, class: `ws-dot ws-s${k}` }, [svg('title', {}, [`${s.name}, ${labels[i]}: ${tick(v)}`])]));
    });
    // Legend under the axis.
    const lx = left + k * 150;
    root.appendChild(svg('rect', { x: lx, y: H - 16, width: 12, height: 4, class: `ws-bar ws-s${k}` }));
    root.appendChild(svg('text', { x: lx + 16, y: H - 11, class: 'ws-chart-label' }, [s.name]));
  });
  return root;
}
