"""Detectors: what finds candidate spans for one accuracy mode.

The engine asks the detector registered for the request's ``accuracy_mode`` for candidate
spans, then applies block/allow lists, propagation, overlap resolution and markers. The
English modes are registered here; the multilingual modes (issue 5) register their own
detector with :func:`veil.text.engine.TextDeidentifier.register_mode`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from veil.text.cleanup import drop_headings, everyday_hint, street_word, tidy, unknown_word_hints
from veil.text.entities import chain
from veil.text.model_gate import needs_model
from veil.text.ner import NerPipeline
from veil.text.recognizers.capitalized import find_capitalized, find_known_capitalized
from veil.text.registry import RecognizerRegistry, default_registry
from veil.text.retyping import (
    extend_names,
    extend_places,
    retype_by_context,
    retype_people,
    split_coordinated_names,
)
from veil.text.spans import Span
from veil.text.truecasing import truecase


class Detector(Protocol):
    def detect(
        self, texts: Sequence[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None = None
    ) -> list[list[Span]]:
        """Candidate spans per text; ``wanted`` (fine labels whose class is enabled) may prune work;
        ``custom``: the request's user-defined recognizers, run on top of the built-in ones."""
        ...

    def locales(self, texts: Sequence[str]) -> list[str]:
        """The Faker locale to use for each text's fakes."""
        ...


class EnglishDetector:
    """Rule recognizers plus a spaCy NER pipeline (None: rules only)."""

    def __init__(self, ner: NerPipeline | None) -> None:
        self.ner = ner
        # capitalised sequences typed by gazetteers: the stand-in for a statistical model when
        # there is none, otherwise hints that only fill gaps the model left
        self.recognizers = (
            *default_registry().for_language("en"),
            find_capitalized if ner is None else find_known_capitalized,
        )

    def detect(
        self, texts: Sequence[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None = None
    ) -> list[list[Span]]:
        recognizers = [r for r in self.recognizers if wanted is None or r.labels & wanted]
        if custom is not None:
            recognizers.extend(custom.for_language("en"))
        out: list[list[Span]] = []
        for text in texts:
            spans: list[Span] = []
            for r in recognizers:
                spans.extend(r.find(text))
            out.append(spans)
        if self.ner is not None and (wanted is None or wanted & NER_LABELS):
            known = self.ner.known_word()
            # the model only reads texts where it can find something the rules did not
            todo = [i for i, (text, spans) in enumerate(zip(texts, out, strict=True)) if needs_model(text, spans)]
            # all-lowercase texts (chat) are read by the model with names capitalised
            model_texts = {i: truecase(texts[i]) for i in todo}
            for i, ner_spans in zip(todo, self.ner.entities([model_texts[i] for i in todo]), strict=True):
                out[i].extend(drop_headings(model_texts[i], retype_people(model_texts[i], ner_spans)))
                if known is not None:
                    out[i].extend(unknown_word_hints(texts[i], known))
                retype_by_context(model_texts[i], out[i])
                extend_places(model_texts[i], out[i])
                extend_names(model_texts[i], out[i])
                out[i] = split_coordinated_names(texts[i], out[i])
        out = [
            [tidy(text, s) for s in spans if not street_word(text, s) and not (self.ner and everyday_hint(text, s))]
            for text, spans in zip(texts, out, strict=True)
        ]
        if wanted is not None:
            out = [[s for s in spans if s.label in wanted] for spans in out]
        return out

    def locales(self, texts: Sequence[str]) -> list[str]:
        return ["en_US"] * len(texts)


NER_LABELS = frozenset(
    {
        "NAME",
        "LOCATION",
        "LOCATION_CITY",
        "LOCATION_STATE",
        "LOCATION_COUNTRY",
        "ORGANIZATION",
        "ORGANIZATION_MEDICAL_FACILITY",
        "ORIGIN",
        "DATE",
        "TIME",
        "MONEY",
        "EVENT",
        "LANGUAGE",
        "DURATION",
    }
)


def wanted_labels(enabled: frozenset[str] | None, all_labels: Sequence[str]) -> frozenset[str] | None:
    """Fine labels whose chain meets an enabled class, plus the ancestors of enabled classes
    (a full NAME is detected, then split when NAME_GIVEN is asked for). None: every class is on."""
    if enabled is None:
        return None
    ancestors = {a for label in enabled for a in chain(label)[1:]}
    return frozenset(
        label for label in all_labels if any(c in enabled for c in chain(label)) or label in ancestors
    )
