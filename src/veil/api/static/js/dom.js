// Small DOM helpers. Everything from the server or the user is inserted as text, never as HTML.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** h("td", {class: "num", title: "x", onclick: fn}, "text", otherNode) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** Show an ApiError (or any error) in an .error-box: code, message and the offending field. */
export function showError(box, err) {
  clear(box);
  box.classList.remove("hidden");
  const code = err && err.code ? err.code : "error";
  const status = err && err.status ? ` ${err.status}` : "";
  box.appendChild(h("span", { class: "code" }, code + status));
  box.appendChild(document.createTextNode(" " + (err && err.message ? err.message : String(err))));
  if (err && err.field) box.appendChild(h("span", { class: "field" }, ` (field: ${err.field})`));
  const details = err && err.details && Array.isArray(err.details.errors) ? err.details.errors : [];
  if (details.length > 1) {
    box.appendChild(
      h("ul", {}, details.map((d) => h("li", {}, `${d.field || "request"}: ${d.message}`))),
    );
  }
  if (err && err.status === 401) {
    box.appendChild(h("div", { class: "small" }, "Enter a valid API key at the top right."));
  }
  const info = (err && err.details) || {};
  const required = info.required_tier || (err && err.required_tier);
  if (err && err.status === 403 && required) {
    box.appendChild(h("div", { class: "small" }, `This needs the ${required} tier (your key: ${info.tier || err.tier || "?"}).`));
  }
}

export function hideError(box) {
  clear(box);
  box.classList.add("hidden");
}

export function fmtNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function fmtPct(fraction, digits = 1) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return "–";
  return (fraction * 100).toFixed(digits) + " %";
}

export function fmtTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString("en-GB", { hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : "–";
}

/** A stable pastel colour per entity label. */
export function labelColor(label, lightness = 84) {
  let hash = 0;
  for (const ch of String(label)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const hue = (hash * 137) % 360;
  return `hsl(${hue}, 70%, ${lightness}%)`;
}

export function badge(text, kind = text) {
  return h("span", { class: `badge ${kind}` }, text);
}

export function progressBar(percent, small = true) {
  const fill = h("div", { class: "progress-fill" });
  fill.style.width = `${Math.max(0, Math.min(100, percent || 0))}%`;
  return h("div", { class: small ? "progress small" : "progress", role: "progressbar", "aria-valuenow": Math.round(percent || 0), "aria-valuemin": 0, "aria-valuemax": 100 }, fill);
}

export function emptyRow(columns, text) {
  return h("tr", {}, h("td", { colspan: columns, class: "empty" }, text));
}

/** Simple records table (list of objects) for previews. */
export function recordsTable(columns, records, limit = 20) {
  const table = h("table", { class: "data compact" });
  table.appendChild(h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))));
  const body = h("tbody");
  for (const rec of records.slice(0, limit)) {
    body.appendChild(h("tr", {}, columns.map((c) => h("td", {}, rec[c] === null || rec[c] === undefined ? "" : String(rec[c])))));
  }
  table.appendChild(body);
  return table;
}

export function download(filename, text, type = "text/csv") {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
