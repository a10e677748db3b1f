// Linkage (seed 000): projects, CSV upload, hashing progress by range (clks_status), CLKs.

import { api, request } from "../api.js";
import { $, badge, clear, emptyRow, fmtNumber, h, hideError, showError } from "../dom.js";

// The example schema of seed 000 (clkhash schema v1).
const SEED_SCHEMA = {
  version: 1,
  clkConfig: {
    l: 1024,
    k: 20,
    hash: { type: "doubleHash" },
    kdf: {
      type: "HKDF",
      hash: "SHA256",
      salt: "SCbL2zHNnmsckfzchsNkZY9XoHk96P/G5nUBrM7ybymlEFsMV6PAeDZCNp3rfNUPCtLDMOGQHG4pCQpfhiHCyA==",
      info: "c2NoZW1hX2V4YW1wbGU=",
      keySize: 64,
    },
  },
  features: [
    { identifier: "NAME freetext", format: { type: "string", encoding: "utf-8", case: "mixed", minLength: 3 }, hashing: { ngram: 2, weight: 0.5 } },
    {
      identifier: "DOB YYYY/MM/DD",
      format: { type: "string", encoding: "ascii", description: "Numbers separated by slashes, in the year, month, day order", pattern: "\\d\\d\\d\\d/\\d\\d/\\d\\d" },
      hashing: { ngram: 1, positional: true },
    },
    { identifier: "GENDER M or F", format: { type: "enum", values: ["M", "F"] }, hashing: { ngram: 1, weight: 2 } },
  ],
};

const STATUS_COLORS = { done: "#2f9e68", in_progress: "#2f6fb0", queued: "#e3a33b", error: "#c0392b" };
const ACTIVE = new Set(["queued", "in_progress"]);
const state = { project: null, timer: null, visible: false };

const enc = (id) => encodeURIComponent(id);

function projectNames(out) {
  const list = out && Array.isArray(out.projects) ? out.projects : [];
  return list.map((p) => (typeof p === "string" ? p : p.project_id || p.id || p.name)).filter(Boolean);
}

async function loadProjects() {
  const error = $("#link-list-error");
  try {
    const names = projectNames(await api.get("/projects"));
    hideError(error);
    const list = clear($("#link-projects"));
    for (const name of names) {
      list.appendChild(
        h("li", { class: name === state.project ? "active" : "", dataset: { project: name }, onclick: () => select(name) },
          h("code", {}, name), h("span", { class: "muted small" }, "open ›")),
      );
    }
    if (!names.length) list.appendChild(h("li", { class: "empty" }, "No projects yet: create one."));
  } catch (err) {
    showError(error, err);
  }
}

function keyMode() {
  return $("#link-mode").value;
}

async function createProject() {
  const error = $("#link-create-error");
  hideError(error);
  const id = $("#link-id").value.trim();
  if (!id) {
    showError(error, { code: "invalid_input", message: "a project id is required", field: "project_id" });
    return;
  }
  let schema;
  try {
    schema = JSON.parse($("#link-schema").value);
  } catch (err) {
    showError(error, { code: "malformed_json", message: `the schema is not valid JSON: ${err.message}`, field: "schema" });
    return;
  }
  // Keys go in headers, not the query string: query strings end up in proxies' logs.
  const headers = {};
  if (keyMode() === "two") {
    headers["X-PPRL-Key1"] = $("#link-key1").value;
    headers["X-PPRL-Key2"] = $("#link-key2").value;
  } else {
    headers["X-PPRL-Secret"] = $("#link-secret").value;
  }
  const button = $("#link-create");
  button.disabled = true;
  try {
    await request("POST", `/projects/${enc(id)}`, { json: schema, headers });
    // The keys are not kept in the page once the project holds them (encrypted at rest).
    for (const sel of ["#link-key1", "#link-key2", "#link-secret"]) $(sel).value = "";
    await loadProjects();
    select(id);
  } catch (err) {
    showError(error, err);
  } finally {
    button.disabled = false;
  }
}

function renderStatus(ranges) {
  const bar = clear($("#link-range-bar"));
  const tbody = clear($("#link-ranges tbody"));
  const totals = {};
  let total = 0;
  for (const r of ranges) {
    totals[r.status] = (totals[r.status] || 0) + r.count;
    total += r.count;
    const seg = h("div", { title: `${r.index}–${r.index + r.count - 1}: ${r.status}`, dataset: { status: r.status } });
    seg.style.flexGrow = String(Math.max(r.count, 1));
    seg.style.backgroundColor = STATUS_COLORS[r.status] || "#9aa5b1";
    bar.appendChild(seg);
    tbody.appendChild(h("tr", { dataset: { status: r.status } }, h("td", { class: "num" }, fmtNumber(r.index)), h("td", { class: "num" }, fmtNumber(r.count)), h("td", {}, badge(r.status))));
  }
  if (!ranges.length) tbody.appendChild(emptyRow(3, "No CLKs yet: upload a CSV."));
  const done = (totals.done || 0) + (totals.error || 0);
  $("#link-progress-summary").textContent = total
    ? `${fmtNumber(done)} of ${fmtNumber(total)} records processed (${Math.floor((100 * done) / total)} %)` +
      (totals.error ? ` · ${fmtNumber(totals.error)} with errors` : "")
    : "";
  const legend = clear($("#link-range-legend"));
  for (const [status, color] of Object.entries(STATUS_COLORS)) {
    const sw = h("i");
    sw.style.backgroundColor = color;
    legend.appendChild(h("span", { class: "swatch" }, sw, `${status}${totals[status] ? ` (${fmtNumber(totals[status])})` : ""}`));
  }
}

async function pollStatus() {
  const project = state.project;
  if (!project) return;
  clearTimeout(state.timer);
  try {
    const out = await api.get(`/projects/${enc(project)}/clks`);
    if (project !== state.project) return;
    const ranges = Array.isArray(out.clks_status) ? out.clks_status : [];
    renderStatus(ranges);
    if (state.visible && ranges.some((r) => ACTIVE.has(r.status))) state.timer = setTimeout(pollStatus, 600);
  } catch (err) {
    showError($("#link-error"), err);
  }
}

function select(project) {
  state.project = project;
  $("#link-project-card").hidden = false;
  $("#link-current").textContent = project;
  $("#link-upload-info").textContent = "";
  clear($("#link-clks tbody"));
  hideError($("#link-error"));
  for (const li of document.querySelectorAll("#link-projects li")) li.classList.toggle("active", li.dataset.project === project);
  pollStatus();
}

async function upload(body) {
  const error = $("#link-error");
  hideError(error);
  const project = state.project;
  try {
    const out = await request("POST", `/projects/${enc(project)}/clks/`, {
      body,
      contentType: "text/csv",
      query: { header: $("#link-header").checked ? "true" : "false" },
    });
    $("#link-upload-info").textContent = `Accepted ${fmtNumber(out.clk_number)} rows as CLKs ${fmtNumber(out.clk_start_index)}–${fmtNumber(out.clk_start_index + out.clk_number - 1)}; hashing in the background.`;
    $("#link-offset").value = String(out.clk_start_index);
    pollStatus();
  } catch (err) {
    showError(error, err);
  }
}

async function showClks() {
  const error = $("#link-error");
  const offset = Number($("#link-offset").value || 0);
  const limit = Number($("#link-limit").value || 5);
  try {
    const out = await api.get(`/projects/${enc(state.project)}/clks/${offset}/${limit}`);
    hideError(error);
    const tbody = clear($("#link-clks tbody"));
    for (const c of out.clks || []) {
      tbody.appendChild(h("tr", {}, h("td", { class: "num" }, c.index), h("td", {}, badge(c.status)), h("td", { class: "hash" }, c.hash || ""), h("td", {}, c.errMsg || "")));
    }
    if (!(out.clks || []).length) tbody.appendChild(emptyRow(4, "No CLKs in that range."));
  } catch (err) {
    showError(error, err);
  }
}

async function deleteProject() {
  const project = state.project;
  if (!project || !window.confirm(`Delete project ${project}, its CLKs and its pending jobs?`)) return;
  try {
    await api.del(`/projects/${enc(project)}`);
    state.project = null;
    $("#link-project-card").hidden = true;
    await loadProjects();
  } catch (err) {
    showError($("#link-error"), err);
  }
}

export function init() {
  $("#link-schema").value = JSON.stringify(SEED_SCHEMA, null, 2);
  $("#link-refresh").addEventListener("click", loadProjects);
  $("#link-create").addEventListener("click", createProject);
  $("#link-mode").addEventListener("change", () => {
    const two = keyMode() === "two";
    for (const el of document.querySelectorAll(".two-keys")) el.hidden = !two;
    for (const el of document.querySelectorAll(".one-key")) el.hidden = two;
  });
  $("#link-file").addEventListener("change", (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) upload(file);
    event.target.value = "";
  });
  $("#link-sample").addEventListener("click", async () => {
    try {
      const response = await fetch("/static/samples/linkage.csv");
      upload(await response.text());
    } catch (err) {
      showError($("#link-error"), err);
    }
  });
  $("#link-show").addEventListener("click", showClks);
  $("#link-delete").addEventListener("click", deleteProject);
}

export function show() {
  state.visible = true;
  loadProjects();
  if (state.project) pollStatus();
}

export function hide() {
  state.visible = false;
  clearTimeout(state.timer);
}
