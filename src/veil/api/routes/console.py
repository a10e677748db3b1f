"""The web console: one static page at ``/`` and its assets under ``/static/``.

The page is plain HTML, CSS and JavaScript modules in ``veil/api/static`` (no build step);
it talks to the same public API as any client, sending the API key the user typed in as
``X-API-Key``. Nothing here touches the services: these routes only read packaged files,
so they need no authentication and are not audited (``/`` and ``/static`` are excluded
by ``AuditMiddleware``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Response

from veil.errors import NotFoundError

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

#: Content types of the files the console ships; anything else is not served.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

#: The page runs only its own scripts and styles and talks only to this origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def asset_index() -> dict[str, Path]:
    """Every servable file, by its path relative to the static directory (``samples/x.csv``)."""
    out: dict[str, Path] = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_TYPES and not path.name.startswith("."):
            out[path.relative_to(STATIC_DIR).as_posix()] = path
    return out


def _file_response(path: Path) -> Response:
    return Response(
        content=path.read_bytes(), media_type=CONTENT_TYPES[path.suffix], headers=dict(SECURITY_HEADERS)
    )


@router.get("/", summary="The web console")
async def console_page() -> Response:
    return _file_response(STATIC_DIR / "index.html")


@router.get("/static/{asset:path}", summary="A file of the web console")
async def console_asset(asset: str) -> Response:
    # Only names listed from the packaged directory are served: no path from the request
    # ever reaches the file system, so "../" and absolute paths simply are not found.
    path = asset_index().get(asset)
    if path is None:
        raise NotFoundError("no such console file", field="asset")
    return _file_response(path)
