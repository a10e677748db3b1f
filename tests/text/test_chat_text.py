"""Lowercase support chats and greetings: names, places and ZIPs are masked without capitals."""

from __future__ import annotations

import pytest

from veil.text import TextDeidentifier
from veil.text.options import DeidentifyOptions
from veil.text.propagation import trim_greetings
from veil.text.recognizers.chat import find_chat_names, find_chat_places
from veil.text.spans import Span


@pytest.mark.parametrize("mode", ["standard", "high"])
def test_lowercase_chat(engine: TextDeidentifier, mode: str) -> None:
    text = "hey, this is brenda from denver, my zip is 80203, and my husband gustavo will call"
    result = engine.deidentify(text, DeidentifyOptions(accuracy_mode=mode))[0]
    pii = {(p.text, p.best_label) for p in result.pii}
    assert ("brenda", "NAME") in pii
    assert ("gustavo", "NAME") in pii
    assert ("denver", "LOCATION") in pii
    assert ("80203", "LOCATION_ZIP") in pii
    assert "will call" in result.result  # "will" is no name


@pytest.mark.parametrize("mode", ["standard", "high"])
def test_greeting_is_not_part_of_the_name(engine: TextDeidentifier, mode: str) -> None:
    result = engine.deidentify("Hello Marguerite, I am Tobias", DeidentifyOptions(accuracy_mode=mode))[0]
    assert result.result == "Hello [NAME_1], I am [NAME_2]"


def test_trim_greetings_unit() -> None:
    text = "Good morning Anneliese, welcome"
    spans = [Span(0, 22, "NAME", 0.8, "ner")]
    trim_greetings(text, spans)
    assert text[spans[0].start : spans[0].end] == "Anneliese"


def test_chat_names_need_a_known_name_or_a_strong_cue() -> None:
    text = "i'm tired and this is great, hi all. my name is zoltanek, call me tadzio"
    found = [text[s.start : s.end] for s in find_chat_names.find(text)]
    assert found == ["zoltanek", "tadzio"]


def test_chat_places_skip_everyday_words() -> None:
    text = "i will be in may at home, then moved to rotterdam near utrecht, out of reading"
    found = [text[s.start : s.end] for s in find_chat_places.find(text)]
    assert found == ["rotterdam", "utrecht"]


def test_place_then_state() -> None:
    text = "we are based in austin texas now"
    found = [(text[s.start : s.end], s.label) for s in find_chat_places.find(text)]
    assert ("texas", "LOCATION_STATE") in found


def test_name_fields_signatures_and_clause_places() -> None:
    from veil.text.recognizers.chat import find_clause_places

    text = "name: oskar lindqvist; ok\nthe account holder is amira el haddad, lisbon\n\nbest\ningrid solheim\ngdansk"
    names = [text[s.start : s.end] for s in find_chat_names.find(text)]
    assert "oskar lindqvist" in names and "amira el haddad" in names and "ingrid solheim" in names
    places = [text[s.start : s.end] for s in find_clause_places.find(text)]
    assert places == ["lisbon", "gdansk"]


def test_clause_places_skip_small_towns_named_like_words() -> None:
    from veil.text.recognizers.chat import find_clause_places

    assert list(find_clause_places.find("we saw a zebra, an antelope, a lion")) == []


def test_lowercase_uk_postcode() -> None:
    from veil.text.recognizers.chat import find_clause_places

    text = "send it to flat 2, ls6 3hn please"
    assert [(text[s.start : s.end], s.label) for s in find_clause_places.find(text)] == [("ls6 3hn", "LOCATION_ZIP")]


def test_lowercase_full_names_and_speech_verbs() -> None:
    text = "pls loop in helga brandt on this, zuzanna asked twice. he said no, mark the date"
    names = [text[s.start : s.end] for s in find_chat_names.find(text)]
    assert "helga brandt" in names and "zuzanna" in names
    assert "he" not in names and "mark" not in names


def test_capitalised_city_closing_an_address_line() -> None:
    from veil.text.recognizers.chat import find_clause_places

    text = "Best wishes,\nDr Ines Moreau\nClinique des Lilas, Lyon\nTel. 04 72 00 00 00"
    assert [text[s.start : s.end] for s in find_clause_places.find(text)] == ["Lyon"]
