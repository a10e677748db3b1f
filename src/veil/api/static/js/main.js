// Entry point: view routing (#text, #tables, ...), the server status and the API key form.

import { api, getApiKey, onUnauthorized, setApiKey } from "./api.js";
import { $, $$, clear } from "./dom.js";
import * as textView from "./views/text.js";
import * as tablesView from "./views/tables.js";
import * as linkageView from "./views/linkage.js";
import * as jobsView from "./views/jobs.js";
import * as auditView from "./views/audit.js";

const VIEWS = { text: textView, tables: tablesView, linkage: linkageView, jobs: jobsView, audit: auditView };
const initialised = new Set();
let current = null;
let authOn = null;

function showBanner(message, kind = "warn") {
  const banner = $("#banner");
  clear(banner);
  banner.className = `banner ${kind}`;
  banner.appendChild(document.createTextNode(message));
}

function hideBanner() {
  $("#banner").className = "banner hidden";
}

function route() {
  const name = (window.location.hash || "#text").slice(1).split("?")[0];
  const view = VIEWS[name] ? name : "text";
  if (current && current !== view && VIEWS[current].hide) VIEWS[current].hide();
  for (const section of $$("section.view")) section.hidden = section.dataset.view !== view;
  for (const link of $$("#tabs a")) link.classList.toggle("active", link.dataset.view === view);
  if (!initialised.has(view)) {
    VIEWS[view].init();
    initialised.add(view);
  }
  current = view;
  document.title = `Veil · ${$(`#tabs a[data-view="${view}"]`).textContent}`;
  if (VIEWS[view].show) VIEWS[view].show();
}

// The key that the server last answered 401 to: the state stays "key rejected" until the key changes,
// whichever of the concurrent requests (verifyKey, the view's own fetch) finishes last.
let rejectedKey = null;

function renderAuthState() {
  const state = $("#auth-state");
  const key = getApiKey();
  state.className = "auth-state";
  if (authOn === null) state.textContent = "";
  else if (authOn && key && key === rejectedKey) {
    state.textContent = "key rejected";
    state.classList.add("off");
  }
  else if (!authOn) {
    state.textContent = key ? "auth off (key ignored)" : "auth off";
    state.classList.add("off");
  } else {
    state.textContent = key ? "key in use" : "key required";
    state.classList.add(key ? "on" : "off");
  }
  $("#forget-key").disabled = !key;
  if (authOn && !key) showBanner("Authentication is on: enter an API key (top right) to use the console.");
}

async function checkHealth() {
  const status = $("#server-status");
  try {
    const health = await api.get("/health");
    authOn = Boolean(health.auth);
    status.textContent = `v${health.version} · ${health.status}`;
    status.title = Object.entries(health.components || {}).map(([k, v]) => `${k}: ${v.status}`).join(", ");
    $("#foot-version").textContent = health.version;
  } catch (err) {
    // /health answers 503 with the same body when a component is down.
    status.textContent = err.status === 503 ? "degraded" : "server unreachable";
    if (err.status !== 503) showBanner(`The Veil server could not be reached (${err.message}).`, "error");
  }
  renderAuthState();
}

async function verifyKey() {
  try {
    await api.get("/v1/jobs", { limit: 1 });
    hideBanner();
  } catch (err) {
    if (err.status !== 401) hideBanner();
    else rejectedKey = getApiKey();
  }
  renderAuthState();
}

function setupAuthForm() {
  const input = $("#api-key");
  $("#auth-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    input.value = "";
    rejectedKey = null; // verified again by the requests below
    setApiKey(key);
    hideBanner();
    renderAuthState();
    if (key) verifyKey();
    if (current && VIEWS[current].show) VIEWS[current].show();
  });
  $("#forget-key").addEventListener("click", () => {
    setApiKey("");
    renderAuthState();
  });
  input.placeholder = getApiKey() ? "API key (saved)" : "API key";
  onUnauthorized((err) => {
    if (!getApiKey()) {
      showBanner("Authentication is on: enter an API key (top right) to use the console.");
      return;
    }
    rejectedKey = getApiKey();
    showBanner(`The API key was rejected (${err.message}). Enter a valid key (top right).`, "error");
    renderAuthState();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupAuthForm();
  window.addEventListener("hashchange", route);
  route();
  checkHealth();
});

// Let the browser tests know the modules loaded.
document.documentElement.dataset.ready = "true";
