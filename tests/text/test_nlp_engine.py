"""The shared NLP engine: chunks at boundaries with offsets mapped back, no entity lost at a
chunk border, turns granted first come first served, and a short request not held behind a
large one; span edges without the sentence's punctuation."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

import veil.text.nlp_engine as nlp_engine
from veil.text import DeidentifyOptions, TextDeidentifier
from veil.text.edges import trim_edges
from veil.text.ner import NerPipeline
from veil.text.nlp_engine import FairLock, chunk_spans
from veil.text.spans import Span

SENTENCES = [
    "Margot Villeneuve flew from Lisbon to Oslo on Tuesday.",
    "The invoice was sent to Harrow & Finch Ltd in March.",
    "Ask Desmond Okoro about the keys.\n\nThe shed is behind the barn.",
    "Greta Lindqvist moved to Toronto last spring.",
]


def test_chunks_cover_the_text_at_boundaries() -> None:
    text = " ".join(SENTENCES * 40)
    spans = chunk_spans(text, 300)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(0 < e - s <= 300 for s, e in spans)
    # each cut falls after a sentence or paragraph end, not inside a word
    assert all(text[e - 2 : e] in (". ", "\n\n") or text[e - 1] == "\n" for _, e in spans[:-1])
    assert chunk_spans("short text", 300) == [(0, 10)]
    assert chunk_spans("x" * 700, 300) == [(0, 300), (300, 600), (600, 700)]


def test_chunked_entities_equal_unchunked_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = NerPipeline("sm")
    text = " ".join(SENTENCES * 6)
    whole = [(s.start, s.end, s.label) for s in pipeline.entities([text])[0]]
    monkeypatch.setattr(nlp_engine, "CHUNK_CHARS", 97)  # cuts fall inside sentences and names
    monkeypatch.setattr(nlp_engine, "CHUNK_OVERLAP", 60)
    monkeypatch.setattr(nlp_engine, "TURN_CHARS", 400)
    chunked = [(s.start, s.end, s.label) for s in pipeline.entities([text, "Ask Desmond Okoro."])[0]]
    names = {text[a:b] for a, b, label in chunked if label == "NAME"}
    assert {"Margot Villeneuve", "Desmond Okoro", "Greta Lindqvist"} <= names
    assert len(chunked) == len(set(chunked))  # an entity in an overlap is reported once
    assert len(set(whole) & set(chunked)) >= 0.9 * len(whole)


def test_fair_lock_grants_turns_in_order() -> None:
    lock = FairLock()
    order: list[int] = []
    lock.__enter__()
    threads = []
    for i in range(4):
        t = threading.Thread(target=lambda i=i: (lock.__enter__(), order.append(i), lock.__exit__(None, None, None)))
        t.start()
        threads.append(t)
        time.sleep(0.05)  # each waiter queues before the next one
    lock.__exit__(None, None, None)
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3]


def test_a_short_request_is_not_held_behind_a_large_one(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(accuracy_mode="standard_high")
    engine.deidentify("warm up, Anna", options)
    large = "\n\n".join(SENTENCES * 700)  # ~120k characters: several turns of the model
    done: dict[str, float] = {}

    def run(name: str, text: str) -> None:
        engine.deidentify(text, options)
        done[name] = time.perf_counter()

    big = threading.Thread(target=run, args=("large", large))
    big.start()
    time.sleep(0.3)
    small = threading.Thread(target=run, args=("small", "Call Desmond Okoro tomorrow."))
    small.start()
    small.join(60)
    big.join(120)
    assert done["small"] < done["large"]


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "expected"),
    [
        ("call 555-0100.", 5, 14, "PHONE_NUMBER", "555-0100"),
        ("met (Anna Lee) there", 4, 14, "NAME", "Anna Lee"),
        ('he said "Bob", then', 8, 14, "NAME", "Bob"),
        ("at 12 Main St. today", 3, 14, "LOCATION_ADDRESS_STREET", "12 Main St."),
        ("Acme (UK) said", 0, 9, "ORGANIZATION", "Acme (UK)"),
        ("Jane Q. wrote", 0, 7, "NAME", "Jane Q."),
        ("mail x@y.org; now", 5, 13, "EMAIL_ADDRESS", "x@y.org"),
        ("password hunter2!", 9, 17, "PASSWORD", "hunter2!"),
        ("visit Oslo!", 6, 11, "LOCATION", "Oslo"),
    ],
)
def test_span_edges_leave_the_sentence_punctuation(
    text: str, start: int, end: int, label: str, expected: str
) -> None:
    span = trim_edges(text, Span(start, end, label, 0.9))
    assert span is not None and text[span.start : span.end] == expected


def test_engine_never_masks_trailing_punctuation(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(custom_recognizers=[
        {"name": "ticket", "entity_type": "TICKET", "patterns": [{"regex": r"TK-\d+[.,;]?", "score": 0.9}]}
    ])
    [res] = engine.deidentify("Ticket TK-4471. Call 415-555-2671, or TK-99;", options)
    assert res.result == "Ticket [TICKET_1]. Call [PHONE_NUMBER_1], or [TICKET_2];"


def test_lone_surrogates_are_a_400_naming_the_text(engine: TextDeidentifier) -> None:
    from veil.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as err:
        engine.deidentify("Hi John \ud800", DeidentifyOptions(accuracy_mode="standard"))
    assert err.value.field == "text"
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify(["fine", "bad \udc00"], DeidentifyOptions(accuracy_mode="standard"))
    assert err.value.field == "text[1]"
    [res] = engine.deidentify("Grüße, Zoë 😀", DeidentifyOptions(accuracy_mode="standard"))
    assert res.output_checks_passed
