"""The word lists behind the Latin-script rules: common nouns vs names (German), unknown words
as name guesses (Italian), and what the German rules make of typical sentences."""

from __future__ import annotations

import pytest

from veil.text.multilingual import detect_entities, lexicon
from veil.text.multilingual.latin_ner import (
    german_common_noun,
    german_place_compound,
    shared_across_languages,
)
from veil.text.multilingual.ner import _unknown_word

pytestmark = pytest.mark.skipif(not lexicon.available(), reason="simplemma is not installed")


def found(text: str, lang: str) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in detect_entities(text, lang)}


def test_word_forms() -> None:
    assert lexicon.is_word("de", "Parteien")
    assert not lexicon.is_word("de", "parteien")  # German forms are case-sensitive
    assert lexicon.is_word("it", "Regione")  # other languages are looked up lower-cased
    assert not lexicon.is_word("it", "Socrate")
    assert not lexicon.is_word("xx", "word")


def test_german_nouns_inflect_and_names_do_not() -> None:
    assert lexicon.is_german_noun("Parteien")
    assert lexicon.is_german_noun("Tore")
    assert not lexicon.is_german_noun("Kurdistan")


@pytest.mark.parametrize(
    "word",
    [
        "Verteidigungsminister",
        "Nationalkongress",
        "Menschenrechtsaktivistin",
        "Parkinson-Krankheit",
        "US-Delegation",
    ],
)
def test_german_common_nouns(word: str) -> None:
    assert german_common_noun(word)


@pytest.mark.parametrize(
    "word",
    [
        "Berlin",
        "Hans",
        "Schopenhauer",
        "Bracquemond",
        "Wendell",
        "Hartmann",
        "Universität",
        "Londoner",
        "Südtirol",
        "Edmund-Probst-Haus",
    ],
)
def test_german_names_places_and_organisation_words_are_not_common(word: str) -> None:
    assert not german_common_noun(word)


def test_shared_across_languages() -> None:
    assert shared_across_languages("Tibet")
    assert not shared_across_languages("Jugend")
    assert not shared_across_languages("Xqzwv")  # unknown to wordfreq


def test_place_compounds() -> None:
    assert german_place_compound("Mitteleuropa")
    assert not german_place_compound("Mittelalter")


def test_german_title_is_cut_off_the_name() -> None:
    text = "Er war ein Mitarbeiter von Verteidigungsminister Henk Vredeling ."
    assert ("Henk Vredeling", "NAME") in found(text, "de")


def test_german_surname_that_is_a_noun_stays() -> None:
    assert ("Conchita Wurst", "NAME") in found("Sie sah Conchita Wurst im Fernsehen .", "de")


def test_german_club_is_an_organisation() -> None:
    spans = found("Er spielte für die Boston Bruins und den SV Elversberg .", "de")
    assert ("Boston Bruins", "ORGANIZATION") in spans
    assert ("SV Elversberg", "ORGANIZATION") in spans


def test_german_place_that_is_a_noun_needs_a_preposition() -> None:
    assert found("Er stand in der Mitte des Feldes .", "de") == set()
    assert any(
        value == "Siegen" and label.startswith("LOCATION")
        for value, label in found("Er zog nach Siegen .", "de")
    )


def test_german_unknown_word_after_preposition_is_a_place() -> None:
    assert ("Grono", "LOCATION") in found("Ein Museum soll in Grono entstehen .", "de")


def test_german_everyday_nouns_are_not_guessed() -> None:
    text = "Nach der Rückkehr aus dem Klub begann seine Jugend im Herbst mit dem Studium ."
    assert found(text, "de") == set()


def test_italian_unknown_single_word_is_a_name_guess() -> None:
    text = "Il dialogo tra Alcibiade e il maestro è celebre ."
    assert any(value == "Alcibiade" for value, _ in found(text, "it"))


@pytest.mark.parametrize("word", ["Regione", "Inizia", "XVI", "PostScript", "Watchmen", "Al"])
def test_italian_common_words_acronyms_and_english_words_are_no_guesses(word: str) -> None:
    assert not _unknown_word(word, "it")
