"""Whether a text has anything for the statistical model (most of the time is the model's)."""

from __future__ import annotations

import re

from veil.text.cleanup import STREET_WORDS
from veil.text.gazetteer import (
    everyday_words,
    is_place,
)
from veil.text.ner import FIELD_WORDS
from veil.text.recognizers.capitalized import COMMON_CAPITALISED
from veil.text.spans import Span

CAPITALISED_WORD = re.compile(r"(?<![\w'’@./-])[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω][^\W\d_]*")


LOWER_WORDS = re.compile(r"\b[a-z]{3,}\b")


def needs_model(text: str, spans: list[Span]) -> bool:
    """Whether a text has anything for the NER: a capitalised word that is not a common
    sentence-opening word and not inside a span a rule already found (an e-mail, a street,
    a known full name, a city after its cue), or, in all-lowercase text, a few words in a
    row. Texts made only of numbers, codes, common words and what the rules explained skip
    the model, which is most of the time spent (on the Presidio set: 23 % less CPU for
    0.003 strict F1, docs/text.md)."""
    if not any(ch.isupper() for ch in text):
        return len(LOWER_WORDS.findall(text)) >= 3
    covered = [(s.start, s.end) for s in spans if s.source in ("pattern", "validated", "context")]
    for m in CAPITALISED_WORD.finditer(text):
        word = m.group()
        if word in COMMON_CAPITALISED or len(word) < 2 or _nothing_for_the_model(text, m.start(), word):
            continue
        if not any(a <= m.start() < b for a, b in covered):
            return True
    return False


SENTENCE_OPENING = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


OPENING_ZIPF = 4.5  # wordfreq: an everyday word ("Need", "Excuse", "Patient") at a sentence start


def _nothing_for_the_model(text: str, start: int, word: str) -> bool:
    """A capitalised word whose model entity would be thrown away anyway (a form-field acronym,
    a street-type word) or an everyday word opening a sentence that is no known name or place."""
    if word.upper() in FIELD_WORDS or word.lower() in STREET_WORDS:
        return True
    if SENTENCE_OPENING.search(text, max(0, start - 4), start) is None or is_place(word):
        return False
    return everyday_words(word, zipf=OPENING_ZIPF)
