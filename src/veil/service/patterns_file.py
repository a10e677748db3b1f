"""Each caller's custom detection patterns as a YAML file in the object store (issue 16).

The file lives at ``VEIL_PATTERNS_FILE`` (an object-store key template, default
``patterns/{principal}.yaml``, so ``<data_dir>/objects/patterns/<principal>.yaml`` with the
default local store). It mirrors the stored patterns: every create / update / delete
through the API rewrites it, ``export`` writes it on demand, ``import`` replaces it (and the
stored patterns) with a given YAML text, and ``reload`` re-reads it after a manual edit.

A file is validated whole before anything is stored: a bad entry is a 4xx naming it
(``patterns[3].value_patterns[0]``), and the stored patterns stay as they were. Syncing is
one transaction: names in the file and not stored are added, stored ones whose fields
differ are updated (their ids are kept), stored ones missing from the file are removed.

    version: 1
    patterns:
      - name: customer_number
        classification: DI
        column_patterns: ["cust*_no", "customer_number"]
        value_patterns: ["^C[0-9]{6}$"]
        priority: 20
        min_match_ratio: 0.8
        description: Internal customer numbers
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import yaml
from sqlalchemy import select

import veil.tabular as vt
from veil.errors import ConflictError, InvalidInputError, PayloadTooLargeError
from veil.service.container import Services
from veil.store.models.tabular import TabularPattern

FILE_VERSION = 1
MAX_FILE_BYTES = 4 * 1024 * 1024
FIELDS = ("name", "classification", "column_patterns", "value_patterns", "priority", "min_match_ratio", "description")
READ_ONLY = ("id", "builtin", "created_at", "updated_at")
FILE_FIELD = "patterns_file"
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
HEADER = (
    "# Veil custom detection patterns (one caller). Edit, then reload_patterns() /\n"
    "# POST /v1/tabular/patterns/reload / `veil tabular patterns reload` to apply.\n"
)


def file_key(services: Services, principal: str) -> str:
    """The object-store key of this caller's file."""
    template = services.settings.patterns_file
    if "{principal}" not in template:
        raise InvalidInputError(
            "VEIL_PATTERNS_FILE must contain {principal} (one file per caller)", field="patterns_file"
        )
    return template.replace("{principal}", _SAFE.sub("_", principal) or "_")


# ---------------------------------------------------------------------------------- YAML
def render(patterns: Sequence[Mapping[str, Any]]) -> str:
    entries = []
    for p in sorted(patterns, key=lambda p: (p["priority"], p["name"])):
        entry = {k: p.get(k) for k in FIELDS}
        entry["column_patterns"] = list(entry["column_patterns"] or [])
        entry["value_patterns"] = list(entry["value_patterns"] or [])
        if entry["description"] is None:
            entry.pop("description")
        entries.append(entry)
    body = yaml.safe_dump(
        {"version": FILE_VERSION, "patterns": entries}, sort_keys=False, allow_unicode=True, width=100
    )
    return HEADER + body


def parse(text: str | bytes, *, field: str = FILE_FIELD) -> list[dict[str, Any]]:
    """The validated patterns of a file; a 4xx naming the first bad entry otherwise."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise PayloadTooLargeError(f"the patterns file is over {MAX_FILE_BYTES} bytes", field=field)
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInputError("the patterns file is not UTF-8 text", field=field) from None
    if len(text) > MAX_FILE_BYTES:
        raise PayloadTooLargeError(f"the patterns file is over {MAX_FILE_BYTES} bytes", field=field)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise InvalidInputError(f"the patterns file is not valid YAML{where}", field=field) from None
    if doc is None:
        raise InvalidInputError(
            "the patterns file is empty; write 'patterns: []' to remove every custom pattern", field=field
        )
    if isinstance(doc, list):
        items: Any = doc
    elif isinstance(doc, Mapping):
        extra = sorted(str(k) for k in doc if k not in ("version", "patterns"))
        if extra:
            raise InvalidInputError("unknown key (known: version, patterns)", field=extra[0])
        if doc.get("version", FILE_VERSION) != FILE_VERSION:
            raise InvalidInputError(f"unsupported version (this server reads {FILE_VERSION})", field="version")
        items = doc.get("patterns")
    else:
        raise InvalidInputError("the patterns file holds 'patterns: [...]' or a list", field=field)
    if not isinstance(items, list):
        raise InvalidInputError("patterns must be a list", field="patterns")
    builtin = {p.name for p in vt.builtin_patterns()}
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        where = f"patterns[{i}]"
        if not isinstance(item, Mapping):
            raise InvalidInputError("a pattern is an object with name, classification, column_patterns", field=where)
        unknown = sorted(str(k) for k in item if k not in FIELDS and k not in READ_ONLY)
        if unknown:
            raise InvalidInputError(f"unknown key (known: {', '.join(FIELDS)})", field=f"{where}.{unknown[0]}")
        if item.get("builtin") is True:
            raise InvalidInputError("built-in patterns cannot be imported", field=f"{where}.builtin")
        clean = vt.validate_pattern({k: v for k, v in item.items() if k in FIELDS}, field=where)
        clean.setdefault("description", None)
        if clean["name"] in builtin:
            raise ConflictError("a built-in pattern has this name", field=f"{where}.name")
        if clean["name"] in seen:
            raise InvalidInputError(f"duplicate of patterns[{seen[clean['name']]}].name", field=f"{where}.name")
        seen[clean["name"]] = i
        out.append(clean)
    return out


# ---------------------------------------------------------------------------------- store
def _stored(s: Any, principal: str) -> list[TabularPattern]:
    return list(s.execute(select(TabularPattern).where(TabularPattern.principal == principal)).scalars())


def _as_fields(row: TabularPattern) -> dict[str, Any]:
    return {
        "name": row.name,
        "classification": row.classification,
        "column_patterns": list(row.column_patterns or []),
        "value_patterns": list(row.value_patterns or []),
        "priority": row.priority,
        "min_match_ratio": float(row.min_match_ratio),
        "description": row.description,
    }


def _sync(s: Any, principal: str, patterns: list[dict[str, Any]]) -> dict[str, int]:
    rows = {r.name: r for r in _stored(s, principal)}
    wanted = {p["name"]: p for p in patterns}
    counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
    for name, row in rows.items():
        if name not in wanted:
            s.delete(row)
            counts["removed"] += 1
    s.flush()
    now = datetime.now(UTC)
    for name, p in wanted.items():
        existing = rows.get(name)
        if existing is None:
            s.add(TabularPattern(principal=principal, **p))
            counts["added"] += 1
        elif _as_fields(existing) != p:
            for key, value in p.items():
                setattr(existing, key, value)
            existing.updated_at = now
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    s.flush()
    return counts


def write_back(services: Services, principal: str, session: Any = None) -> str:
    """Rewrite the caller's file from the stored patterns (after an API change). Given the
    change's ``session``, it reads the uncommitted state there, so a failed write rolls the
    change back."""
    key = file_key(services, principal)
    if session is not None:
        text = render([_as_fields(r) for r in _stored(session, principal)])
    else:
        with services.db.session() as s:
            text = render([_as_fields(r) for r in _stored(s, principal)])
    services.store.put(key, text.encode("utf-8"))
    return key


def export(services: Services, principal: str) -> dict[str, Any]:
    """Write the file from the stored patterns; returns where, how many and the YAML text."""
    key = file_key(services, principal)
    with services.db.session() as s:
        patterns = [_as_fields(r) for r in _stored(s, principal)]
    text = render(patterns)
    services.store.put(key, text.encode("utf-8"))
    return {"path": services.store.uri(key), "key": key, "count": len(patterns), "content": text}


def import_text(services: Services, principal: str, content: Any) -> dict[str, Any]:
    """Replace the caller's patterns (and file) with ``content``; all or nothing."""
    if not isinstance(content, str):
        raise InvalidInputError("content must be the YAML text of a patterns file", field="content")
    patterns = parse(content, field="content")
    try:  # a lone surrogate (JSON "\ud800", or YAML "\ud800" in a quoted string) cannot be stored
        content.encode("utf-8")
        json.dumps(patterns, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            "content holds text that is not valid Unicode (an unpaired surrogate)", field="content"
        ) from None
    key = file_key(services, principal)
    with services.db.session() as s:
        counts = _sync(s, principal, patterns)
        # inside the transaction: a failed write rolls the stored patterns back
        services.store.put(key, content.encode("utf-8"))
    return {
        **counts,
        "custom_count": len(patterns),
        "path": services.store.uri(key),
        "message": "patterns imported",
    }


def reload(services: Services, principal: str) -> dict[str, Any]:
    """Re-read the built-in patterns and the caller's file, and sync the stored patterns to it.
    Without a file (nothing exported or changed yet) the stored patterns stay as they are."""
    builtin = vt.reload_builtin_patterns()
    key = file_key(services, principal)
    counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
    exists = services.store.exists(key)
    if exists:
        if services.store.size(key) > MAX_FILE_BYTES:
            raise PayloadTooLargeError(f"the patterns file is over {MAX_FILE_BYTES} bytes", field=FILE_FIELD)
        patterns = parse(services.store.get(key))
        with services.db.session() as s:
            counts = _sync(s, principal, patterns)
    with services.db.session() as s:
        custom = len(_stored(s, principal))
    return {
        "builtin_count": builtin,
        "custom_count": custom,
        "count": builtin + custom,
        **counts,
        "file_exists": exists,
        "path": services.store.uri(key),
        "message": "patterns reloaded" if exists else "patterns reloaded; no patterns file yet (export to create it)",
    }
