"""Honorifics (TITLE), organisation shapes and person/place cues (issue 14); every sentence is
made up for these tests."""

from __future__ import annotations

import pytest

from veil.text import DeidentifyOptions, TextDeidentifier
from veil.text.recognizers.honorifics import find_honorifics
from veil.text.recognizers.location import find_streets
from veil.text.recognizers.names import find_names, find_organizations, find_places_by_cue
from veil.text.recognizers.vocabulary import find_terms


def masked(engine: TextDeidentifier, text: str) -> list[tuple[str, str]]:
    return [(p.text, p.best_label) for p in engine.deidentify(text)[0].pii]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Yesterday Mrs. Okonkwo called about the invoice.", "Mrs."),
        ("We met Prof Haldane at noon.", "Prof"),
        ("A note for Dr. Ana Ruiz was left at the desk.", "Dr."),
        ("Sir Walter opened the fete.", "Sir"),
        ("spoke with mr. tanaka today about the bill", "mr."),
    ],
)
def test_honorific_before_a_name_is_a_title(text: str, title: str) -> None:
    assert [text[s.start : s.end] for s in find_honorifics.find(text)] == [title]


@pytest.mark.parametrize(
    "text",
    [
        "Send it to 12 Elm Dr. Springfield please.",  # a street type after a house number and a street
        "i miss you so much",  # a verb in lowercase text
        "The Dr. said nothing.",  # no name after it
        "Mr. and Mrs. are both fine on the form.",
        "Song of the week: I Miss You",
    ],
)
def test_no_title_without_a_name(text: str) -> None:
    assert [text[s.start : s.end] for s in find_honorifics.find(text)] == []


def test_title_is_masked_apart_from_the_name(engine: TextDeidentifier) -> None:
    result = engine.deidentify("Please ask Mrs. Okonkwo to sign.")[0]
    assert result.result == "Please ask [TITLE_1] [NAME_1] to sign."
    only_names = engine.deidentify("Please ask Mrs. Okonkwo to sign.", DeidentifyOptions(enabled_classes=["NAME"]))[0]
    assert only_names.result == "Please ask Mrs. [NAME_1] to sign."


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Harrow and Sons is hiring welders.", "Harrow and Sons"),
        ("They bought it from the Stone And Reed company shop.", "Stone And Reed"),
        ("I read it on the Quillby website yesterday.", "Quillby"),
        ("Kestrel Vale is a nonprofit that trains nurses.", "Kestrel Vale"),
    ],
)
def test_organisation_shapes(text: str, org: str) -> None:
    assert org in [text[s.start : s.end] for s in find_organizations.find(text)]


def test_items_of_a_list_with_a_company_are_companies(engine: TextDeidentifier) -> None:
    text = "Our donors include Brightline Systems, Quorra and Fendwick Partners."
    assert masked(engine, text) == [
        ("Brightline Systems", "ORGANIZATION"),
        ("Quorra", "ORGANIZATION"),
        ("Fendwick Partners", "ORGANIZATION"),
    ]


def test_firm_named_after_its_partners(engine: TextDeidentifier) -> None:
    text = "The brief went to Brennan, Holloway and Marsh last week."
    assert masked(engine, text) == [("Brennan, Holloway and Marsh", "ORGANIZATION")]


def test_a_title_cased_headline_is_not_an_organisation() -> None:
    text = "Weekend Reading: Cakes And Ale, Revisited"
    assert not any(text[s.start : s.end] == "Cakes And Ale" for s in find_organizations.find(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I picked up my daughter Ines from school.", "Ines"),
        ("His great-grandfather was called Tomas Berg.", "Tomas Berg"),
        ("Their youngest is named Pell Farrow.", "Pell Farrow"),
        ("Ruth:\"Where were you?\"", "Ruth"),
    ],
)
def test_person_cues(text: str, name: str) -> None:
    assert name in [text[s.start : s.end] for s in find_names.find(text)]


def test_lowercase_speaker_before_a_quote() -> None:
    text = 'oscar:"at work, back soon"'
    assert [text[s.start : s.end] for s in find_names.find(text)] == ["oscar"]


def test_a_common_word_after_a_kin_word_is_no_name() -> None:
    text = "My friend Today is the best day."
    assert not any(text[s.start : s.end] == "Today" for s in find_names.find(text))


def test_place_of_a_venue_field() -> None:
    text = "When: 2021-05-02\nWhere: Bramley Country Club."
    assert [(text[s.start : s.end], s.label) for s in find_places_by_cue.find(text)] == [("Bramley", "LOCATION_CITY")]
    assert list(find_places_by_cue.find("Where: the usual place")) == []


def test_lowercase_firm_named_after_its_partners() -> None:
    text = "we signed with brennan, holloway and marsh yesterday"
    assert ("brennan, holloway and marsh", "ORGANIZATION") in [
        (text[s.start : s.end], s.label) for s in find_organizations.find(text)
    ]


def test_partner_firm_keeps_its_suffix_after_an_article() -> None:
    text = "The Brennan, Holloway and Marsh Orchestra played first."
    assert "Brennan, Holloway and Marsh Orchestra" in [text[s.start : s.end] for s in find_organizations.find(text)]


def test_postal_block_with_a_region_number_line() -> None:
    text = "Ship it to 12 Rue Lamartine\nLyon\n, 69\n 69003 by Monday"
    spans = [(text[s.start : s.end], s.label) for s in find_streets.find(text)]
    assert spans == [("12 Rue Lamartine\nLyon\n, 69\n 69003", "LOCATION_ADDRESS")]


def test_address_ending_with_a_country_code_before_a_new_sentence() -> None:
    text = "We lived at 4120 Storgata 12 Apt. 3 TROMSO NO. I moved later."
    assert "4120 Storgata 12 Apt. 3 TROMSO NO" in [text[s.start : s.end] for s in find_streets.find(text)]


@pytest.mark.parametrize("word", ["Welshmen", "Ecuadorean", "dutchwomen"])
def test_demonym_forms_are_origins(word: str) -> None:
    text = f"Three {word} joined the club."
    assert [(text[s.start : s.end], s.label) for s in find_terms.find(text)] == [(word, "ORIGIN")]


def test_lowercase_weekday_after_a_time_preposition(engine: TextDeidentifier) -> None:
    assert ("friday", "DATE") in masked(engine, "ok see you on friday then")
    assert masked(engine, "i like fridays a lot") == []


def test_a_unit_word_closes_a_name_before_its_address(engine: TextDeidentifier) -> None:
    found = masked(engine, "Mrs. Marta Ilves Apt. 12 8841 Tamme 5")
    assert ("Marta Ilves", "NAME") in found and ("Mrs.", "TITLE") in found


def test_a_model_name_takes_back_its_rare_first_word() -> None:
    from veil.text.retyping import extend_names
    from veil.text.spans import Span

    text = "Ulvhild Sandvik will call. The Sandvik file is open."
    spans = [Span(8, 15, "NAME", 0.85, "ner"), Span(31, 38, "NAME", 0.85, "ner")]
    extend_names(text, spans)
    assert [text[s.start : s.end] for s in spans] == ["Ulvhild Sandvik", "Sandvik"]


def test_lowercase_list_of_mostly_given_names(engine: TextDeidentifier) -> None:
    assert [v for v, _ in masked(engine, "their kids: ulvhild, terrence, pamela and brian.")] == [
        "ulvhild", "terrence", "pamela", "brian"
    ]
    assert masked(engine, "we bought bread, milk and eggs") == []


def test_everyday_word_town_right_after_a_street(engine: TextDeidentifier) -> None:
    assert ("bath", "LOCATION") in masked(engine, "i moved to nine kings road, bath. my number changed too")
    assert masked(engine, "i was reading, then i slept") == []
