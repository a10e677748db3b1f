"""Every example of seed 002 reproduces through the library: markers, spans and fields."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.seed_examples import (
    FAKE_EXAMPLE,
    FAKE_EXPECTED_RESULT,
    SEED_EXAMPLES,
    comparable,
    expected_comparable,
)
from veil.text import DeidentifyOptions, TextDeidentifier


def run(engine: TextDeidentifier, request: dict[str, Any]) -> Any:
    body = dict(request)
    text = body.pop("text")
    results = [r.to_dict() for r in engine.deidentify(text, DeidentifyOptions(**body))]
    return results if isinstance(text, list) else results[0]


@pytest.mark.parametrize(("name", "request_body", "expected"), SEED_EXAMPLES, ids=[e[0] for e in SEED_EXAMPLES])
def test_seed_example(engine: TextDeidentifier, name: str, request_body: dict[str, Any], expected: Any) -> None:
    assert comparable(run(engine, request_body)) == expected_comparable(expected)


def test_seed_fake_example(engine: TextDeidentifier) -> None:
    out = run(engine, FAKE_EXAMPLE)
    assert out["result"] == FAKE_EXPECTED_RESULT
    assert out["output_checks_passed"] is True
    fake = out["result_fake"]
    assert isinstance(fake, str) and fake.startswith("My name is ")
    for p in out["pii"]:
        assert set(p) == {"marker", "text", "best_label", "stt_idx", "end_idx", "labels", "fake_text",
                          "fake_stt_idx", "fake_end_idx"}
        assert isinstance(p["fake_text"], list) and len(p["fake_text"]) == 1
        assert fake[p["fake_stt_idx"] : p["fake_end_idx"]] == p["fake_text"][0]
        assert p["fake_text"][0] != p["text"]
    assert [p["best_label"] for p in out["pii"]] == ["NAME", "NAME", "LOCATION"]


def test_scores_are_thresholded_floats(engine: TextDeidentifier) -> None:
    [res] = engine.deidentify("Hi John, my name is Grace.")
    for p in res.pii:
        assert all(0 < v <= 1 for v in p.labels.values())
