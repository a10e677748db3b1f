"""The multilingual detector: language per text, then that language's recognizers and NER.

It follows the engine's ``Detector`` protocol (``detect`` and ``locales``), so the engine's
block/allow lists, propagation, overlap resolution, markers and fakes apply unchanged.
English texts are handed to the English engine's detector when one is given.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from veil.errors import InvalidInputError
from veil.text.detectors import Detector
from veil.text.multilingual import korean
from veil.text.multilingual.english import refine as refine_english
from veil.text.multilingual.formats import find_formats
from veil.text.multilingual.langid import (
    DEFAULT_LANGUAGE,
    HANGUL_SHARE,
    LANGUAGES,
    detect_language,
    hangul_share,
)
from veil.text.multilingual.ner import latin_entities
from veil.text.registry import RecognizerRegistry, default_registry
from veil.text.spans import Span

# Faker locale for the fakes of each language.
LOCALES = {"en": "en_US", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "de": "de_DE", "pt": "pt_PT", "ko": "ko_KR"}


class MultilingualDetector:
    """Detects entities in en/fr/es/it/de/pt/ko text; ``use_models=False`` keeps to rules (faster)."""

    def __init__(self, english: Detector | None = None, *, use_models: bool = True, language: str | None = None) -> None:
        if language is not None and language not in LANGUAGES:
            raise InvalidInputError(f"language must be one of {', '.join(LANGUAGES)}", field="language")
        self._english = english
        self._english_lock = threading.Lock()
        self.use_models = use_models
        self.language = language

    def _english_detector(self) -> Detector:
        if self._english is None:
            with self._english_lock:
                if self._english is None:
                    from veil.text.detectors import EnglishDetector
                    from veil.text.ner import NerPipeline, model_available

                    model = "md" if self.use_models and model_available("md") else "sm"
                    self._english = EnglishDetector(NerPipeline(model))
        return self._english

    def languages(self, texts: Sequence[str]) -> list[str]:
        if self.language is not None:
            return [self.language] * len(texts)
        return [detect_language(t) for t in texts]

    def detect(
        self, texts: Sequence[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None = None
    ) -> list[list[Span]]:
        """Candidate spans per text. A text made of several lines in different languages (a
        ``link_batch`` conversation is joined with newlines) is read line group by line group,
        each in its own language; see :func:`segments`."""
        pieces: list[tuple[int, int, str, str]] = []  # (text index, offset, piece, language)
        for i, text in enumerate(texts):
            if self.language is not None:
                pieces.append((i, 0, text, self.language))
            else:
                pieces.extend((i, offset, piece, lang) for offset, piece, lang in segments(text))
        found = self._detect_pieces([p[2] for p in pieces], [p[3] for p in pieces], wanted, custom)
        out: list[list[Span]] = [[] for _ in texts]
        for (i, offset, _, _), spans in zip(pieces, found, strict=True):
            for span in spans:
                if offset:
                    span.start += offset
                    span.end += offset
                    span.parts = tuple((a + offset, b + offset, label) for a, b, label in span.parts)
                out[i].append(span)
        return out

    def _detect_pieces(
        self, texts: list[str], langs: list[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None
    ) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in texts]
        english = [i for i, lang in enumerate(langs) if lang == "en"]
        if english:
            found = self._english_detector().detect([texts[i] for i in english], wanted, custom)
            for i, spans in zip(english, found, strict=True):
                out[i] = refine_english(texts[i], spans)
        latin = [i for i, lang in enumerate(langs) if lang not in ("en", "ko")]
        if latin:
            ner = latin_entities([texts[i] for i in latin], [langs[i] for i in latin], use_models=self.use_models)
            for i, spans in zip(latin, ner, strict=True):
                out[i] = spans
        for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            if lang == "en":
                continue
            if lang == "ko":
                out[i] = korean.find_entities(text)
            # the built-in recognizers of formats that do not depend on the language (e-mail,
            # URL, IP, card, IBAN, coordinates), then the language's own formats
            out[i].extend(default_registry().find(text, lang))
            out[i].extend(find_formats(text, lang))
            if custom is not None:
                out[i].extend(custom.find(text, lang))
        if wanted is not None:
            out = [[s for s in spans if s.label in wanted] for spans in out]
        return out

    def locales(self, texts: Sequence[str]) -> list[str]:
        return [LOCALES[lang] for lang in self.languages(texts)]


MIN_LINE_WORDS = 4  # shorter lines are too short to be identified on their own (~94 % at 4 words)


def segments(text: str) -> list[tuple[int, str, str]]:
    """(offset, piece, language) covering ``text``: consecutive lines of one language together.

    A line gets its own language when it is Korean by script or has at least
    ``MIN_LINE_WORDS`` words; shorter lines take the language of the whole text. A text of one
    language (the usual case) is one piece.
    """
    whole = detect_language(text)
    if "\n" not in text:
        return [(0, text, whole)]
    out: list[tuple[int, str, str]] = []
    pos = 0
    for line in text.split("\n"):
        if hangul_share(line) >= HANGUL_SHARE:
            lang = "ko"
        elif len(line.split()) >= MIN_LINE_WORDS:
            lang = detect_language(line)
        else:
            lang = whole if whole != "ko" or hangul_share(line) > 0 else DEFAULT_LANGUAGE
        end = pos + len(line)
        if out and out[-1][2] == lang:
            start = out[-1][0]
            out[-1] = (start, text[start:end], lang)
        else:
            out.append((pos, line, lang))
        pos = end + 1
    return out


# accuracy_mode -> (English mode whose detector handles English texts, whether spaCy models run)
MODES = {"high_multilingual": ("high", True), "standard_high_multilingual": ("standard_high", False)}


def multilingual_detectors(english_detectors: Mapping[str, Detector]) -> dict[str, MultilingualDetector]:
    """The detectors of the multilingual accuracy modes, built on the engine's English detectors.

    ``high_multilingual``: the per-language plan with the spaCy models (fr, es; es for pt/it);
    ``standard_high_multilingual``: rules, gazetteers and Kiwi only for non-English texts (several
    times faster, lower recall; see docs/multilingual.md). English texts go to the English
    ``high`` / ``standard_high`` detector respectively.
    """
    return {
        mode: MultilingualDetector(english_detectors.get(english), use_models=use_models)
        for mode, (english, use_models) in MODES.items()
    }
