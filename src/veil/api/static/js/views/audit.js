// Audit log: GET /v1/audit with operation/status filters and pagination; one entry by id.

import { api } from "../api.js";
import { $, badge, clear, emptyRow, fmtNumber, fmtTime, h, hideError, shortId, showError } from "../dom.js";
import { renderPager } from "./pager.js";

const state = { offset: 0, seq: 0 };

async function openDetail(id) {
  try {
    const entry = await api.get(`/v1/audit/${encodeURIComponent(id)}`);
    $("#audit-detail").hidden = false;
    $("#audit-detail-id").textContent = id;
    $("#audit-detail-json").textContent = JSON.stringify(entry, null, 2);
  } catch (err) {
    showError($("#audit-error"), err);
  }
}

function row(e) {
  return h(
    "tr",
    { class: "clickable", dataset: { entryId: e.id, operation: e.operation }, onclick: () => openDetail(e.id) },
    h("td", { class: "small" }, fmtTime(e.timestamp)),
    h("td", {}, h("code", {}, e.operation)),
    h("td", { class: "small" }, e.principal),
    h("td", {}, badge(`${e.status}${e.status_code ? " " + e.status_code : ""}`, e.status)),
    h("td", { class: "small" }, h("code", {}, `${e.method || ""} ${e.path || ""}`.trim())),
    h("td", { class: "num" }, `${fmtNumber(e.duration_ms, 1)} ms`),
    h("td", { class: "num" }, e.record_count ?? ""),
    h("td", {}, e.job_id ? h("code", { title: e.job_id }, shortId(e.job_id)) : ""),
    h("td", { class: "small" }, e.error_message || ""),
  );
}

export async function load() {
  const error = $("#audit-error");
  const seq = ++state.seq; // only the newest answer is drawn
  try {
    const out = await api.get("/v1/audit", {
      operation: $("#audit-operation").value.trim(),
      status: $("#audit-status").value,
      limit: Number($("#audit-limit").value),
      offset: state.offset,
    });
    if (seq !== state.seq) return;
    hideError(error);
    const tbody = clear($("#audit-table tbody"));
    for (const e of out.entries) tbody.appendChild(row(e));
    if (!out.entries.length) tbody.appendChild(emptyRow(9, "No entries match."));
    renderPager($("#audit-pager"), out, (offset) => {
      state.offset = offset;
      load();
    });
  } catch (err) {
    if (seq === state.seq) showError(error, err);
  }
}

export function init() {
  const reset = () => {
    state.offset = 0;
    load();
  };
  $("#audit-status").addEventListener("change", reset);
  $("#audit-limit").addEventListener("change", reset);
  $("#audit-operation").addEventListener("change", reset);
  $("#audit-refresh").addEventListener("click", load);
  $("#audit-detail-close").addEventListener("click", () => {
    $("#audit-detail").hidden = true;
  });
}

export function show() {
  load();
}

export function hide() {}
