"""User-defined text recognizers, stored per principal (``/v1/text/recognizers``).

A principal's recognizers join every de-identification it makes: ``/deidentify_text`` (one
text, a list, a linked batch, every accuracy mode) and batch jobs (the recognizers stored
when the job is submitted travel with the job). Another principal never sees or uses them.
With authentication off every caller is the ``local`` principal.

A recognizer goes through :func:`veil.text.registry.build_recognizer` before it is stored,
so a pattern that does not compile, is too long, or has a bad score or validator is a 400
naming the field, and the same per-request matching time budget as ``block_list`` applies
when it runs. Recognizers are immutable (delete and create again to change one): the built
:class:`~veil.text.registry.RecognizerSpec` is cached by id.

Entity types: upper snake case (``EMPLOYEE_ID``), 2-64 characters, starting with a letter.
A built-in type (``ACCOUNT_NUMBER``) is allowed and adds patterns to that type (its marker,
parent and ``enabled_classes`` behaviour are the built-in's). A name ending in ``_`` plus
digits (``NAME_1``) is refused: its markers (``[NAME_1_1]``) would read as another type's
numbered markers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from veil.errors import ConflictError, InvalidInputError, NotFoundError
from veil.service.container import Services
from veil.store.models.text import TextRecognizer

#: Recognizers one principal may store (each de-identification runs all of them; the engine
#: takes at most ``veil.text.options.MAX_CUSTOM_RECOGNIZERS`` per request).
MAX_RECOGNIZERS = 50
MAX_PATTERNS = 20
MAX_CONTEXT_WORDS = 50
MAX_LANGUAGES = 16
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
ENTITY_TYPE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
NUMBERED_SUFFIX = re.compile(r"_\d+$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
FIELDS = ("name", "entity_type", "patterns", "context", "languages", "validator", "min_score")

_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def normalize(body: Mapping[str, Any]) -> dict[str, Any]:
    """A checked, JSON-able recognizer definition (errors name the field of the request body)."""
    unknown = [k for k in body if k not in FIELDS]
    if unknown:
        raise InvalidInputError(f"unknown field '{str(unknown[0])[:64]}'", field=str(unknown[0])[:64])
    name = body.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise InvalidInputError(
            "name must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit", field="name"
        )
    entity_type = body.get("entity_type")
    if not isinstance(entity_type, str) or not ENTITY_TYPE_PATTERN.match(entity_type):
        raise InvalidInputError(
            "entity_type must be upper snake case (A-Z, 0-9, '_'), 2-64 characters, starting with a letter",
            field="entity_type",
        )
    if NUMBERED_SUFFIX.search(entity_type):
        raise InvalidInputError(
            "entity_type must not end in '_' and digits (its markers would read as another type's)",
            field="entity_type",
        )
    patterns = body.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise InvalidInputError("patterns must be a non-empty list of {regex, score}", field="patterns")
    if len(patterns) > MAX_PATTERNS:
        raise InvalidInputError(f"at most {MAX_PATTERNS} patterns per recognizer", field="patterns")
    clean_patterns = []
    for i, p in enumerate(patterns):
        if not isinstance(p, Mapping) or set(p) - {"regex", "score"}:
            raise InvalidInputError("a pattern is an object {regex, score}", field=f"patterns[{i}]")
        regex, score = p.get("regex"), p.get("score", 0.5)
        if not isinstance(regex, str) or not regex:
            raise InvalidInputError("regex must be a non-empty string", field=f"patterns[{i}].regex")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0.0 < float(score) <= 1.0:
            raise InvalidInputError("score must be a number in (0, 1]", field=f"patterns[{i}].score")
        clean_patterns.append({"regex": regex, "score": float(score)})
    context = _string_list(body.get("context"), "context", MAX_CONTEXT_WORDS, 64)
    languages = body.get("languages")
    if languages is not None:
        languages = _string_list(languages, "languages", MAX_LANGUAGES, 3)
        for i, lang in enumerate(languages):
            if not LANGUAGE_PATTERN.match(lang):
                raise InvalidInputError("a language is an ISO 639 code such as 'en'", field=f"languages[{i}]")
        languages = sorted(set(languages)) or None
    validator = body.get("validator")
    if validator is not None and not isinstance(validator, str):
        raise InvalidInputError("validator must be null or a validator name", field="validator")
    min_score = body.get("min_score", 0.0)
    if min_score is None:
        min_score = 0.0
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0.0 <= float(min_score) <= 1.0:
        raise InvalidInputError("min_score must be a number in [0, 1]", field="min_score")
    spec = {
        "name": name,
        "entity_type": entity_type,
        "patterns": clean_patterns,
        "context": context,
        "languages": languages,
        "validator": validator,
        "min_score": float(min_score),
    }
    build(spec)  # compiles every pattern and checks the validator (400 naming the field)
    return spec


def _string_list(value: Any, field: str, max_items: int, max_len: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInputError(f"{field} must be a list of strings", field=field)
    if len(value) > max_items:
        raise InvalidInputError(f"at most {max_items} items", field=field)
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item) > max_len:
            raise InvalidInputError(f"items must be non-empty strings of at most {max_len} characters", field=f"{field}[{i}]")
        out.append(item.strip())
    return out


def build(spec: Mapping[str, Any]) -> Any:
    """The library's recognizer (a ``RecognizerSpec`` checked by ``build_recognizer``)."""
    from veil.text.recognizers.base import ALL_LANGUAGES
    from veil.text.registry import PatternSpec, RecognizerSpec, build_recognizer

    languages = spec.get("languages") or sorted(ALL_LANGUAGES)
    recognizer = RecognizerSpec(
        name=spec["name"],
        entity_type=spec["entity_type"],
        patterns=tuple(PatternSpec(regex=p["regex"], score=float(p["score"])) for p in spec["patterns"]),
        context=tuple(spec.get("context") or ()),
        languages=tuple(languages),
        validator=spec.get("validator"),
        min_score=float(spec.get("min_score") or 0.0),
    )
    build_recognizer(recognizer)
    return recognizer


def _to_dict(row: TextRecognizer) -> dict[str, Any]:
    spec = dict(row.spec or {})
    return {
        "id": row.id,
        "name": row.name,
        "entity_type": row.entity_type,
        "patterns": spec.get("patterns", []),
        "context": spec.get("context", []),
        "languages": spec.get("languages"),
        "validator": spec.get("validator"),
        "min_score": float(spec.get("min_score") or 0.0),
        "created_at": row.created_at.isoformat(),
    }


def create(services: Services, principal: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Store a recognizer for ``principal``; 409 when it already has one of that name."""
    spec = normalize(body)
    with services.db.session() as s:
        count = s.execute(
            select(func.count()).select_from(TextRecognizer).where(TextRecognizer.principal == principal)
        ).scalar_one()
        if count >= MAX_RECOGNIZERS:
            raise ConflictError(
                f"at most {MAX_RECOGNIZERS} recognizers per key; delete one first", field="name"
            )
        if _find_by_name(s, principal, spec["name"]) is not None:
            raise ConflictError(f"a recognizer named '{spec['name']}' already exists", field="name")
    row = TextRecognizer(principal=principal, name=spec["name"], entity_type=spec["entity_type"], spec=spec)
    try:
        with services.db.session() as s:
            s.add(row)
            s.flush()
            out = _to_dict(row)
    except IntegrityError:  # created by a concurrent request between the check and the insert
        raise ConflictError(f"a recognizer named '{spec['name']}' already exists", field="name") from None
    return out


def _find_by_name(session: Any, principal: str, name: str) -> TextRecognizer | None:
    row: TextRecognizer | None = session.execute(
        select(TextRecognizer).where(TextRecognizer.principal == principal, TextRecognizer.name == name)
    ).scalar_one_or_none()
    return row


def list_all(services: Services, principal: str) -> list[dict[str, Any]]:
    with services.db.session() as s:
        rows = s.execute(
            select(TextRecognizer)
            .where(TextRecognizer.principal == principal)
            .order_by(TextRecognizer.created_at, TextRecognizer.name)
        ).scalars()
        return [_to_dict(r) for r in rows]


def get(services: Services, principal: str, recognizer_id: str) -> dict[str, Any]:
    """One recognizer by id or by name (404 when ``principal`` has none such)."""
    with services.db.session() as s:
        row = _find(s, principal, recognizer_id)
        return _to_dict(row)


def _find(session: Any, principal: str, recognizer_id: str) -> TextRecognizer:
    row: TextRecognizer | None = session.execute(
        select(TextRecognizer).where(TextRecognizer.principal == principal, TextRecognizer.id == recognizer_id)
    ).scalar_one_or_none()
    if row is None:
        row = _find_by_name(session, principal, recognizer_id)
    if row is None:
        raise NotFoundError(f"no recognizer '{recognizer_id[:64]}'", field="id")
    return row


def remove(services: Services, principal: str, recognizer_id: str) -> dict[str, Any]:
    """Delete a recognizer (by id or name); returns what was deleted."""
    with services.db.session() as s:
        row = _find(s, principal, recognizer_id)
        out = _to_dict(row)
        s.execute(delete(TextRecognizer).where(TextRecognizer.id == row.id))
    with _cache_lock:
        _cache.pop(out["id"], None)
    return out


def stored_specs(services: Services, principal: str) -> list[dict[str, Any]]:
    """The principal's recognizers as JSON-able definitions with their ids (for batch jobs)."""
    with services.db.session() as s:
        rows = s.execute(
            select(TextRecognizer.id, TextRecognizer.spec)
            .where(TextRecognizer.principal == principal)
            .order_by(TextRecognizer.created_at, TextRecognizer.name)
        ).all()
    return [{"id": rid, **dict(spec)} for rid, spec in rows]


def recognizers_for(services: Services, principal: str) -> list[Any]:
    """The built recognizers of ``principal`` (one indexed query; builds cached by id)."""
    return from_specs(stored_specs(services, principal))


def from_specs(specs: Sequence[Mapping[str, Any]]) -> list[Any]:
    out = []
    for spec in specs:
        key = str(spec.get("id") or "")
        with _cache_lock:
            built = _cache.get(key) if key else None
        if built is None:
            built = build(spec)
            if key:
                with _cache_lock:
                    if len(_cache) > 10_000:
                        _cache.clear()
                    _cache[key] = built
        out.append(built)
    return out


def custom_types(recognizers: Sequence[Any]) -> list[str]:
    return sorted({r.entity_type for r in recognizers})
