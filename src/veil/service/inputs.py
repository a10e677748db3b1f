"""The service's one way to read request data, and its URI policy.

``data`` is inline records or columns, an upload (``veil://uploads/<id>``, see
:mod:`veil.service.uploads`) or a URI. Which URIs a caller may name is decided here, for
every route that reads data or writes an output:

* ``memory://`` and every other process-local or chained fsspec scheme (``file::``,
  ``simplecache::``, ``http://`` ...) are refused: they would let one tenant read what another
  left in the server process, or make the server fetch arbitrary addresses.
* Cloud URIs (``s3://``, ``gs://``, ``az://``, ``abfs://``) are read and written with the
  server's ``VEIL_CLOUD_STORAGE_OPTIONS``, so with authentication on a caller may name only
  the prefixes ``VEIL_ALLOWED_DATA_PREFIXES`` grants its principal (or ``"*"``, every
  principal). With authentication off there is one tenant (``local``) and any cloud URI is
  accepted.
* Server paths (``/srv/x.csv``, ``file:///srv/x.csv``) are refused unless a ``file://``
  prefix in ``VEIL_ALLOWED_DATA_PREFIXES`` grants the directory (resolved, so ``..`` and
  symlinks cannot leave it). The SDK and the CLI read local files on the caller's side.
* ``veil://uploads/<id>`` is read only by the principal that uploaded it (404 otherwise).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from veil.errors import InvalidInputError
from veil.io import load_table
from veil.io.tables import refuse_nul_cells

if TYPE_CHECKING:
    from veil.service.container import Services

#: Scheme spellings and the one name each prefix is compared under.
CLOUD_SCHEMES = {
    "s3": "s3",
    "s3a": "s3",
    "gs": "gs",
    "gcs": "gs",
    "az": "az",
    "azure": "az",
    "abfs": "abfs",
    "abfss": "abfss",
}
UPLOAD_SCHEME = "veil://uploads/"
LOCAL_PRINCIPAL = "local"


@dataclass(frozen=True)
class Location:
    """A URI the caller may use: ``uri`` as fsspec opens it, and the options to open it with."""

    uri: str
    storage_options: dict[str, Any]
    local: bool = False


def is_upload_uri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(UPLOAD_SCHEME)


def caller(services: Services, principal: str | None) -> str | None:
    """The principal whose grants apply: ``local`` when auth is off, else the caller (``None``
    when the caller is unknown, which only ``"*"`` grants cover)."""
    if principal is not None:
        return principal
    return None if services.auth.enabled() else LOCAL_PRINCIPAL


def _split(uri: str, field: str) -> tuple[str | None, str]:
    if "::" in uri:
        raise InvalidInputError("chained URLs (a::b) are not accepted", field=field)
    if "://" not in uri:
        return None, uri
    scheme, rest = uri.split("://", 1)
    return scheme.lower(), rest


def _clean_path(rest: str, field: str) -> str:
    if "\\" in rest or any(part == ".." for part in rest.split("/")):
        raise InvalidInputError("'..' and backslashes are not accepted in a URI", field=field)
    return rest


def _grants(services: Services, principal: str | None) -> list[str]:
    table = services.settings.allowed_data_prefixes
    out = list(table.get("*", []))
    if principal is not None:
        out += list(table.get(principal, []))
    return out


def _cloud_prefix(prefix: str) -> tuple[str, str] | None:
    if "://" not in prefix:
        return None
    scheme, rest = prefix.split("://", 1)
    canon = CLOUD_SCHEMES.get(scheme.lower())
    return (canon, rest.strip("/")) if canon else None


def _under(path: str, prefix: str) -> bool:
    return bool(prefix) and (path == prefix or path.startswith(prefix + "/"))


def resolve_uri(
    services: Services, principal: str | None, uri: str, *, field: str = "data"
) -> Location:
    """Check ``uri`` against the policy (module docstring); 400 naming ``field`` when refused."""
    if not isinstance(uri, str) or not uri.strip():
        raise InvalidInputError("expected a URI", field=field)
    uri = uri.strip()
    scheme, rest = _split(uri, field)
    who = caller(services, principal)
    grants = _grants(services, who)
    if scheme is None or scheme == "file":
        return _local(uri if scheme is None else rest, grants, field)
    canon = CLOUD_SCHEMES.get(scheme)
    if canon is None:
        raise InvalidInputError(
            f"'{scheme}://' URIs are not accepted: use an upload (veil://uploads/<id>), inline records "
            "or a cloud URI (s3://, gs://, az://)",
            field=field,
        )
    path = _clean_path(rest, field).strip("/")
    if not path:
        raise InvalidInputError("the URI names no bucket or object", field=field)
    if who != LOCAL_PRINCIPAL:
        allowed = [p for p in (_cloud_prefix(g) for g in grants) if p is not None]
        if not any(s == canon and _under(path, pfx) for s, pfx in allowed):
            raise InvalidInputError(
                "this URI is outside the prefixes your API key may use (VEIL_ALLOWED_DATA_PREFIXES)",
                field=field,
            )
    target = f"{'az' if scheme == 'azure' else scheme}://{rest}"
    return Location(target, dict(services.settings.cloud_storage_options))


def _local(path: str, grants: list[str], field: str) -> Location:
    dirs = [os.path.realpath(g[len("file://") :]) for g in grants if g.startswith("file://")]
    if path and dirs:
        real = os.path.realpath(path)
        if any(real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in dirs):
            return Location(real, {}, local=True)
    raise InvalidInputError(
        "the service does not read or write its own files for a caller: send the records inline, "
        "upload the file (POST /v1/uploads; the SDK and the CLI do it for you) or use a cloud URI",
        field=field,
    )


def resolve_output_uri(
    services: Services, principal: str | None, uri: str | None, *, field: str = "output_uri"
) -> Location | None:
    """``output_uri`` under the same policy (uploads are inputs, never outputs)."""
    if uri is None:
        return None
    if is_upload_uri(uri):
        raise InvalidInputError("veil://uploads/ is an input; give a cloud URI to write to", field=field)
    return resolve_uri(services, principal, uri, field=field)


def load_data(
    services: Services, data: Any, field: str = "data", *, principal: str | None = None
) -> pd.DataFrame:
    """A DataFrame from ``data``; every problem is an ``InvalidInputError`` naming ``field``.

    ``principal`` is the caller (its uploads and its granted prefixes); without it only what
    every principal may read is readable (everything of ``local`` when auth is off).
    """
    if data is None:
        raise InvalidInputError("data is required", field=field)
    if isinstance(data, str):
        if is_upload_uri(data):
            from veil.service.uploads import read_upload

            return read_upload(services, caller(services, principal), data, field=field)
        loc = resolve_uri(services, principal, data, field=field)
        frame = load_table(loc.uri, storage_options=loc.storage_options, field=field)
        refuse_nul_cells(frame, field)
        return frame
    if not isinstance(data, list | dict):
        raise InvalidInputError(
            "data must be a list of records, a dict of columns, an upload (veil://uploads/<id>) "
            "or a cloud URI",
            field=field,
        )
    try:
        return load_table(data, field=field)
    except UnicodeEncodeError:
        # a cell or column name holding a lone surrogate (JSON "\ud800")
        raise InvalidInputError("data holds text that is not valid Unicode (an unpaired surrogate)",
                                field=field) from None


def check_data_reference(
    services: Services, principal: str | None, data: Any, field: str = "data"
) -> None:
    """Refuse a string ``data`` the caller may not read, before a job is queued (uploads must
    exist and belong to the caller; URIs must pass the policy)."""
    if not isinstance(data, str):
        return
    if is_upload_uri(data):
        from veil.service.uploads import get_upload

        get_upload(services, caller(services, principal), data, field=field)
        return
    resolve_uri(services, principal, data, field=field)


__all__ = [
    "Location",
    "check_data_reference",
    "is_upload_uri",
    "load_data",
    "resolve_output_uri",
    "resolve_uri",
]
