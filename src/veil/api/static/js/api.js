// The one way the console talks to Veil: fetch() with the API key from sessionStorage as X-API-Key.
// Every non-2xx answer becomes an ApiError carrying the server's {"error": {code, message, field}}.

const KEY_STORAGE = "veil.apiKey";

export class ApiError extends Error {
  constructor(status, code, message, field = null, details = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export function getApiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || "";
  } catch {
    return "";
  }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled: the key simply is not remembered */
  }
  for (const fn of keyListeners) fn(key);
}

const keyListeners = [];
export function onApiKeyChange(fn) {
  keyListeners.push(fn);
}

const authListeners = [];
/** Called with the ApiError whenever the server answers 401 (missing or wrong key). */
export function onUnauthorized(fn) {
  authListeners.push(fn);
}

function buildUrl(path, query) {
  const url = new URL(path, window.location.origin);
  if (query) {
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === "") continue;
      url.searchParams.set(name, String(value));
    }
  }
  return url.pathname + url.search;
}

/**
 * request("POST", "/deidentify_text", {json: {...}}) -> parsed JSON (null for 204, text for text/*).
 * Options: json (object body), body + contentType (raw body), query (object), signal.
 */
export async function request(method, path, options = {}) {
  const headers = { Accept: "application/json" };
  const key = getApiKey();
  if (key) headers["X-API-Key"] = key;
  let body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers["Content-Type"] = options.contentType || "application/octet-stream";
    body = options.body;
  }
  Object.assign(headers, options.headers || {});
  let response;
  try {
    response = await fetch(buildUrl(path, options.query), { method, headers, body, signal: options.signal });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "The server could not be reached: " + (err && err.message ? err.message : err));
  }
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  let payload = null;
  if (type.includes("json")) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  } else {
    payload = await response.text();
  }
  if (!response.ok) {
    const e = payload && typeof payload === "object" && payload.error ? payload.error : null;
    const error = e
      ? new ApiError(response.status, e.code || "error", e.message || response.statusText, e.field ?? null, e.details ?? null)
      : new ApiError(response.status, "http_" + response.status, (typeof payload === "string" && payload.trim().slice(0, 200)) || response.statusText || "request failed");
    if (e) {
      for (const [name, value] of Object.entries(e)) {
        if (!["code", "message", "field", "details"].includes(name)) error[name] = value;
      }
    }
    if (response.status === 401) for (const fn of authListeners) fn(error);
    throw error;
  }
  return payload;
}

export const api = {
  get: (path, query, options = {}) => request("GET", path, { ...options, query }),
  post: (path, json, options = {}) => request("POST", path, { ...options, json }),
  del: (path, options = {}) => request("DELETE", path, options),
};
