"""The cheap prefilters that let recognizers skip texts: they must never skip a text where the
full patterns would match (a skipped match would be a leak)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from veil.text.recognizers.base import has_digit
from veil.text.recognizers.temporal import find_dates
from veil.text.regex_digits import needs_digit
from veil.text.registry import default_registry


@given(st.text(max_size=40))
def test_has_digit_is_any_isdigit(text: str) -> None:
    assert has_digit(text) == any(ch.isdigit() for ch in text)


def test_has_digit_outside_ascii() -> None:
    assert has_digit("x²")  # a superscript: isdigit, not \d
    assert has_digit("٣ apples")  # an Arabic-Indic digit: \d
    assert not has_digit("no numbers, ünïcode")


def test_needs_digit_proofs() -> None:
    assert needs_digit(r"\d{3}-\d{4}")
    assert needs_digit(r"(?:[$€]\s?\d+|\d+\s?USD)")
    assert needs_digit(r"(?=[A-Z]*\d)[A-Z0-9]{5}")  # a lookahead sees the text too
    assert needs_digit(r"[0-9A]?\d")


def test_needs_digit_refuses_what_can_match_without_one() -> None:
    assert not needs_digit(r"[A-Z0-9]{17}")
    assert not needs_digit(r"\d*abc")
    assert not needs_digit(r"\d+|abc")
    assert not needs_digit(r"(?!\d)\w+")
    assert not needs_digit(r"[^a-z]+")
    assert not needs_digit(r"\D+")
    assert not needs_digit("(")  # not a pattern: never skipped


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl")), max_size=60))
def test_digit_gated_builtin_recognizers_find_nothing_without_digits(text: str) -> None:
    for r in default_registry().for_language("en"):
        if getattr(r.find, "needs_digit", False):
            ungated = [m for p in r.find.compiled for m in [p[0].search(text)] if m is not None]
            assert not ungated, (r.name, text)


def test_user_recognizers_are_never_gated() -> None:
    from veil.text.registry import PatternSpec, RecognizerSpec, build_recognizer

    spec = RecognizerSpec(name="emp", entity_type="EMPLOYEE_ID", patterns=(PatternSpec(r"EMP-\d{6}", 0.9),))
    assert not build_recognizer(spec).find.needs_digit  # type: ignore[attr-defined]


def test_dates_without_digits_still_found() -> None:
    text = "we met on the third of March and again on Friday, see you on monday"
    found = [(text[s.start : s.end], s.label) for s in find_dates.find(text)]
    assert ("the third of March", "DATE") in found
    assert ("Friday", "DATE") in found
    assert ("monday", "DATE") in found
    assert re.search(r"\d", text) is None
