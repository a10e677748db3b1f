"""Service layer of the text domain (seed 002): de-identification calls, usage metering, health.

The API, the CLI and jobs call these functions; the detection itself is ``veil.text``.
Usage is metered per key and UTC month in ``text_usage``: the authenticated principal
when auth is on, otherwise a digest of the ``key`` field the caller sent.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from veil.errors import InvalidInputError, VeilError
from veil.service.container import Services
from veil.store.models import utcnow
from veil.store.models.text import TextUsage
from veil.text import DeidentifyOptions, DeidResult, default_engine, list_entity_types, load_recognizers_yaml
from veil.text.registry import RecognizerSpec

log = logging.getLogger("veil.service.text")

OPTION_FIELDS = (
    "accuracy_mode",
    "link_batch",
    "enabled_classes",
    "unique_pii_markers",
    "marker_format",
    "allow_list",
    "block_list",
    "fake_entity_accuracy_mode",
    "preserve_relationships",
)


class RecognizersFileError(VeilError):
    """``VEIL_TEXT_RECOGNIZERS_FILE`` cannot be read or holds a bad entry: the service is
    misconfigured (503 naming the entry), not the caller's request."""

    status_code = 503
    code = "misconfigured"


class _TextState:
    """Per-service state: whether the last de-identification call authenticated successfully,
    and the server-wide recognizers (loaded once, at first use)."""

    def __init__(self) -> None:
        self.last_auth_call_successful = False
        self.lock = threading.Lock()
        self.recognizers_lock = threading.Lock()
        self.recognizers: list[RecognizerSpec] | None = None
        self.recognizers_error: RecognizersFileError | None = None


_states: weakref.WeakKeyDictionary[Services, _TextState] = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def _state(services: Services) -> _TextState:
    with _states_lock:
        state = _states.get(services)
        if state is None:
            state = _states[services] = _TextState()
        return state


def current_month(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m")


def meter_id(principal_id: str, authenticated: bool, key: str | None) -> str:
    """Whom usage is counted for: the principal, or (auth off) the digest of the key sent."""
    if authenticated or not key:
        return principal_id
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _load_recognizers_file(source: str) -> list[RecognizerSpec]:
    import fsspec

    try:
        with fsspec.open(source, "r", encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError:
        raise RecognizersFileError(
            "VEIL_TEXT_RECOGNIZERS_FILE is not UTF-8 text", field="text_recognizers_file"
        ) from None
    except (OSError, ValueError, ImportError) as exc:
        raise RecognizersFileError(
            f"VEIL_TEXT_RECOGNIZERS_FILE cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})",
            field="text_recognizers_file",
        ) from None
    try:
        return load_recognizers_yaml(text if text.strip() else "[]")
    except InvalidInputError as exc:
        raise RecognizersFileError(
            f"VEIL_TEXT_RECOGNIZERS_FILE: {exc.message}", field=f"text_recognizers_file.{exc.field}"
        ) from None


def server_recognizers(services: Services) -> list[RecognizerSpec]:
    """The recognizers of ``VEIL_TEXT_RECOGNIZERS_FILE`` (none when unset), read and checked
    once, at first use. A file that cannot be read or holds a bad entry raises
    :class:`RecognizersFileError` (503 naming the entry) on that use and every later one,
    until the service is restarted with a fixed file."""
    source = services.settings.text_recognizers_file
    if not source:
        return []
    state = _state(services)
    with state.recognizers_lock:
        if state.recognizers is None and state.recognizers_error is None:
            try:
                state.recognizers = _load_recognizers_file(source)
                log.info("loaded %d server-wide text recognizers", len(state.recognizers))
            except RecognizersFileError as exc:
                state.recognizers_error = exc
                log.error("text recognizers file rejected: %s", exc)
        if state.recognizers_error is not None:
            raise state.recognizers_error
        assert state.recognizers is not None
        return state.recognizers


def build_options(
    services: Services, fields: Mapping[str, Any], custom_recognizers: Sequence[Any] = ()
) -> DeidentifyOptions:
    """Options from request fields; marker format and allow list default to the settings.

    ``custom_recognizers``: the caller's stored recognizers (see ``text_recognizers``); their
    entity types are valid ``enabled_classes`` of this request. The server-wide recognizers
    (``VEIL_TEXT_RECOGNIZERS_FILE``) are added to every request.
    """
    values = {k: fields[k] for k in OPTION_FIELDS if k in fields and fields[k] is not None}
    values.setdefault("marker_format", services.settings.marker_format)
    if "allow_list" not in values:
        values["allow_list"] = list(services.settings.allow_list)
    if custom_recognizers:
        values["custom_recognizers"] = list(custom_recognizers)
    server = server_recognizers(services)
    if server:
        values["server_recognizers"] = server
    options = DeidentifyOptions(**values)
    engine = default_engine()
    options.validate(engine.modes)
    return options


def reject_unencodable(value: Any, field: str) -> None:
    """400 naming the field for text that is not valid Unicode (a lone surrogate such as the
    JSON escape ``"\\ud800"``): it cannot be encoded as UTF-8, so no answer could carry it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInputError(
                f"not valid Unicode text (an unpaired surrogate at position {exc.start})", field=field
            ) from None
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            reject_unencodable(item, f"{field}[{i}]")
    elif isinstance(value, Mapping):
        for k, item in value.items():
            reject_unencodable(k, field)
            reject_unencodable(item, f"{field}.{k}" if _encodable(k) else field)


def _encodable(value: object) -> bool:
    try:
        str(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def pseudonym_secret(services: Services) -> bytes | None:
    secret = services.settings.pseudonym_secret
    return secret.get_secret_value().encode("utf-8") if secret is not None else None


def deidentify_text(
    services: Services,
    meter: str,
    texts: str | Sequence[str],
    options: DeidentifyOptions,
) -> list[DeidResult]:
    """De-identify and meter the credits used; one result per text."""
    results = default_engine().deidentify(texts, options, pseudonym_secret=pseudonym_secret(services))
    record_usage(services, meter, sum(r.api_calls_used for r in results))
    state = _state(services)
    with state.lock:
        state.last_auth_call_successful = True
    return results


def record_usage(services: Services, meter: str, calls: int, month: str | None = None) -> None:
    if calls <= 0:
        return
    month = month or current_month()
    for _ in range(3):
        with services.db.session() as s:
            done = s.execute(
                update(TextUsage)
                .where(TextUsage.principal == meter, TextUsage.month == month)
                .values(calls=TextUsage.calls + calls, updated_at=utcnow())
            )
            if done.rowcount:  # type: ignore[attr-defined]
                return
        try:
            with services.db.session() as s:
                s.add(TextUsage(principal=meter, month=month, calls=calls))
            return
        except IntegrityError:
            continue  # another request inserted the row first: update it
    raise InvalidInputError("could not record usage; retry the request")


def get_usage(services: Services, meter: str, month: str | None = None) -> int:
    with services.db.session() as s:
        calls = s.execute(
            select(TextUsage.calls).where(TextUsage.principal == meter, TextUsage.month == (month or current_month()))
        ).scalar_one_or_none()
    return int(calls or 0)


def healthz(services: Services) -> dict[str, bool]:
    return {"success": True, "last_auth_call_successful": _state(services).last_auth_call_successful}


def entity_types() -> list[dict[str, object]]:
    return list_entity_types()
