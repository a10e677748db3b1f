// Jobs: GET /v1/jobs (filters, pagination, auto-refresh), history and cancel.

import { api } from "../api.js";
import { $, badge, clear, emptyRow, fmtTime, h, hideError, progressBar, shortId, showError } from "../dom.js";
import { renderPager } from "./pager.js";

const state = { offset: 0, timer: null, detail: null, seq: 0 };
const UNFINISHED = new Set(["pending", "running"]);

function query() {
  return {
    status: $("#jobs-status").value,
    kind: $("#jobs-kind").value.trim(),
    limit: Number($("#jobs-limit").value),
    offset: state.offset,
  };
}

async function cancel(job, button) {
  button.disabled = true;
  try {
    await api.post(`/v1/jobs/${encodeURIComponent(job.job_id)}/cancel`);
    hideError($("#jobs-error"));
  } catch (err) {
    showError($("#jobs-error"), err);
  }
  await load();
}

function row(job) {
  const actions = h("td", {});
  if (UNFINISHED.has(job.status)) {
    const button = h("button", { class: "danger small", "data-action": "cancel" }, "Cancel");
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      cancel(job, button);
    });
    actions.appendChild(button);
  }
  const pct = Number(job.progress || 0);
  return h(
    "tr",
    { class: "clickable", dataset: { jobId: job.job_id, status: job.status }, onclick: () => openDetail(job.job_id) },
    h("td", {}, h("code", { title: job.job_id }, shortId(job.job_id))),
    h("td", {}, job.kind),
    h("td", {}, badge(job.status)),
    h("td", {}, h("div", { class: "row" }, progressBar(pct), h("span", { class: "small" }, `${Math.round(pct)} %`))),
    h("td", { class: "small" }, [job.step, job.error || job.message].filter(Boolean).join(" · ")),
    h("td", { class: "small" }, fmtTime(job.created_at)),
    h("td", { class: "small" }, fmtTime(job.updated_at)),
    actions,
  );
}

export async function load() {
  const seq = ++state.seq; // only the newest answer is drawn (filters may change mid-request)
  const error = $("#jobs-error");
  try {
    const out = await api.get("/v1/jobs", query());
    if (seq !== state.seq) return;
    hideError(error);
    const tbody = clear($("#jobs-table tbody"));
    for (const job of out.jobs) tbody.appendChild(row(job));
    if (!out.jobs.length) tbody.appendChild(emptyRow(8, "No jobs match."));
    renderPager($("#jobs-pager"), out, (offset) => {
      state.offset = offset;
      load();
    });
    if (state.detail) refreshDetail();
  } catch (err) {
    if (seq !== state.seq) return;
    showError(error, err);
    if (err.status === 401) hide(); // no point polling without a valid key; a new key calls show()
  }
}

async function refreshDetail() {
  const id = state.detail;
  try {
    const [status, history] = await Promise.all([
      api.get(`/v1/jobs/${encodeURIComponent(id)}`),
      api.get(`/v1/jobs/${encodeURIComponent(id)}/history`),
    ]);
    if (state.detail !== id) return;
    $("#jobs-detail-json").textContent = JSON.stringify(status, null, 2);
    const tbody = clear($("#jobs-history tbody"));
    for (const e of history.history) {
      tbody.appendChild(
        h("tr", {},
          h("td", { class: "num" }, e.sequence),
          h("td", { class: "small" }, fmtTime(e.timestamp)),
          h("td", {}, badge(e.status)),
          h("td", { class: "num" }, `${Math.round(e.progress)} %`),
          h("td", {}, e.step || ""),
          h("td", { class: "small" }, e.message || ""),
        ),
      );
    }
  } catch (err) {
    showError($("#jobs-error"), err);
  }
}

function openDetail(id) {
  state.detail = id;
  $("#jobs-detail").hidden = false;
  $("#jobs-detail-id").textContent = id;
  refreshDetail();
}

function schedule() {
  clearInterval(state.timer);
  state.timer = null;
  if ($("#jobs-auto").checked) state.timer = setInterval(load, 2000);
}

export function init() {
  const reset = () => {
    state.offset = 0;
    load();
  };
  $("#jobs-status").addEventListener("change", reset);
  $("#jobs-limit").addEventListener("change", reset);
  $("#jobs-kind").addEventListener("change", reset);
  $("#jobs-refresh").addEventListener("click", load);
  $("#jobs-auto").addEventListener("change", schedule);
  $("#jobs-detail-close").addEventListener("click", () => {
    state.detail = null;
    $("#jobs-detail").hidden = true;
  });
}

export function show() {
  load();
  schedule();
}

export function hide() {
  clearInterval(state.timer);
  state.timer = null;
}
