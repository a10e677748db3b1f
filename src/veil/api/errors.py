"""The one error model on the wire: ``{"error": {"code", "message", "field"}}``.

Every client error is a 4xx with that body; an unexpected exception is a 500 with a
generic message (the traceback goes to the log, never to the client).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from veil.errors import VeilError

log = logging.getLogger("veil.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


class ErrorBody(dict[str, Any]):
    pass


class ErrorJSONResponse(JSONResponse):
    """A JSON error body that always renders.

    Messages and fields may echo the caller's input (a column name, a dict key); when that
    input holds a lone surrogate (JSON ``"\\ud800"``) plain UTF-8 encoding fails and the
    error itself would become a 500. Such code points are written as ``?`` instead.
    """

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "replace")


def error_response(
    status: int, code: str, message: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "field": field}
    body.update(extra)
    return ErrorJSONResponse({"error": body}, status_code=status)


def _loc_to_field(loc: Any) -> str | None:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or None


def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    for err in errors:
        if err.get("type") == "json_invalid":
            ctx = err.get("ctx") or {}
            return error_response(
                400, "malformed_json", f"malformed JSON: {ctx.get('error', 'invalid')}", "body"
            )
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = _loc_to_field(first.get("loc", ()))
    details = [
        {"field": _loc_to_field(e.get("loc", ())), "message": e.get("msg"), "type": e.get("type")}
        for e in errors[:20]
    ]
    return error_response(422, "validation_error", str(first.get("msg")), field, details={"errors": details})


def _veil_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VeilError)
    return ErrorJSONResponse({"error": exc.to_dict()}, status_code=exc.status_code)


def _http_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return ErrorJSONResponse(
        {"error": {"code": code, "message": message, "field": None}},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _unexpected_handler(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc
    )
    return error_response(500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(VeilError, _veil_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(Exception, _unexpected_handler)


#: Documented error responses for OpenAPI (add to routes with ``responses=ERROR_RESPONSES``).
_ERR_SCHEMA = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "field": {"type": ["string", "null"]},
                    },
                    "required": ["code", "message", "field"],
                }
            },
        }
    }
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid input (names the field)", "content": _ERR_SCHEMA},
    401: {"description": "Missing or invalid API key", "content": _ERR_SCHEMA},
    403: {"description": "Feature not in the caller's tier", "content": _ERR_SCHEMA},
    404: {"description": "Not found", "content": _ERR_SCHEMA},
    409: {"description": "Conflict with the current state", "content": _ERR_SCHEMA},
    413: {"description": "Request body too large", "content": _ERR_SCHEMA},
    422: {"description": "Wrong types or shapes", "content": _ERR_SCHEMA},
}
