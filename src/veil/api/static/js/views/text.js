// Text playground: POST /deidentify_text with every option of seed 002, entities highlighted by label.

import { api } from "../api.js";
import { $, $$, clear, emptyRow, fmtNumber, h, hideError, labelColor, showError } from "../dom.js";

// Used only when GET /v1/entity_types is not available.
const FALLBACK_CLASSES = [
  "ACCOUNT_NUMBER", "AGE", "BANK_ACCOUNT", "BLOOD_TYPE", "CONDITION", "CREDIT_CARD", "CREDIT_CARD_EXPIRATION",
  "CVV", "DATE", "DATE_INTERVAL", "DOB", "DOSE", "DRIVER_LICENSE", "DRUG", "DURATION", "EMAIL_ADDRESS", "EVENT",
  "FILENAME", "GENDER", "HEALTHCARE_NUMBER", "INJURY", "IP_ADDRESS", "LANGUAGE", "LOCATION", "LOCATION_ADDRESS",
  "LOCATION_ADDRESS_STREET", "LOCATION_CITY", "LOCATION_COORDINATE", "LOCATION_COUNTRY", "LOCATION_STATE",
  "LOCATION_ZIP", "MARITAL_STATUS", "MEDICAL_PROCESS", "MONEY", "NAME", "NAME_FAMILY", "NAME_GIVEN",
  "NAME_MEDICAL_PROFESSIONAL", "NUMERICAL_PII", "OCCUPATION", "ORGANIZATION", "ORGANIZATION_MEDICAL_FACILITY",
  "ORIGIN", "PASSPORT_NUMBER", "PASSWORD", "PHONE_NUMBER", "PHYSICAL_ATTRIBUTE", "POLITICAL_AFFILIATION",
  "RELIGION", "ROUTING_NUMBER", "SEXUALITY", "SSN", "STATISTICS", "TIME", "TITLE", "URL", "USERNAME", "VEHICLE_ID",
  "ZODIAC_SIGN",
];

const EXAMPLES = [
  { label: "Names (seed)", text: "Hi John, my name is Grace. John, could you pass me the salt please?" },
  {
    label: "Contact and payment",
    text: "Please call Maria Lopez on +1 415 555 0132 or write to maria.lopez@example.com.\nHer card 4111 1111 1111 1111 expires 09/27; she lives at 221 Baker Street, Boston.",
  },
  {
    label: "Chat log (batch + link_batch)",
    lines: true,
    link: true,
    text: "Hi, my name is Penelope, could you tell me your phone number please?\nSure, x234\nand your DOB please?\nfourth of Feb nineteen 86",
  },
  { label: "German (multilingual)", accuracy: "high_multilingual", text: "Hallo Günther, ich bin Pieter und wohne in München." },
];

let classes = [];
let classesFromServer = false;

function classCheckboxes() {
  return $$("#text-classes input[type=checkbox]");
}

function updateClassSummary() {
  const boxes = classCheckboxes();
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  $("#text-classes-summary").textContent =
    on.length === boxes.length ? "all" : on.length === 0 ? "none" : on.length <= 4 ? on.join(", ") : `${on.length} of ${boxes.length}`;
}

function renderClasses() {
  const box = clear($("#text-classes"));
  for (const name of classes) {
    const input = h("input", { type: "checkbox", value: name, checked: true, onchange: updateClassSummary });
    box.appendChild(h("label", { dataset: { cls: name } }, input, name));
  }
  updateClassSummary();
}

function namesFrom(payload) {
  const list = Array.isArray(payload) ? payload : payload && (payload.entity_types || payload.types || payload.classes || payload.entities);
  if (!Array.isArray(list)) return null;
  const names = list
    .map((x) => (typeof x === "string" ? x : x && (x.name || x.label || x.entity_type || x.class || x.type)))
    .filter((x) => typeof x === "string");
  return names.length ? Array.from(new Set(names)).sort() : null;
}

async function loadClasses() {
  let names = null;
  try {
    names = namesFrom(await api.get("/v1/entity_types"));
  } catch {
    names = null;
  }
  classesFromServer = Boolean(names);
  const next = names || FALLBACK_CLASSES;
  if (next.join() !== classes.join()) {
    classes = next;
    renderClasses();
  }
}

function parseBlockList(text) {
  const out = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const at = line.indexOf(":");
    if (at <= 0) {
      throw { code: "invalid_block_list", message: `line ${i + 1}: write LABEL: regex`, field: "block_list" };
    }
    out[line.slice(0, at).trim()] = line.slice(at + 1).trimStart();
  });
  return Object.keys(out).length ? out : null;
}

function buildRequest() {
  const raw = $("#text-input").value;
  const lines = $("#text-lines").checked;
  const body = {
    text: lines ? raw.split(/\r?\n/).filter((l) => l.trim() !== "") : raw,
    // The seed's mandatory licence-key field. The console sends the API key in the X-API-Key
    // header instead (the header wins), so the body never carries it.
    key: "",
    accuracy_mode: $("#text-accuracy").value,
    marker_format: $("#text-marker").value,
    unique_pii_markers: $("#text-unique").checked,
    allow_list: $("#text-allow").value.split(/\r?\n/).map((x) => x.trim()).filter(Boolean),
  };
  if (lines) body.link_batch = $("#text-link-batch").checked;
  if ($("#text-fake").checked) {
    body.fake_entity_accuracy_mode = "standard";
    body.preserve_relationships = $("#text-preserve").checked;
  }
  const blockList = parseBlockList($("#text-block").value);
  if (blockList) body.block_list = blockList;
  const boxes = classCheckboxes();
  const enabled = boxes.filter((b) => b.checked).map((b) => b.value);
  if (boxes.length && enabled.length !== boxes.length) body.enabled_classes = enabled;
  return body;
}

function entityMark(text, label, title) {
  const mark = h("mark", { class: "ent", dataset: { label }, title }, text, h("span", { class: "ent-label" }, label));
  mark.style.backgroundColor = labelColor(label);
  return mark;
}

/** The input with each pii span wrapped in a <mark> coloured by its label. */
function highlight(text, pii) {
  const line = h("div", { class: "line" });
  const spans = [...pii].sort((a, b) => a.stt_idx - b.stt_idx || b.end_idx - a.end_idx);
  let pos = 0;
  for (const p of spans) {
    if (p.stt_idx < pos) continue; // overlapping: keep the first
    if (p.stt_idx > pos) line.appendChild(document.createTextNode(text.slice(pos, p.stt_idx)));
    const scores = Object.entries(p.labels || {}).map(([k, v]) => `${k} ${fmtNumber(v)}`).join(", ");
    line.appendChild(entityMark(text.slice(p.stt_idx, p.end_idx), p.best_label, `${p.marker || p.best_label}${scores ? " · " + scores : ""}`));
    pos = p.end_idx;
  }
  if (pos < text.length) line.appendChild(document.createTextNode(text.slice(pos)));
  return line;
}

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The redacted output with the markers shown as chips. */
function redacted(result, pii, markerFormat) {
  const line = h("div", { class: "line" });
  const markers = Array.from(new Set(pii.map((p) => markerFormat.split("CLASS_NAME").join(p.marker || p.best_label))));
  if (!markers.length) {
    line.textContent = result;
    return line;
  }
  markers.sort((a, b) => b.length - a.length);
  const re = new RegExp(markers.map(escapeRegex).join("|"), "g");
  let pos = 0;
  for (const m of result.matchAll(re)) {
    if (m.index > pos) line.appendChild(document.createTextNode(result.slice(pos, m.index)));
    line.appendChild(h("mark", { class: "marker" }, m[0]));
    pos = m.index + m[0].length;
  }
  if (pos < result.length) line.appendChild(document.createTextNode(result.slice(pos)));
  return line;
}

/** The fake output with each fake entity highlighted (fake_stt_idx / fake_end_idx). */
function fakeLine(fake, pii) {
  const line = h("div", { class: "line" });
  const spans = pii
    .filter((p) => Number.isInteger(p.fake_stt_idx) && Number.isInteger(p.fake_end_idx))
    .sort((a, b) => a.fake_stt_idx - b.fake_stt_idx);
  let pos = 0;
  for (const p of spans) {
    if (p.fake_stt_idx < pos || p.fake_end_idx > fake.length) continue;
    if (p.fake_stt_idx > pos) line.appendChild(document.createTextNode(fake.slice(pos, p.fake_stt_idx)));
    line.appendChild(h("mark", { class: "fake", title: p.best_label }, fake.slice(p.fake_stt_idx, p.fake_end_idx)));
    pos = p.fake_end_idx;
  }
  if (pos < fake.length) line.appendChild(document.createTextNode(fake.slice(pos)));
  return line;
}

function fakeText(value) {
  if (Array.isArray(value)) return value.join(", ");
  return value === null || value === undefined ? "" : String(value);
}

function render(inputs, results, markerFormat) {
  $("#text-results").hidden = false;
  const hl = clear($("#text-highlighted"));
  const red = clear($("#text-redacted"));
  const fake = clear($("#text-fake-out"));
  const tbody = clear($("#text-pii tbody"));
  const labels = new Set();
  let calls = 0;
  let checks = true;
  let anyFake = false;
  let n = 0;
  results.forEach((res, i) => {
    const pii = Array.isArray(res.pii) ? res.pii : [];
    hl.appendChild(highlight(inputs[i] ?? "", pii));
    red.appendChild(redacted(String(res.result ?? ""), pii, markerFormat));
    if (res.result_fake !== null && res.result_fake !== undefined) {
      anyFake = true;
      fake.appendChild(fakeLine(String(res.result_fake), pii));
    }
    calls += Number(res.api_calls_used || 0);
    if (res.output_checks_passed === false) checks = false;
    for (const p of pii) {
      labels.add(p.best_label);
      const lab = h("span", { class: "badge" }, p.best_label);
      lab.style.backgroundColor = labelColor(p.best_label);
      tbody.appendChild(
        h("tr", {},
          h("td", { class: "num" }, ++n),
          h("td", { class: "num" }, i + 1),
          h("td", {}, h("code", {}, p.marker ?? "")),
          h("td", {}, p.text ?? ""),
          h("td", {}, lab),
          h("td", { class: "num" }, `${p.stt_idx}–${p.end_idx}`),
          h("td", { class: "small" }, Object.entries(p.labels || {}).map(([k, v]) => `${k} ${fmtNumber(v)}`).join(", ")),
          h("td", {}, fakeText(p.fake_text)),
        ),
      );
    }
  });
  if (!n) tbody.appendChild(emptyRow(8, "No personal data found."));
  if (!anyFake) fake.appendChild(h("span", { class: "muted" }, "Tick “Fake entities” to generate replacements."));
  const legend = clear($("#text-legend"));
  for (const label of [...labels].sort()) {
    const sw = h("i");
    sw.style.backgroundColor = labelColor(label);
    legend.appendChild(h("span", { class: "swatch" }, sw, label));
  }
  const checkBadge = $("#text-checks");
  checkBadge.textContent = checks ? "output checks passed" : "output checks FAILED";
  checkBadge.className = `badge ${checks ? "ok" : "bad"}`;
  $("#text-meta").textContent = `${n} entit${n === 1 ? "y" : "ies"} · ${calls} API call${calls === 1 ? "" : "s"} used`;
}

async function run() {
  const error = $("#text-error");
  hideError(error);
  let body;
  try {
    body = buildRequest();
  } catch (err) {
    showError(error, err);
    return;
  }
  const button = $("#text-run");
  button.disabled = true;
  $("#text-meta").textContent = "working…";
  try {
    const out = await api.post("/deidentify_text", body);
    const results = Array.isArray(out) ? out : [out];
    const inputs = Array.isArray(body.text) ? body.text : [body.text];
    render(inputs, results, body.marker_format);
  } catch (err) {
    $("#text-meta").textContent = "";
    showError(error, err);
  } finally {
    button.disabled = false;
  }
}

function applyExample(ex) {
  $("#text-input").value = ex.text;
  $("#text-lines").checked = Boolean(ex.lines);
  $("#text-link-batch").disabled = !ex.lines;
  $("#text-link-batch").checked = Boolean(ex.link);
  if (ex.accuracy) $("#text-accuracy").value = ex.accuracy;
  else if ($("#text-accuracy").value.includes("multilingual")) $("#text-accuracy").value = "high";
}

export function init() {
  const select = $("#text-example");
  EXAMPLES.forEach((ex, i) => select.appendChild(h("option", { value: String(i) }, ex.label)));
  select.addEventListener("change", () => {
    if (select.value !== "") applyExample(EXAMPLES[Number(select.value)]);
    select.value = "";
  });
  applyExample(EXAMPLES[0]);
  $("#text-lines").addEventListener("change", () => {
    $("#text-link-batch").disabled = !$("#text-lines").checked;
  });
  $("#text-fake").addEventListener("change", () => {
    $("#text-preserve").disabled = !$("#text-fake").checked;
  });
  $("#text-preserve").disabled = true;
  $("#text-run").addEventListener("click", run);
  $("#text-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  $("#text-classes-filter").addEventListener("input", (event) => {
    const q = event.target.value.trim().toUpperCase();
    for (const label of $$("#text-classes label")) label.hidden = Boolean(q) && !label.dataset.cls.includes(q);
  });
  $("#text-classes-all").addEventListener("click", () => {
    classCheckboxes().forEach((b) => (b.checked = true));
    updateClassSummary();
  });
  $("#text-classes-none").addEventListener("click", () => {
    classCheckboxes().forEach((b) => (b.checked = false));
    updateClassSummary();
  });
}

export function show() {
  if (!classesFromServer) loadClasses();
}
export function hide() {}
