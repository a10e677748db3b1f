"""Propagation: other mentions of a found name, place or organisation, in any case."""

from __future__ import annotations

from veil.text import TextDeidentifier
from veil.text.options import DeidentifyOptions
from veil.text.propagation import everyday_word, propagate
from veil.text.spans import Span


def mentions(text: str, spans: list[Span]) -> list[str]:
    return sorted(text[s.start : s.end] for s in propagate(text, spans))


def test_every_case_of_a_name_gets_the_same_marker(engine: TextDeidentifier) -> None:
    result = engine.deidentify("Hi John and JOHN and john, see you.")[0]
    assert result.result == "Hi [NAME_1] and [NAME_1] and [NAME_1], see you."


def test_propagation_unit_case_insensitive() -> None:
    text = "Greta Lindqvist wrote. GRETA replied, then lindqvist left."
    spans = [Span(0, 15, "NAME", 0.9, "ner")]
    assert mentions(text, spans) == ["GRETA", "Greta", "Greta Lindqvist", "Lindqvist", "lindqvist"]


def test_a_name_that_is_an_everyday_word_is_not_propagated_in_lowercase() -> None:
    text = "Will Okafor arrived. We will see; you may go. Mark Okafor came, mark the date."
    spans = [Span(0, 11, "NAME", 0.9, "ner"), Span(46, 57, "NAME", 0.9, "ner")]
    found = mentions(text, spans)
    assert "will" not in found and "mark" not in found and "may" not in found
    assert found.count("Okafor") == 2


def test_places_and_organisations_propagate_in_any_case() -> None:
    text = "Flights to Lisbon. lisbon in May. Zentrawerk hires; ZENTRAWERK pays."
    spans = [Span(11, 17, "LOCATION_CITY", 0.8, "ner"), Span(34, 44, "ORGANIZATION", 0.8, "ner")]
    found = mentions(text, spans)
    assert "lisbon" in found and "ZENTRAWERK" in found


def test_whole_words_only() -> None:
    text = "Anna met Annabel and anna-lena."
    assert mentions(text, [Span(0, 4, "NAME", 0.9, "ner")]) == ["Anna"]


def test_hints_and_other_labels_do_not_propagate() -> None:
    text = "Orvale said hi. Orvale again. Code 4471 and 4471."
    spans = [Span(0, 6, "NAME", 0.5, "hint"), Span(35, 39, "NUMERICAL_PII", 0.6, "context")]
    assert mentions(text, spans) == []


def test_lowercase_found_name_propagates_to_lowercase_mentions() -> None:
    text = "this is dmitri. dmitri again"
    assert mentions(text, [Span(8, 14, "NAME", 0.8, "ner")]) == ["dmitri", "dmitri"]


def test_lowercase_everyday_word_found_as_name_does_not_spread() -> None:
    text = "ask will. will you?"
    assert mentions(text, [Span(4, 8, "NAME", 0.6, "ner")]) == []


def test_everyday_word() -> None:
    assert everyday_word("will", person=True, strict=True)
    assert everyday_word("mark", person=True, strict=True)
    assert everyday_word("reading", person=False, strict=True)
    assert not everyday_word("john", person=True, strict=True)
    assert not everyday_word("london", person=False, strict=True)


def test_linked_batch_propagates_across_messages(engine: TextDeidentifier) -> None:
    texts = ["Agent: hello, this is Ingrid Solberg.", "customer: thanks ingrid", "INGRID, one more thing"]
    results = engine.deidentify(texts, DeidentifyOptions(link_batch=True))
    assert "ingrid" not in results[1].result.lower()
    assert "INGRID" not in results[2].result
    assert results[1].pii[0].marker == results[2].pii[0].marker


def test_greetings_of_other_languages_are_trimmed_but_names_are_kept() -> None:
    from veil.text.propagation import trim_greetings

    for text, name in [("Hallo Günther", "Günther"), ("Buongiorno Chiara", "Chiara"), ("Cara Delgado", "Cara Delgado")]:
        spans = [Span(0, len(text), "NAME", 0.8, "ner")]
        trim_greetings(text, spans)
        assert text[spans[0].start : spans[0].end] == name
