"""Multilingual detection (issue 5): English, French, Spanish, Italian, German, Portuguese, Korean.

    from veil.text.multilingual import detect_language, detect_entities
    detect_language("Hallo Günther, ich bin Pieter")        # 'de'
    detect_entities("Hallo Günther, ich bin Pieter")        # [Span(6, 13, 'NAME', ...), Span(23, 29, 'NAME', ...)]

Spans are :class:`veil.text.spans.Span`, the English engine's own type; the engine plugs
:class:`MultilingualDetector` in for the ``high_multilingual`` and
``standard_high_multilingual`` accuracy modes.
"""

from __future__ import annotations

from collections.abc import Sequence

from veil.text.multilingual.detector import LOCALES, MultilingualDetector
from veil.text.multilingual.korean import strip_particles
from veil.text.multilingual.langid import LANGUAGES, detect_language
from veil.text.spans import Span, resolve_overlaps

_detectors: dict[bool, MultilingualDetector] = {}


def _detector(use_models: bool) -> MultilingualDetector:
    if use_models not in _detectors:
        _detectors[use_models] = MultilingualDetector(use_models=use_models)
    return _detectors[use_models]


def detect_entities_batch(
    texts: Sequence[str], language: str | None = None, *, use_models: bool = True
) -> list[list[Span]]:
    """Resolved (non-overlapping) entity spans per text; the language is detected per text unless given."""
    detector = _detector(use_models) if language is None else MultilingualDetector(
        _detector(use_models)._english, use_models=use_models, language=language
    )
    return [resolve_overlaps(spans) for spans in detector.detect(list(texts), None)]


def detect_entities(text: str, language: str | None = None, *, use_models: bool = True) -> list[Span]:
    """Resolved entity spans of one text (``language``: one of :data:`LANGUAGES`, detected if None)."""
    return detect_entities_batch([text], language, use_models=use_models)[0]


__all__ = [
    "LANGUAGES",
    "LOCALES",
    "MultilingualDetector",
    "Span",
    "detect_entities",
    "detect_entities_batch",
    "detect_language",
    "strip_particles",
]
