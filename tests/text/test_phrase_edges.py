"""A value inside a short phrase is masked alone, and everyday words after an introduction
cue are not names (sentences written for these tests)."""

from __future__ import annotations

import pytest

from veil.text import DeidentifyOptions, deidentify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 5555 5555 5555 4444 on file", "card [CREDIT_CARD_1] on file"),
        ("card 5500 0000 0000 0006 on file", "card [NUMERICAL_PII_1] on file"),
        ("call me at home", "call me at home"),
        ("please call me back tomorrow", "please call me back tomorrow"),
        ("hi, call me maria", "hi, call me [NAME_1]"),
        ("G92341666", "[NUMERICAL_PII_1]"),
    ],
)
def test_phrase_edges(text: str, expected: str) -> None:
    assert deidentify(text, DeidentifyOptions(accuracy_mode="standard"))[0].result == expected
