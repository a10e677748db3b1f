"""ASGI middleware: request body limits, the automatic audit log and access logging.

Pure ASGI (no BaseHTTPMiddleware) so streaming uploads stay streaming.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veil.errors import PayloadTooLargeError

log = logging.getLogger("veil.access")

#: Paths that are not API operations and are not audited.
UNAUDITED_PREFIXES = ("/health", "/healthz", "/openapi.json", "/docs", "/redoc", "/static", "/favicon.ico")


def _is_json_like(content_type: str) -> bool:
    """Bodies held to the JSON limit (buffered); line-delimited JSON is an upload, streamed."""
    ctype = content_type.lower()
    if any(s in ctype for s in ("ndjson", "jsonl", "jsonlines", "json-seq")):
        return False
    return not ctype or "json" in ctype or "x-www-form-urlencoded" in ctype


class BodyLimitMiddleware:
    """413 for bodies over the limit: JSON bodies use ``max_body_bytes``, uploads ``max_upload_bytes``."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = self.max_body if _is_json_like(headers.get("content-type", "")) else self.max_upload
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_error(
                send, 413, "payload_too_large", f"request body exceeds the limit of {limit} bytes"
            )
            return
        received = 0
        if declared is None and _is_json_like(headers.get("content-type", "")):
            # A chunked JSON body: read it here (it is bounded by the limit) so that an
            # oversized one is a clean 413 instead of a parse error inside the framework.
            messages: list[Message] = []
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                received += len(message.get("body", b""))
                if received > limit:
                    await _send_error(
                        send, 413, "payload_too_large", f"request body exceeds the limit of {limit} bytes"
                    )
                    return
                if not message.get("more_body", False):
                    break

            async def replay() -> Message:
                return messages.pop(0) if messages else await receive()

            await self.app(scope, replay, send)
            return

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLargeError(
                        f"request body exceeds the limit of {limit} bytes", field="body"
                    )
            return message

        await self.app(scope, limited_receive, send)


async def _send_error(send: Send, status: int, code: str, message: str, field: str = "body") -> None:
    body = json.dumps({"error": {"code": code, "message": message, "field": field}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


_NUL = "\x00"
#: a JSON escape of U+0000 or of a surrogate (``\u0000``, ``\ud800``): only bodies holding one are parsed here
_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_NUL_REASON = "holds a NUL character (U+0000), which is not accepted"
_SURROGATE_REASON = "holds text that is not valid Unicode (an unpaired surrogate)"


def _text_problem(text: str) -> str | None:
    if _NUL in text:
        return _NUL_REASON
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_REASON
    return None


def _bad_text(value: Any, where: str = "") -> tuple[str, str] | None:
    """(dotted path such as ``data[0].name``, reason) of the first string or object key that
    holds U+0000 or an unpaired surrogate; None when there is none."""
    if isinstance(value, str):
        problem = _text_problem(value)
        return (where or "body", problem) if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _text_problem(key)
            if problem:
                return (where or "body", f"has a key that {problem.removeprefix('holds ')}")
            found = _bad_text(item, f"{where}.{key}" if where else key)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _bad_text(item, f"{where}[{i}]" if where else f"[{i}]")
            if found is not None:
                return found
    return None


class TextGuardMiddleware:
    """400 for a NUL character (U+0000) in the path or a query parameter, and for U+0000 or an
    unpaired surrogate (JSON ``"\\ud800"``) in any string or key of a JSON body, naming the field.

    PostgreSQL's text and JSONB can hold neither (SQLite can), so an id, a name or a job
    parameter holding one would fail deep in the store; they are refused up front on every
    backend alike. Only bodies holding such a JSON escape are parsed here (a byte search
    otherwise). Uploads (CSV, Parquet, JSON Lines) are not scanned: their cells go to the
    object store, and their readers refuse such text themselves. A refused request is not
    audited.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _NUL in scope.get("path", ""):
            await _send_error(send, 400, "invalid_input", f"the path {_NUL_REASON}", field="path")
            return
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if _NUL in name or _NUL in value:
                    shown = name.replace(_NUL, "\\u0000")
                    await _send_error(send, 400, "invalid_input", f"query parameter {shown!r} {_NUL_REASON}", field=shown)
                    return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope.get("method") in ("GET", "HEAD", "OPTIONS") or not _is_json_like(headers.get("content-type", "")):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        suspect = False
        tail = b""
        try:
            while True:
                msg = await receive()
                messages.append(msg)
                if msg["type"] != "http.request":
                    break
                chunk = msg.get("body", b"")
                if not suspect and (_SUSPECT.search(tail + chunk[:8]) or _SUSPECT.search(chunk)):
                    suspect = True
                tail = chunk[-8:]
                if not msg.get("more_body", False):
                    break
        except PayloadTooLargeError as exc:
            await _send_error(send, 413, "payload_too_large", exc.message)
            return
        if suspect:
            try:
                doc = json.loads(b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request"))
            except ValueError:
                doc = None  # not JSON: the route's own parser answers
            found = _bad_text(doc) if doc is not None else None
            if found is not None:
                field, reason = found
                shown = field.encode("utf-8", "replace").decode("utf-8").replace(_NUL, "\\u0000")
                await _send_error(send, 400, "invalid_input", f"{shown} {reason}", field=shown)
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class AuditMiddleware:
    """Append one audit entry per API operation (matched route), after the response is sent.

    Routes add counts with ``request.state.audit_records = n`` and ``request.state.audit_job_id``;
    the principal comes from ``request.state.principal``. Only the error *message* of a 4xx/5xx
    body is kept (it never contains input values), never request or response data.
    """

    def __init__(self, app: ASGIApp, *, services: Any) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status_code = 500
        error_body = b""

        async def capture(message: Message) -> None:
            nonlocal status_code, error_body
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
            elif message["type"] == "http.response.body" and status_code >= 400 and len(error_body) < 8192:
                error_body += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            duration_ms = (time.perf_counter() - start) * 1000
            path: str = scope.get("path", "")
            route = scope.get("route")
            state: dict[str, Any] = scope.get("state") or {}
            principal = state.get("principal")
            principal_id = getattr(principal, "id", None) or "anonymous"
            log.info(
                "%s %s %s %.1fms",
                scope.get("method"),
                path,
                status_code,
                duration_ms,
                extra={
                    "principal": principal_id,
                    "status": status_code,
                    "duration_ms": round(duration_ms, 1),
                },
            )
            if route is not None and not path.startswith(UNAUDITED_PREFIXES) and path != "/":
                message = None
                if status_code >= 400:
                    try:
                        message = json.loads(error_body or b"{}").get("error", {}).get("message")
                    except (ValueError, AttributeError):
                        message = None
                entry = dict(
                    operation=getattr(route, "name", None) or path,
                    principal=principal_id,
                    status="success" if status_code < 400 else "error",
                    status_code=status_code,
                    method=scope.get("method"),
                    path=getattr(route, "path", path),
                    duration_ms=duration_ms,
                    record_count=state.get("audit_records"),
                    job_id=state.get("audit_job_id"),
                    error_message=message,
                )
                try:
                    await anyio.to_thread.run_sync(lambda: self.services.audit.record(**entry))
                except Exception:
                    log.exception("could not write the audit entry")
