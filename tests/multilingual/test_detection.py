"""Library-level detection: the seed's German example and one realistic example per language."""

from __future__ import annotations

import itertools

import pytest

from tests.multilingual.examples import EXAMPLES, SEED_GERMAN
from veil.text.entities import chain
from veil.text.multilingual import detect_entities, detect_entities_batch
from veil.text.spans import Span


def _reported(label: str) -> str:
    """The class the API reports by default (LOCATION_CITY -> LOCATION)."""
    return "LOCATION" if "LOCATION" in chain(label) and label not in ("LOCATION_ZIP", "LOCATION_ADDRESS") else label


def test_seed_german_example_offsets() -> None:
    spans = detect_entities(SEED_GERMAN)
    assert [(s.start, s.end, s.label) for s in spans] == [(6, 13, "NAME"), (23, 29, "NAME")]
    assert all(isinstance(s, Span) for s in spans)


@pytest.mark.parametrize("lang", sorted(EXAMPLES))
def test_example_per_language(lang: str) -> None:
    text, expected = EXAMPLES[lang]
    found = {(text[s.start : s.end], _reported(s.label)) for s in detect_entities(text)}
    assert expected <= found, expected - found


@pytest.mark.parametrize("lang", sorted(EXAMPLES))
def test_given_language_matches_detected(lang: str) -> None:
    text, _ = EXAMPLES[lang]
    auto = [(s.start, s.end, s.label) for s in detect_entities(text)]
    assert [(s.start, s.end, s.label) for s in detect_entities(text, lang)] == auto


def test_rules_only_mode_finds_the_seed_names() -> None:
    spans = detect_entities(SEED_GERMAN, use_models=False)
    assert [(s.start, s.end, s.label) for s in spans] == [(6, 13, "NAME"), (23, 29, "NAME")]


def test_batch_of_mixed_languages() -> None:
    texts = [EXAMPLES[lang][0] for lang in ("de", "ko", "fr")]
    out = detect_entities_batch(texts)
    assert len(out) == 3
    for text, spans in zip(texts, out, strict=True):
        assert spans == sorted(spans, key=lambda s: s.start)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start  # resolved: no overlaps
        assert all(0 <= s.start < s.end <= len(text) for s in spans)


def test_german_nouns_are_not_names() -> None:
    text = "Die Regierung hat am Montag das Gesetz über die Steuer beschlossen."
    assert detect_entities(text, "de") == []


def test_unknown_language_is_rejected() -> None:
    from veil.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        detect_entities("hello", "nl")


def test_empty_text() -> None:
    assert detect_entities("") == []


def test_lines_in_different_languages_are_read_each_in_its_own() -> None:
    from veil.text.multilingual.detector import segments

    text = (
        "Hallo, ich bin Günther und wohne in Berlin.\nBonjour, je suis Marie et j'habite à Lyon.\n"
        "안녕하세요 저는 김철수입니다."
    )
    parts = segments(text)
    assert [lang for _, _, lang in parts] == ["de", "fr", "ko"]
    assert all(text[o : o + len(p)] == p for o, p, _ in parts)
    found = {(text[s.start : s.end], s.label) for s in detect_entities(text)}
    assert {("Günther", "NAME"), ("Marie", "NAME"), ("김철수", "NAME")} <= found


def test_short_lines_take_the_language_of_the_whole_text() -> None:
    from veil.text.multilingual.detector import segments

    text = "Bonjour, je suis Marie et j'habite à Lyon depuis deux ans.\nok\nmerci"
    assert segments(text) == [(0, text, "fr")]
