"""A validated match (a checksum, a validity check) beats a longer unvalidated span."""

from __future__ import annotations

import pytest

from veil.text import TextDeidentifier
from veil.text.options import DeidentifyOptions
from veil.text.spans import Span, resolve_overlaps


def kept(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in resolve_overlaps(spans)]


def test_validated_beats_a_longer_model_span() -> None:
    spans = [Span(0, 24, "ORGANIZATION", 0.9, "ner"), Span(5, 24, "CREDIT_CARD", 0.9, "validated")]
    assert kept(spans) == [(5, 24, "CREDIT_CARD")]


def test_validated_beats_a_longer_pattern_span() -> None:
    spans = [Span(10, 22, "PHONE_NUMBER", 0.95, "pattern"), Span(10, 21, "SSN", 0.8, "validated")]
    assert kept(spans) == [(10, 21, "SSN")]


def test_without_a_validated_span_the_longest_wins() -> None:
    spans = [Span(0, 24, "ORGANIZATION", 0.5, "ner"), Span(5, 24, "NUMERICAL_PII", 0.9, "context")]
    assert kept(spans) == [(0, 24, "ORGANIZATION")]


def test_a_validated_value_inside_a_url_keeps_the_url() -> None:
    spans = [Span(0, 30, "URL", 0.9, "pattern"), Span(7, 18, "IP_ADDRESS", 0.95, "validated")]
    assert kept(spans) == [(0, 30, "URL")]


def test_block_list_still_beats_validated() -> None:
    spans = [Span(0, 19, "CREDIT_CARD", 0.95, "validated"), Span(0, 25, "CUSTOM", 1.0, "block_list")]
    assert kept(spans) == [(0, 25, "CUSTOM")]


def test_two_validated_spans_longest_first() -> None:
    spans = [Span(0, 10, "PHONE_NUMBER", 0.9, "validated"), Span(3, 20, "BANK_ACCOUNT", 0.9, "validated")]
    assert kept(spans) == [(3, 20, "BANK_ACCOUNT")]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("We were billed on Visa 4111-1111-1111-1111 twice.", "4111-1111-1111-1111", "CREDIT_CARD"),
        ("Applicant record (SSN 412-67-3390) attached.", "412-67-3390", "SSN"),
        ("Amex 3782 822463 10005 on file for Northwind.", "3782 822463 10005", "CREDIT_CARD"),
    ],
)
@pytest.mark.parametrize("enabled", [None, "only"])
def test_engine_reports_the_validated_type(
    engine: TextDeidentifier, text: str, value: str, label: str, enabled: str | None
) -> None:
    options = DeidentifyOptions(enabled_classes=[label] if enabled else None)
    result = engine.deidentify(text, options)[0]
    assert (value, label) in [(p.text, p.best_label) for p in result.pii]
    assert value not in result.result
