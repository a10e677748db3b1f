"""The de-identification engine: detection -> filtering -> overlap resolution -> markers/fakes."""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from veil.errors import InvalidInputError
from veil.text.blocklist import compile_block_list, find_blocked
from veil.text.checks import output_checks
from veil.text.detectors import Detector, EnglishDetector
from veil.text.edges import trim_edges
from veil.text.entities import ENTITY_TYPES, chain, reported_label, wants_parts
from veil.text.fake import FakeFactory
from veil.text.ner import NerPipeline, model_available
from veil.text.options import DeidentifyOptions
from veil.text.propagation import propagate
from veil.text.recognizers.location import POSTCODE_SHAPE
from veil.text.results import DeidResult, PiiEntity
from veil.text.spans import Span, resolve_overlaps

MAX_TEXTS = 10_000
MAX_TOTAL_CHARS = 5_000_000
WORDS_PER_CALL = 100
LINK_SEPARATOR = "\n"
HONORIFIC_BEFORE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau)\.?\s+$")
ZIP_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:[A-Za-z]{2,3}[ \t]+)?")
ZIP_BEFORE = re.compile(r"[ \t]*,?[ \t]*$")


@dataclass(frozen=True)
class ModeConfig:
    ner_model: str | None
    propagate: bool


def english_modes() -> dict[str, ModeConfig]:
    """standard: rules and gazetteers only (no statistical model, fastest); standard_high: + the small
    spaCy model; high: + the medium spaCy model when installed (else the small one)."""
    high_model = "md" if model_available("md") else "sm"
    return {
        "standard": ModeConfig(None, True),
        "standard_high": ModeConfig("sm", True),
        "high": ModeConfig(high_model, True),
    }


class TextDeidentifier:
    """Holds the detectors (and their lazily loaded models); safe to share between threads."""

    def __init__(self, *, pseudonym_secret: bytes | None = None) -> None:
        self.pseudonym_secret = pseudonym_secret
        self._pipelines: dict[str, NerPipeline] = {}
        self._detectors: dict[str, Detector] = {}
        self._propagate: dict[str, bool] = {}
        self._lock = threading.Lock()
        for name, config in english_modes().items():
            ner = None
            if config.ner_model is not None:
                ner = self._pipelines.setdefault(config.ner_model, NerPipeline(config.ner_model))
            self._detectors[name] = EnglishDetector(ner)
            self._propagate[name] = config.propagate
        # The multilingual modes (issue 5; models load lazily, on first use).
        from veil.text.multilingual.detector import multilingual_detectors

        for name, detector in multilingual_detectors(dict(self._detectors)).items():
            self.register_mode(name, detector)

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(self._detectors)

    def register_mode(self, name: str, detector: Detector, *, propagate: bool = True) -> None:
        """Add an accuracy mode (the multilingual modes plug in here)."""
        with self._lock:
            self._detectors[name] = detector
            self._propagate[name] = propagate

    def deidentify(
        self,
        texts: str | Sequence[str],
        options: DeidentifyOptions | None = None,
        *,
        pseudonym_secret: bytes | None = None,
    ) -> list[DeidResult]:
        """De-identify one text or a list of texts; always returns one result per text.

        ``pseudonym_secret`` (or the engine's) makes fakes consistent across calls.
        """
        options = options or DeidentifyOptions()
        items = [texts] if isinstance(texts, str) else list(texts)
        _validate_texts(items, single=isinstance(texts, str))
        options.validate(self.modes)
        patterns = compile_block_list(options.block_list)
        custom = options.custom_registry()
        detector = self._detectors[options.accuracy_mode]
        enabled = options.enabled

        if options.link_batch and len(items) > 1:
            joined, offsets = _join(items)
            units = [joined]
        else:
            units = items
            offsets = []
        # Everything is detected and resolved first, then filtered by enabled_classes: what a
        # span *is* decides, so a disabled class still shields its characters (an address is
        # not re-read as names when only NAME is enabled).
        candidates = detector.detect(units, None, custom)
        blocked = find_blocked(patterns, units)
        allow = {a.casefold().strip() for a in options.allow_list if a.strip()}
        resolved: list[list[Span]] = []
        for text, spans, blocks in zip(units, candidates, blocked, strict=True):
            spans = [t for t in (trim_edges(text, s) for s in spans) if t is not None]
            if self._propagate.get(options.accuracy_mode, True):
                spans.extend(propagate(text, spans))
            spans.extend(_postcodes_near_places(text, spans))
            spans.extend(blocks)
            if allow:
                spans = [s for s in spans if text[s.start : s.end].casefold().strip() not in allow]
            resolved.append(resolve_overlaps(spans))

        per_text = _split(resolved[0], offsets) if options.link_batch and len(items) > 1 else resolved
        locales = detector.locales(items)
        secret = pseudonym_secret if pseudonym_secret is not None else self.pseudonym_secret
        return _render(items, per_text, options, enabled, locales, secret)


SURROGATE = re.compile("[\ud800-\udfff]")


def _validate_texts(items: Sequence[object], single: bool = False) -> None:
    if len(items) > MAX_TEXTS:
        raise InvalidInputError(f"at most {MAX_TEXTS} texts per request", field="text")
    total = 0
    for i, t in enumerate(items):
        field = "text" if single else f"text[{i}]"
        if not isinstance(t, str):
            raise InvalidInputError("every text must be a string", field=field)
        if not t.isascii() and SURROGATE.search(t) is not None:
            raise InvalidInputError(
                "text is not valid Unicode (a lone surrogate code point); send UTF-8 text", field=field
            )
        total += len(t)
    if total > MAX_TOTAL_CHARS:
        raise InvalidInputError(f"the texts add up to more than {MAX_TOTAL_CHARS} characters", field="text")


def _join(items: list[str]) -> tuple[str, list[tuple[int, int]]]:
    offsets = []
    pos = 0
    for t in items:
        offsets.append((pos, pos + len(t)))
        pos += len(t) + len(LINK_SEPARATOR)
    return LINK_SEPARATOR.join(items), offsets


def _split(spans: list[Span], offsets: list[tuple[int, int]]) -> list[list[Span]]:
    out: list[list[Span]] = [[] for _ in offsets]
    for s in spans:
        for i, (a, b) in enumerate(offsets):
            start, end = max(s.start, a), min(s.end, b)
            if start < end:
                s2 = Span(start - a, end - a, s.label, s.score, s.source, (), dict(s.labels))
                s2.parts = tuple((ps - a, pe - a, pl) for ps, pe, pl in s.parts if a <= ps and pe <= b)
                out[i].append(s2)
    return out


def _postcodes_near_places(text: str, spans: list[Span]) -> list[Span]:
    """A postcode-shaped number written right after a place or street, or right before a street."""
    out = []
    for s in spans:
        labels = chain(s.label)
        if "LOCATION" not in labels or s.label in ("LOCATION_ZIP", "LOCATION_COORDINATE"):
            continue
        after = ZIP_AFTER.match(text, s.end)
        if after is not None:
            m = POSTCODE_SHAPE.match(text, after.end())
            if m is not None:
                out.append(Span(m.start(), m.end(), "LOCATION_ZIP", 0.75, "context"))
        if s.label == "LOCATION_ADDRESS_STREET":
            before = ZIP_BEFORE.search(text, max(0, s.start - 3), s.start)
            if before is not None:
                for m in POSTCODE_SHAPE.finditer(text, max(0, before.start() - 11), before.start()):
                    if m.end() == before.start():
                        out.append(Span(m.start(), m.end(), "LOCATION_ZIP", 0.7, "context"))
    return out


def _name_parts(text: str, span: Span) -> tuple[tuple[int, int, str], ...]:
    words = [(m.start() + span.start, m.end() + span.start) for m in re.finditer(r"\S+", text[span.start : span.end])]
    if not words:
        return ()
    if len(words) == 1:
        family = HONORIFIC_BEFORE.search(text, max(0, span.start - 8), span.start) is not None
        return ((words[0][0], words[0][1], "NAME_FAMILY" if family else "NAME_GIVEN"),)
    parts = [(a, b, "NAME_GIVEN") for a, b in words[:-1]]
    parts.append((words[-1][0], words[-1][1], "NAME_FAMILY"))
    return tuple(parts)


def _report(text: str, spans: list[Span], enabled: frozenset[str] | None) -> list[tuple[Span, str]]:
    """(span, reported label) pairs; names (given/family) and address blocks (street) are split
    into their parts when those subtypes are asked for."""
    out: list[tuple[Span, str]] = []
    for s in spans:
        if s.source == "block_list":
            out.append((s, s.label))
            continue
        if wants_parts(s.label, enabled):
            parts = _name_parts(text, s) if s.label == "NAME" else s.parts
            for a, b, sub in parts:
                label = reported_label(sub, enabled)
                if label is not None:
                    out.append((Span(a, b, sub, s.score, s.source, (), {sub: s.score}), label))
            if parts:
                continue
        label = reported_label(s.label, enabled)  # None: only a parent of an asked-for subtype
        if label is not None:
            out.append((s, label))
    return out


def _labels(span: Span, label: str, enabled: frozenset[str] | None) -> dict[str, float]:
    out = {label: round(span.score, 4)}
    if span.source == "block_list":
        return {label: 1}
    lineage = chain(label)
    t = ENTITY_TYPES.get(label)
    if enabled is not None and t is not None and t.collapsed:
        for ancestor in lineage[1:]:
            out.setdefault(ancestor, round(span.score, 4))
    for other, score in span.labels.items():
        rep = reported_label(other, enabled)
        if rep is None or rep in out or rep in lineage or label in chain(rep):
            continue
        out[rep] = round(score, 4)
    return out


def _render(
    items: list[str],
    per_text: list[list[Span]],
    options: DeidentifyOptions,
    enabled: frozenset[str] | None,
    locales: list[str],
    secret: bytes | None,
) -> list[DeidResult]:
    fmt = options.resolved_marker_format
    shared_numbers = options.link_batch
    numbers: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    fakes: FakeFactory | None = None
    results = []
    for text, spans, locale in zip(items, per_text, locales, strict=True):
        if not shared_numbers:
            numbers, counters = {}, {}
        if options.fake_entity_accuracy_mode is not None and (fakes is None or not shared_numbers):
            fakes = FakeFactory(locale=locale, secret=secret, preserve_relationships=options.preserve_relationships)
        elif fakes is not None:
            fakes.use_locale(locale)  # a linked batch: each message's fakes in its own language
        out: list[str] = []
        fake_out: list[str] = []
        fake_len = 0
        pos = 0
        pii = []
        for span, label in _report(text, spans, enabled):
            value = text[span.start : span.end]
            if options.unique_pii_markers:
                key = (label, " ".join(value.casefold().split()))
                if key not in numbers:
                    counters[label] = counters.get(label, 0) + 1
                    numbers[key] = counters[label]
                marker = f"{label}_{numbers[key]}"
            else:
                marker = label
            between = text[pos : span.start]
            out.append(between)
            out.append(fmt.replace("CLASS_NAME", marker))
            entity = PiiEntity(marker, value, label, span.start, span.end, _labels(span, label, enabled))
            if fakes is not None:
                fake_value = fakes.fake(span.label if span.source != "block_list" else label, value)
                fake_out.append(between)
                fake_len += len(between)
                entity.fake_text = [fake_value]
                entity.fake_stt_idx = fake_len
                fake_len += len(fake_value)
                entity.fake_end_idx = fake_len
                fake_out.append(fake_value)
            pii.append(entity)
            pos = span.end
        out.append(text[pos:])
        result = "".join(out)
        result_fake = None
        if fakes is not None:
            fake_out.append(text[pos:])
            result_fake = "".join(fake_out)
        calls = max(1, math.ceil(len(text.split()) / WORDS_PER_CALL))
        results.append(
            DeidResult(
                result=result,
                result_fake=result_fake,
                pii=pii,
                api_calls_used=calls,
                output_checks_passed=output_checks(text, result, pii, fmt),
            )
        )
    return results


_default: TextDeidentifier | None = None
_default_lock = threading.Lock()


def default_engine() -> TextDeidentifier:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = TextDeidentifier()
    return _default


def deidentify(
    texts: str | Sequence[str],
    options: DeidentifyOptions | None = None,
    *,
    pseudonym_secret: bytes | None = None,
) -> list[DeidResult]:
    """De-identify with the process-wide engine (models are loaded once per process)."""
    return default_engine().deidentify(texts, options, pseudonym_secret=pseudonym_secret)
