// Tables: CSV in, detected column classes, k / l / t with suppression as a job with live progress,
// then risk before/after, the class-size histogram and utility metrics as charts; CSV out.

import { api } from "../api.js";
import { bucketLabel, COLORS, groupedBars, SIZE_BUCKETS, sizeHistogram } from "../charts.js";
import { parseCsv, toCsv } from "../csv.js";
import { $, clear, download, fmtNumber, fmtPct, h, hideError, recordsTable, showError, sleep } from "../dom.js";

// The anonymization API (seed 001): /v1/tabular/...; job status comes from /v1/jobs/{id}.
const ENDPOINTS = {
  detect: "/v1/tabular/detect",
  risk: "/v1/tabular/risk",
  submit: "/v1/tabular/jobs",
  measure: "/v1/tabular/measure",
};

const TYPES = [
  ["quasi_identifier", "quasi-identifier"],
  ["sensitive", "sensitive"],
  ["identifier", "identifier (removed)"],
  ["insensitive", "insensitive (kept)"],
];
const CLASS_TO_TYPE = { QI: "quasi_identifier", SI: "sensitive", DI: "identifier", NSI: "insensitive" };
const FINISHED = new Set(["completed", "failed", "cancelled"]);
const SUPPRESSED = "*";

const state = { name: null, header: [], records: [], jobId: null, result: null, anonymized: null, runId: 0 };

/**
 * CSV cells are text. A column whose every non-empty cell is a plain number (no leading zero,
 * so ZIP codes such as 02138 stay text) is sent as numbers; every other column stays text, so
 * no column mixes types.
 */
function typed(header, records) {
  const num = /^-?(0|[1-9]\d*)(\.\d+)?$/;
  const numeric = new Set(
    header.filter((c) => {
      const cells = records.map((r) => r[c]).filter((v) => v !== "");
      return cells.length > 0 && cells.every((v) => num.test(v));
    }),
  );
  return records.map((rec) => {
    const out = {};
    for (const [k, v] of Object.entries(rec)) out[k] = numeric.has(k) && v !== "" ? Number(v) : v;
    return out;
  });
}

function resetResults() {
  $("#tab-results").hidden = true;
  $("#tab-progress").hidden = true;
  state.result = null;
  state.anonymized = null;
}

async function loadData(name, text) {
  const error = $("#tab-error");
  hideError(error);
  resetResults();
  const { header, records } = parseCsv(text);
  if (!header.length || !records.length) {
    showError(error, { code: "invalid_input", message: "the CSV has no rows", field: "data" });
    return;
  }
  state.name = name;
  state.header = header;
  state.records = typed(header, records);
  $("#tab-data-info").textContent = `${name}: ${fmtNumber(records.length)} rows × ${header.length} columns`;
  replacePreview($("#tab-preview"), header, state.records);
  await detect();
}

function replacePreview(box, header, records) {
  clear(box).appendChild(recordsTable(header, records, 50));
}

function typeSelect(column, value) {
  const select = h("select", { dataset: { column }, "aria-label": `type of ${column}` });
  for (const [v, label] of TYPES) select.appendChild(h("option", { value: v, selected: v === value }, label));
  select.addEventListener("change", resetResults);
  return select;
}

async function detect() {
  const error = $("#tab-error");
  const tbody = clear($("#tab-columns tbody"));
  $("#tab-columns-card").hidden = false;
  $("#tab-config-card").hidden = false;
  let detection = null;
  try {
    hideError(error);
    detection = await api.post(ENDPOINTS.detect, { data: state.records, mode: $("#tab-detect-mode").value });
  } catch (err) {
    showError(error, err);
  }
  showModelMetrics(detection && detection.model_metrics);
  const byName = {};
  for (const a of (detection && detection.attributes) || []) byName[a.name] = a;
  for (const column of state.header) {
    const a = byName[column] || {};
    const cls = a.classification || "";
    const type = CLASS_TO_TYPE[cls] || (TYPES.some(([v]) => v === cls) ? cls : "insensitive");
    tbody.appendChild(
      h("tr", { dataset: { column } },
        h("td", {}, h("code", {}, column)),
        h("td", {}, h("span", { class: `badge cls-${cls}` }, cls || "–")),
        h("td", { class: "num" }, a.confidence === undefined ? "–" : fmtPct(a.confidence, 0)),
        h("td", { class: "small", dataset: { method: a.method || "" } }, a.method || "–"),
        h("td", { class: "small muted" }, a.reason || ""),
        h("td", {}, typeSelect(column, type)),
      ),
    );
  }
}

/** The model behind ml / auto detection: version, training card, held-out per-class figures. */
function showModelMetrics(mm) {
  const box = clear($("#tab-model-metrics"));
  box.hidden = !mm;
  if (!mm) return;
  const fmt = (v) => (v === null || v === undefined ? "–" : Number(v).toFixed(3));
  box.appendChild(h("p", {},
    `Model ${mm.model} ${mm.version} decided ${mm.columns_decided_by_model} of ${mm.columns_scored} columns `
    + `(auto threshold ${fmtPct(mm.confidence_threshold, 0)}). Held-out generated tables: macro-F1 ${fmt(mm.f1)}, `
    + `accuracy ${fmt(mm.accuracy)}. Training data card: `, h("code", {}, mm.training_data_card), "."));
  const table = h("table", { class: "data", id: "tab-model-metrics-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Class"), h("th", {}, "Precision"), h("th", {}, "Recall"), h("th", {}, "F1"))));
  const body = h("tbody");
  for (const [cls, v] of Object.entries(mm.per_class || {})) {
    body.appendChild(h("tr", { dataset: { class: cls } },
      h("td", {}, cls), h("td", { class: "num" }, fmt(v.precision)), h("td", { class: "num" }, fmt(v.recall)),
      h("td", { class: "num" }, fmt(v.f1))));
  }
  table.appendChild(body);
  box.appendChild(table);
}

function attributes() {
  return Array.from(document.querySelectorAll("#tab-columns select")).map((s) => ({ name: s.dataset.column, type: s.value }));
}

function modelChanged() {
  const model = $("#tab-model").value;
  $("#tab-l").disabled = model !== "l-diversity";
  $("#tab-t").disabled = model !== "t-closeness";
}

function setProgress(pct, label) {
  $("#tab-progress").hidden = false;
  const fill = $("#tab-progress-fill");
  fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  fill.parentElement.setAttribute("aria-valuenow", String(Math.round(pct)));
  $("#tab-progress-label").textContent = label;
}

function progressText(status) {
  const parts = [status.status, status.step, status.message].filter((x, i, all) => x && all.indexOf(x) === i);
  return `${Math.round(status.progress || 0)} % · ${parts.join(" · ")}`;
}

async function run() {
  const error = $("#tab-run-error");
  hideError(error);
  hideError($("#tab-error"));
  resetResults();
  const attrs = attributes();
  const model = $("#tab-model").value;
  const body = {
    data: state.records,
    privacy_model: model,
    k: Number($("#tab-k").value),
    attributes: attrs,
    max_suppression: Number($("#tab-suppression").value) / 100,
    metric: $("#tab-metric").value,
  };
  if (model === "l-diversity") body.l = Number($("#tab-l").value);
  if (model === "t-closeness") body.t = Number($("#tab-t").value);
  const runId = ++state.runId;
  $("#tab-run").disabled = true;
  try {
    const job = await api.post(ENDPOINTS.submit, body);
    state.jobId = job.job_id;
    $("#tab-cancel").hidden = false;
    setProgress(0, `0 % · ${job.status} · job ${job.job_id.slice(0, 8)}`);
    let status = job;
    while (!FINISHED.has(status.status)) {
      await sleep(400);
      if (runId !== state.runId) return;
      status = await api.get(`/v1/jobs/${encodeURIComponent(job.job_id)}`);
      setProgress(status.progress || 0, progressText(status));
    }
    $("#tab-cancel").hidden = true;
    if (status.status !== "completed") {
      showError(error, { code: `job_${status.status}`, message: status.error || `the job was ${status.status}`, field: null });
      return;
    }
    setProgress(100, `100 % · completed`);
    await showResults(status.context && status.context.result ? status.context.result : {}, attrs);
  } catch (err) {
    showError(error, err);
  } finally {
    $("#tab-run").disabled = false;
    $("#tab-cancel").hidden = true;
  }
}

async function cancelJob() {
  if (!state.jobId) return;
  try {
    await api.post(`/v1/jobs/${encodeURIComponent(state.jobId)}/cancel`);
  } catch (err) {
    showError($("#tab-run-error"), err);
  }
}

function classSizes(records, qis) {
  const counts = new Map();
  for (const rec of records) {
    const values = qis.map((q) => String(rec[q] ?? ""));
    if (qis.length && values.every((v) => v === SUPPRESSED)) continue;
    const key = JSON.stringify(values);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return Array.from(counts.values());
}

function stat(label, value) {
  return h("div", { class: "stat" }, h("div", { class: "v" }, value), h("div", { class: "k" }, label));
}

const RISKS = [
  ["Prosecutor: highest risk", "prosecutor.highest_risk", "Pros. highest"],
  ["Prosecutor: average risk", "prosecutor.average_risk", "Pros. average"],
  ["Prosecutor: records at risk", "prosecutor.records_at_risk", null],
  ["Journalist: highest risk", "journalist.highest_risk", "Journ. highest"],
  ["Journalist: average risk", "journalist.average_risk", "Journ. average"],
  ["Marketer: success rate", "marketer", "Marketer"],
  ["Sample uniqueness", "sample_uniqueness", null],
];

function riskValue(report, path) {
  const v = path.split(".").reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), report);
  // The marketer risk is a number in veil.tabular, an object with success_rate in some shapes.
  return typeof v === "object" && v !== null ? v.success_rate : v;
}

function renderRisk(before, after) {
  const rows = RISKS.map(([label, path, short]) => ({ label, short, before: riskValue(before, path), after: riskValue(after, path) }));
  const chartRows = rows.filter((r) => r.short);
  clear($("#tab-risk-chart")).appendChild(
    groupedBars({
      id: "risk",
      title: "Re-identification risk before and after",
      categories: chartRows.map((r) => r.short),
      series: [
        { name: "before", color: COLORS.before, values: chartRows.map((r) => r.before) },
        { name: "after", color: COLORS.after, values: chartRows.map((r) => r.after) },
      ],
      max: 1,
      format: (v, axis) => (axis ? `${Math.round(v * 100)} %` : fmtPct(v, 1)),
      yLabel: "risk",
    }),
  );
  const table = clear($("#tab-risk-table"));
  table.appendChild(h("thead", {}, h("tr", {}, h("th", {}, "Risk"), h("th", { class: "num" }, "Before"), h("th", { class: "num" }, "After"))));
  const tbody = h("tbody");
  for (const r of rows) tbody.appendChild(h("tr", { dataset: { risk: r.label } }, h("td", {}, r.label), h("td", { class: "num" }, fmtPct(r.before)), h("td", { class: "num" }, fmtPct(r.after))));
  tbody.appendChild(h("tr", {}, h("td", {}, "k (smallest class)"), h("td", { class: "num" }, fmtNumber(before.k_anonymity)), h("td", { class: "num" }, fmtNumber(after.k_anonymity))));
  tbody.appendChild(h("tr", {}, h("td", {}, "Risk level"), h("td", { class: "num" }, before.highest_risk_level || "–"), h("td", { class: "num" }, after.highest_risk_level || "–")));
  table.appendChild(tbody);
}

function renderHistogram(beforeSizes, afterSizes) {
  clear($("#tab-hist-chart")).appendChild(
    groupedBars({
      id: "class-sizes",
      title: "Records by equivalence class size",
      categories: SIZE_BUCKETS.map(bucketLabel),
      series: [
        { name: "before", color: COLORS.before, values: sizeHistogram(beforeSizes) },
        { name: "after", color: COLORS.after, values: sizeHistogram(afterSizes) },
      ],
      format: (v) => fmtNumber(Math.round(v)),
      integer: true,
      yLabel: "records",
      xLabel: "size of the record's equivalence class",
    }),
  );
}

function renderUtility(result, quality) {
  const per = (quality && quality.per_attribute) || {};
  const names = Object.keys(per);
  const box = clear($("#tab-utility-chart"));
  if (names.length) {
    box.appendChild(
      groupedBars({
        id: "utility",
        title: "Information loss per quasi-identifier",
        categories: names,
        series: [
          { name: "loss", color: COLORS.after, values: names.map((n) => per[n].loss) },
          { name: "changed cells", color: "#7b8794", values: names.map((n) => per[n].changed_cells) },
        ],
        max: 1,
        format: (v, axis) => (axis ? `${Math.round(v * 100)} %` : fmtPct(v, 0)),
      }),
    );
  } else box.appendChild(h("div", { class: "empty" }, "No per-attribute figures."));
  const metrics = { ...(result.metrics || {}) };
  const measured = (quality && quality.metrics) || {};
  const table = clear($("#tab-metrics-table"));
  table.appendChild(h("thead", {}, h("tr", {}, h("th", {}, "Metric"), h("th", { class: "num" }, "Search (hierarchies)"), h("th", { class: "num" }, "Measured on the output"))));
  const tbody = h("tbody");
  for (const name of Array.from(new Set([...Object.keys(metrics), ...Object.keys(measured)])).sort()) {
    tbody.appendChild(h("tr", { dataset: { metric: name } }, h("td", {}, name), h("td", { class: "num" }, fmtNumber(metrics[name], 4)), h("td", { class: "num" }, fmtNumber(measured[name], 4))));
  }
  table.appendChild(tbody);
}

async function showResults(result, attrs) {
  const records = Array.isArray(result.data) ? result.data : null;
  if (!records) {
    // The job returns rows inline up to 50,000 rows; larger results stay in the server's storage.
    showError($("#tab-run-error"), {
      code: "no_inline_data",
      message: "the result is too large to return inline; use the SDK or CLI with output_uri for tables this size",
      field: null,
    });
    return;
  }
  state.result = result;
  state.anonymized = records;
  const qis = attrs.filter((a) => a.type === "quasi_identifier").map((a) => a.name);
  const header = records.length ? Object.keys(records[0]) : state.header.filter((c) => attrs.find((a) => a.name === c && a.type !== "identifier"));
  $("#tab-results").hidden = false;

  const summary = clear($("#tab-summary"));
  summary.appendChild(stat("rows", fmtNumber(result.row_count ?? records.length)));
  summary.appendChild(stat("suppressed", fmtNumber(result.suppressed_count ?? 0)));
  const stats = result.statistics || {};
  if (stats.equivalence_classes !== undefined) summary.appendChild(stat("classes", fmtNumber(stats.equivalence_classes)));
  if (stats.min_class_size !== undefined) summary.appendChild(stat("smallest class", fmtNumber(stats.min_class_size)));
  if (result.levels) summary.appendChild(stat("levels", Object.entries(result.levels).map(([k, v]) => `${k}:${v}`).join(" ")));
  if (result.optimal !== undefined) summary.appendChild(stat("search", result.optimal ? "optimal" : "heuristic"));

  renderHistogram(classSizes(state.records, qis), classSizes(records, qis));
  replacePreview($("#tab-result-preview"), header, records);

  const [before, after, quality] = await Promise.all([
    api.post(ENDPOINTS.risk, { data: state.records, quasi_identifiers: qis }).catch((err) => err),
    api.post(ENDPOINTS.risk, { data: records, quasi_identifiers: qis }).catch((err) => err),
    api.post(ENDPOINTS.measure, { original_data: state.records, anonymized_data: records, quasi_identifiers: qis }).catch((err) => err),
  ]);
  for (const x of [before, after, quality]) if (x instanceof Error) showError($("#tab-run-error"), x);
  if (!(before instanceof Error) && !(after instanceof Error)) renderRisk(before, after);
  renderUtility(result, quality instanceof Error ? null : quality);
}

function downloadResult() {
  if (!state.anonymized) return;
  const header = state.anonymized.length ? Object.keys(state.anonymized[0]) : [];
  const base = (state.name || "table").replace(/\.csv$/i, "");
  download(`${base}-anonymized.csv`, toCsv(header, state.anonymized));
}

export function init() {
  $("#tab-file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) await loadData(file.name, await file.text());
    event.target.value = "";
  });
  $("#tab-sample").addEventListener("click", async () => {
    const response = await fetch("/static/samples/patients.csv");
    await loadData("patients.csv", await response.text());
  });
  $("#tab-model").addEventListener("change", modelChanged);
  $("#tab-detect-mode").addEventListener("change", () => { if (state.records.length) { resetResults(); detect(); } });
  $("#tab-run").addEventListener("click", run);
  $("#tab-cancel").addEventListener("click", cancelJob);
  $("#tab-download").addEventListener("click", downloadResult);
  modelChanged();
}

export function show() {}
export function hide() {}
