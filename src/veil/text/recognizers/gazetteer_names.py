"""Person names from given/family-name gazetteers (Faker's person providers).

A capitalised given name followed by capitalised words ("Zsofia T Kovacs") is a
name; a lone given name is only a hint (the NER or another rule wins a tie), and given
names that are everyday words or places ("May", "Georgia") never count on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.gazetteer import AMBIGUOUS_GIVEN, is_place, person_names
from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

CAP_TOKEN = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*\.?")
PERSON_VERB = re.compile(
    r"[ \t]+(?:is|was|lives|lived|spent|said|says|had|has|and|from|works|worked|will|would|can|could|told|"
    r"called|wrote|just|did|does|went|got|gave|asked|replied|joined)\b|'s\b|’s\b|,"
)
STOP_AFTER = frozenset({"The", "A", "An", "And", "Or", "But", "In", "On", "At", "Of", "To", "For", "I", "Street", "Road"})


LOWER_TOKEN = re.compile(r"(?<![\w'’-])[a-zß-öø-ÿā-ž][\w'’-]*\.?")


# "Olga K. Petrenko", "Zsofia T Kovacs": a capitalised word, a middle initial and a
# capitalised word are a person's name whether or not the lists know the words.
WITH_INITIAL = re.compile(
    r"(?<![\w'’.-])[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+[ \t]+(?!I\b)[A-Z]\.?[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+"
    r"(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+)?(?![\w-])"
)
NOT_FIRST = frozenset({"The", "A", "An", "In", "On", "At", "To", "From", "For", "Of", "And", "Or", "But", "Route", "Block", "Plan", "Type", "Class", "Section", "Grade", "Vitamin", "Hepatitis", "Team", "Group", "Building", "Exhibit", "Appendix", "Chapter", "Part", "Phase", "Level", "Gate", "Terminal", "Platform", "Row", "Seat", "Zone"})


@recognizer("gazetteer_names", "NAME")
def find_gazetteer_names(text: str) -> Iterator[Span]:
    for m in WITH_INITIAL.finditer(text):
        if m.group().split()[0] not in NOT_FIRST:
            yield Span(m.start(), m.end(), "NAME", 0.8, "context")
    given, family = person_names()
    if not any(ch.isupper() for ch in text):
        yield from _lowercase_names(text, given, family)
        yield from _cued_lowercase_names(text)
        return
    tokens = list(CAP_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group().rstrip(".")
        if word not in given or word in AMBIGUOUS_GIVEN or is_place(word):
            i += 1
            continue
        # extend over following capitalised tokens on the same line, separated by single spaces
        j = i
        while j + 1 < len(tokens) and j - i < 3:
            gap = text[tokens[j].end() : tokens[j + 1].start()]
            nxt = tokens[j + 1].group().rstrip(".")
            current = tokens[j].group()
            if gap not in (" ", "\t") or nxt in STOP_AFTER or is_place(nxt):
                break
            if current.endswith(".") and len(current) > 2:
                break  # "Wirth." ends a sentence; "J." is an initial
            j += 1
        if j > i:
            last = tokens[j].group()
            end = tokens[j].end() - (1 if last.endswith(".") and len(last) > 2 else 0)
            yield Span(tok.start(), end, "NAME", 0.8, "context")
        else:
            end = tok.start() + len(word)
            if PERSON_VERB.match(text, end) and (word in family or word in given):
                yield Span(tok.start(), end, "NAME", 0.7, "hint")
        i = j + 1


NAME_CUE_LOWER = re.compile(r"\b(?:(?:my|her|his|their|maiden|last|first|family|full)[ \t]+name[ \t]+is|i'?m[ \t]+called)[ \t]+$")
POSSESSIVE_END = re.compile(r"['’]s$")
BOUNDARY_AFTER = re.compile(
    r"(?:['’]s\b|[.,;:!?)]|[ \t]*$|[ \t]+(?:in|at|on|to|from|and|is|was|said|says|has|had|will|would|who|"
    r"called|told|asked|wrote|went|left|came|died|lives|lived|works|worked)\b)"
)


def _unknown_surname(text: str, prev: re.Match[str], nxt: re.Match[str]) -> bool:
    """A word right after a lowercase given name (or its initial) that reads as a surname: not a
    function word or an inflected verb/adverb, and followed by a clause boundary."""
    from spacy.lang.en.stop_words import STOP_WORDS

    word = POSSESSIVE_END.sub("", nxt.group().rstrip("."))
    if text[prev.end() : nxt.start()] not in (" ", "\t") or len(word) < 3 or word in STOP_WORDS:
        return False
    if word.endswith(("ed", "ing", "ly")) or not word.replace("-", "").replace("'", "").isalpha():
        return False
    return BOUNDARY_AFTER.match(text, nxt.start() + len(word)) is not None


def _cued_lowercase_names(text: str) -> Iterator[Span]:
    """"her maiden name is lindgren": the word after a name cue is a name, known or not."""
    from spacy.lang.en.stop_words import STOP_WORDS

    for m in LOWER_TOKEN.finditer(text):
        word = m.group().rstrip(".")
        if word in STOP_WORDS or len(word) < 2 or not NAME_CUE_LOWER.search(text, max(0, m.start() - 30), m.start()):
            continue
        yield Span(m.start(), m.start() + len(word), "NAME", 0.7, "context")


def _lowercase_names(text: str, given: frozenset[str], family: frozenset[str]) -> Iterator[Span]:
    """All-lowercase text ("my name is lena andersson"): a given name followed by an initial or
    a family name is a name; a lone given name before a person verb is a hint."""
    tokens = list(LOWER_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        word = tokens[i].group().rstrip(".").capitalize()
        if word not in given or word in AMBIGUOUS_GIVEN or is_place(word) or len(word) < 3:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and j - i < 2:
            gap = text[tokens[j].end() : tokens[j + 1].start()]
            nxt = tokens[j + 1].group().rstrip(".")
            is_initial = len(nxt) == 1
            if gap not in (" ", "\t") or not (is_initial or nxt.capitalize() in family):
                break
            j += 1
        if j + 1 < len(tokens) and _unknown_surname(text, tokens[j], tokens[j + 1]):
            j += 1  # "martina okafor in", "daniel r brandt": a surname the lists do not have
        last = POSSESSIVE_END.sub("", tokens[j].group().rstrip("."))
        if j > i and len(last) > 1:
            yield Span(tokens[i].start(), tokens[j].start() + len(last), "NAME", 0.75, "context")
        elif PERSON_VERB.match(text, tokens[i].start() + len(word)):
            yield Span(tokens[i].start(), tokens[i].start() + len(word), "NAME", 0.6, "hint")
        i = j + 1
