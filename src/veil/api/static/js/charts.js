// Inline SVG charts drawn from data: grouped bar charts (risk, utility, class-size histograms).

const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The smallest "round" axis maximum (4 ticks of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n) at or above value. */
function niceMax(value, integer = false, ticks = 4) {
  if (!(value > 0)) return integer ? ticks : 1;
  const raw = integer ? Math.max(1, value / ticks) : value / ticks;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * exp;
    if (step >= raw * 0.999 && (!integer || Number.isInteger(step))) return step * ticks;
  }
  return 10 * exp * ticks;
}

/**
 * groupedBars({categories: ["a","b"], series: [{name, color, values: [..]}], format: v => "..",
 *              max: 1, integer: false, yLabel: "", xLabel: "", height: 240, id: "risk"}) -> <svg>
 */
export function groupedBars(opts) {
  const categories = opts.categories || [];
  const series = opts.series || [];
  const format = opts.format || ((v) => String(v));
  const width = opts.width || 560;
  const height = opts.height || 240;
  const margin = { top: 40, right: 12, bottom: opts.xLabel ? 54 : 40, left: 56 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const all = series.flatMap((x) => x.values).filter((v) => typeof v === "number" && Number.isFinite(v));
  const max = opts.max !== undefined ? opts.max : niceMax(Math.max(0, ...all), Boolean(opts.integer));
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": opts.title || "chart", class: "bars" });
  if (opts.id) svg.setAttribute("data-chart", opts.id);

  // legend
  let lx = margin.left;
  for (const ser of series) {
    svg.appendChild(s("rect", { x: lx, y: 6, width: 11, height: 11, rx: 2, fill: ser.color }));
    const label = s("text", { x: lx + 15, y: 15, "font-size": 11.5 }, ser.name);
    svg.appendChild(label);
    lx += 24 + ser.name.length * 6.6;
  }

  // grid and y axis
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = margin.top + innerH - (innerH * i) / ticks;
    svg.appendChild(s("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, stroke: i === 0 ? "#9aa5b1" : "#e4e7eb", "stroke-width": 1 }));
    svg.appendChild(s("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end", "font-size": 10.5 }, format(v, true)));
  }
  if (opts.yLabel) {
    svg.appendChild(s("text", { x: 12, y: margin.top + innerH / 2, "font-size": 11, "text-anchor": "middle", transform: `rotate(-90 12 ${margin.top + innerH / 2})` }, opts.yLabel));
  }

  const groupW = categories.length ? innerW / categories.length : innerW;
  const pad = Math.min(18, groupW * 0.18);
  const barW = Math.max(2, (groupW - 2 * pad) / Math.max(1, series.length));
  categories.forEach((cat, ci) => {
    const gx = margin.left + ci * groupW;
    series.forEach((ser, si) => {
      const v = ser.values[ci];
      if (typeof v !== "number" || !Number.isFinite(v)) return;
      const hgt = max > 0 ? (innerH * Math.min(v, max)) / max : 0;
      const x = gx + pad + si * barW;
      const y = margin.top + innerH - hgt;
      const rect = s("rect", { x: x + 1, y, width: Math.max(1, barW - 2), height: Math.max(hgt, v > 0 ? 1 : 0), fill: ser.color, rx: 2 });
      rect.appendChild(s("title", {}, `${ser.name} · ${cat}: ${format(v, false)}`));
      rect.setAttribute("data-series", ser.name);
      rect.setAttribute("data-category", String(cat));
      rect.setAttribute("data-value", String(v));
      svg.appendChild(rect);
      if (opts.valueLabels !== false && barW >= 26) {
        svg.appendChild(s("text", { x: x + barW / 2, y: y - 4, "text-anchor": "middle", "font-size": 10 }, format(v, false)));
      }
    });
    const label = String(cat);
    const short = label.length > 16 ? label.slice(0, 15) + "…" : label;
    const t = s("text", { x: gx + groupW / 2, y: margin.top + innerH + 16, "text-anchor": "middle", "font-size": 11 }, short);
    if (short !== label) t.appendChild(s("title", {}, label));
    svg.appendChild(t);
  });
  if (opts.xLabel) {
    svg.appendChild(s("text", { x: margin.left + innerW / 2, y: height - 8, "text-anchor": "middle", "font-size": 11 }, opts.xLabel));
  }
  return svg;
}

/** Class sizes -> histogram buckets (1, 2, 3-4, 5-9, 10-19, 20-49, 50-99, 100+), records per bucket. */
export const SIZE_BUCKETS = [
  [1, 1], [2, 2], [3, 4], [5, 9], [10, 19], [20, 49], [50, 99], [100, Infinity],
];

export function bucketLabel([lo, hi]) {
  if (hi === Infinity) return `${lo}+`;
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

export function sizeHistogram(sizes) {
  const counts = SIZE_BUCKETS.map(() => 0);
  for (const size of sizes) {
    const i = SIZE_BUCKETS.findIndex(([lo, hi]) => size >= lo && size <= hi);
    if (i >= 0) counts[i] += size; // records living in classes of that size
  }
  return counts;
}

export const COLORS = { before: "#d9822b", after: "#2f6fb0", single: "#2f6fb0" };
