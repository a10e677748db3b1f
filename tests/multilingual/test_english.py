"""English texts in the multilingual modes: the prose post-processing (``english.refine``).

The unit tests feed ``refine`` spans shaped like the English engine's (no model needed); the
last tests go through the multilingual detector with the spaCy model, and check that the
English modes themselves are not changed.
"""

from __future__ import annotations

import pytest

from veil.text.multilingual import detect_entities
from veil.text.multilingual.english import refine
from veil.text.spans import Span


def _span(text: str, value: str, label: str, source: str = "ner", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(start, start + len(value), label, 0.8, source)


def _out(text: str, spans: list[Span]) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in refine(text, spans)}


def test_possessive_leftover_space_is_trimmed() -> None:
    text = "In May 2015 , Milan sold Genoa 's share ."
    span = Span(text.index("Genoa"), text.index("Genoa") + len("Genoa "), "LOCATION_CITY", 0.85, "ner")
    assert ("Genoa", "LOCATION_CITY") in _out(text, [span])


@pytest.mark.parametrize(
    ("text", "value", "label", "expected"),
    [
        ("We toured villages around east Lancashire last spring .", "east Lancashire", "LOCATION_CITY", "Lancashire"),
        ("She pitched for the double A Tulsa Drillers .", "A Tulsa Drillers", "ORGANIZATION", "Tulsa Drillers"),
        ("She voted with the CDU party .", "CDU party", "ORGANIZATION", "CDU"),
        ("She trained at Juventus F.C. , the club of Turin .", "Juventus F.C", "ORGANIZATION", "Juventus F.C."),
        ("The psalm is attributed to King David .", "King David", "NAME", "David"),
    ],
)
def test_edges(text: str, value: str, label: str, expected: str) -> None:
    found = {v for v, _ in _out(text, [_span(text, value, label)])}
    assert expected in found


def test_regnal_number_joins_the_name() -> None:
    text = "The crown passed to Prince Albert II ."
    assert ("Albert II", "NAME") in _out(text, [_span(text, "Prince Albert", "NAME")])


def test_compass_word_belongs_to_the_place() -> None:
    text = "They sailed to North America in 1880 ."
    assert ("North America", "LOCATION_COUNTRY") in _out(text, [_span(text, "America", "LOCATION_COUNTRY")])


def test_dash_joined_parts_are_one_entity() -> None:
    text = "She rode Kuurne–Brussels–Kuurne , a spring race ."
    spans = [_span(text, "Kuurne", "LOCATION_CITY"), _span(text, "Brussels", "LOCATION_CITY"),
             _span(text, "Kuurne", "LOCATION_CITY", nth=1)]
    assert _out(text, spans) == {("Kuurne–Brussels–Kuurne", "LOCATION_CITY")}


def test_list_read_as_one_organisation_is_split() -> None:
    text = "The concert played Holst , Stravinsky , Korngold , and more ."
    found = _out(text, [_span(text, "Holst , Stravinsky , Korngold", "ORGANIZATION")])
    assert found == {("Holst", "NAME"), ("Stravinsky", "NAME"), ("Korngold", "NAME")}


def test_title_of_a_place_is_the_place() -> None:
    text = "The estate belonged to the 3rd Earl of Darnley ."
    assert {v for v, _ in _out(text, [_span(text, "3rd Earl of Darnley", "ORGANIZATION")])} == {"Darnley"}


@pytest.mark.parametrize(
    ("text", "value"),
    [("The painting hangs in the National Gallery of Canada .", "National Gallery of Canada"),
     ("Divers mapped the Aleutian Trench .", "Aleutian Trench")],
)
def test_venue_and_geographic_heads_are_places(text: str, value: str) -> None:
    assert _out(text, [_span(text, value, "ORGANIZATION")]) == {(value, "LOCATION")}


def test_taxa_numerals_products_and_events_are_no_organisations() -> None:
    text = "Bees ( Hymenoptera ) , the XI , an Intel 8086 and the NBA Playoffs ."
    spans = [_span(text, v, "ORGANIZATION") for v in ("Hymenoptera", "XI", "Intel 8086", "NBA Playoffs")]
    assert _out(text, spans) == set()


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("She later coached Waitakere United .", "Waitakere United", "LOCATION_CITY"),
        ("She joined Bursaspor in 2016 .", "Bursaspor", "NAME"),
        ("The album came out on Jive Records .", "Jive Records", "NAME"),
        ("She played drums for the band Kiss .", "Kiss", "NAME"),
        ("The pitcher started against the New York Yankees .", "New York Yankees", "LOCATION_CITY"),
    ],
)
def test_organisations(text: str, value: str, label: str) -> None:
    assert _out(text, [_span(text, value, label)]) == {(value, "ORGANIZATION")}


def test_place_followed_by_a_nickname_is_a_team() -> None:
    text = "The Colorado Rockies won on Sunday ."
    assert _out(text, [_span(text, "Colorado", "LOCATION_STATE")]) == {("Colorado Rockies", "ORGANIZATION")}


def test_town_in_a_football_sentence_is_its_club() -> None:
    text = "In 2021 she signed a one-year contract with Foggia ."
    assert _out(text, [_span(text, "Foggia", "LOCATION_CITY")]) == {("Foggia", "ORGANIZATION")}
    # the same town where the sentence is not about football, and a country in one, stay places
    text = "She grew up in Foggia and left at twenty ."
    assert _out(text, [_span(text, "Foggia", "LOCATION_CITY")]) == {("Foggia", "LOCATION_CITY")}
    text = "She played 40 games for Germany , scoring 12 goals ."
    assert _out(text, [_span(text, "Germany", "LOCATION_COUNTRY")]) == {("Germany", "LOCATION_COUNTRY")}


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("Back in Eskilstuna , she phoned her sister .", "Eskilstuna", "NAME"),  # a town, no known name
        ("We drove through the towns of Colne and Burnley .", "Burnley", "ORGANIZATION"),
        ("He stayed in Zqwerty for a year .", "Zqwerty", "ORGANIZATION"),  # unknown word after "in"
    ],
)
def test_known_places_and_words_after_in_are_places(text: str, value: str, label: str) -> None:
    (found,) = refine(text, [_span(text, value, label)])
    assert found.label.startswith("LOCATION")


def test_a_known_given_name_stays_a_person() -> None:
    text = "Later , Sydney called the office ."
    assert _out(text, [_span(text, "Sydney", "NAME")]) == {("Sydney", "NAME")}


def test_person_read_as_organisation() -> None:
    text = "The match saw Sanath Jayasuriya bat against India ."
    assert _out(text, [_span(text, "Sanath Jayasuriya", "ORGANIZATION")]) == {("Sanath Jayasuriya", "NAME")}
    # an organisation of everyday words stays one
    text = "The report was written by Digital Research ."
    assert _out(text, [_span(text, "Digital Research", "ORGANIZATION")]) == {("Digital Research", "ORGANIZATION")}


def test_hints_after_an_article_are_dropped_others_kept() -> None:
    text = "The Master returns , says Priya ."
    spans = [_span(text, "Master", "NAME", "hint"), _span(text, "Priya", "NAME", "hint")]
    assert _out(text, spans) == {("Priya", "NAME")}


def test_other_labels_pass_unchanged() -> None:
    text = "Call 555-0100 or write to ann@example.com ."
    spans = [_span(text, "555-0100", "PHONE_NUMBER", "pattern"), _span(text, "ann@example.com", "EMAIL_ADDRESS", "pattern")]
    assert _out(text, spans) == {("555-0100", "PHONE_NUMBER"), ("ann@example.com", "EMAIL_ADDRESS")}


def test_english_through_the_multilingual_detector() -> None:
    text = "She scored against the Ottawa Senators and later moved to North America ."
    found = {(text[s.start : s.end], s.label) for s in detect_entities(text)}
    assert ("Ottawa Senators", "ORGANIZATION") in found
    assert any(v == "North America" for v, _ in found)


def test_only_english_texts_are_refined(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.text.multilingual import detector

    seen: list[str] = []

    def record(text: str, spans: list[Span]) -> list[Span]:
        seen.append(text)
        return spans

    monkeypatch.setattr(detector, "refine_english", record)
    english = "They sailed to North America in 1880 with their cousins ."
    german = "Hallo Günther, ich bin Pieter und wohne in Berlin."
    detector.MultilingualDetector(use_models=False).detect([english, german], None)
    assert seen == [english]


def test_doctrines_products_and_lower_case_words_are_no_entities() -> None:
    text = "Fans of Discordianism used the TRS-80 in mid-2001 and wore a jersey ."
    spans = [_span(text, "Discordianism", "NAME"), _span(text, "TRS-80", "LOCATION_CITY"),
             _span(text, "mid-2001", "LOCATION_CITY"), _span(text, "jersey", "LOCATION_STATE")]
    assert _out(text, spans) == set()
