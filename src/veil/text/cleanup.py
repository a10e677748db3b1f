"""Clean-ups of candidate spans: edges of names, capitalisation hints, headings and labels
the model takes for names."""

from __future__ import annotations

import re
from collections.abc import Callable

from veil.text.gazetteer import (
    everyday_words,
)
from veil.text.spans import Span

STREET_WORDS = frozenset(
    {"st", "st.", "ave", "ave.", "rd", "rd.", "street", "avenue", "road", "blvd", "apt", "apt.", "suite"}
)


def everyday_hint(text: str, span: Span) -> bool:
    """A capitalisation hint of very frequent English words in a title-cased headline ("... To
    Hate (But Really Love)"): capitals there say nothing, and neither the model nor a rule
    found a name. (Without a model, capitalisation is the name finder and such hints stay.)"""
    if span.source != "hint" or span.label != "NAME":
        return False
    value = text[span.start : span.end]
    return (
        TITLE_CASE_BEFORE.search(text, max(0, span.start - 40), span.start) is not None
        and everyday_words(value, names=False, zipf=COMMON_WORD_ZIPF)
    )


# a capitalised function word inside a line: a title-cased headline ("... To Ignore (But Really Love)")
TITLE_CASE_BEFORE = re.compile(r"[\w,'’][ \t]+\(?(?:But|And|Or|Of|The|To|For|With|In|On|At|From|By)[ \t]+$")


def street_word(text: str, span: Span) -> bool:
    """A model or a capitalisation rule taking a lone street-type word ("St.") for a name or place."""
    return span.source in ("ner", "hint", "context") and text[span.start : span.end].lower() in STREET_WORDS


POSSESSIVE_IN_NAME = re.compile(r"['’]s[ \t]")
UNIT_AT_END = re.compile(r"[ \t]+(?:Apt|Apartment|Suite|Ste|Unit)\.?$")


FIRST_WORD = re.compile(r"\S+[ \t]+")


def tidy(text: str, span: Span) -> Span:
    """A possessive ending is not part of a name ("Nadia Perrin's" -> "Nadia Perrin"), nor
    what the person owns ("Pavel Orlov's Winter Stories" -> "Pavel Orlov"), nor what they
    used to be ("ex-Vandal Morrow" -> "Morrow")."""
    if span.label.startswith("NAME") and span.length > 3:
        last = UNIT_AT_END.search(text, span.start, span.end)
        if last is not None and last.start() > span.start:
            span.end = last.start()  # "Anna Berg Apt. 675": the unit opens the address after the name
        if text[max(0, span.start - 3) : span.start].lower() == "ex-":
            # "ex-Vandal Morrow", "ex-Marine John Smith": what the person used to be, then the name
            first = FIRST_WORD.match(text[span.start : span.end])
            if first is not None:
                span.start += first.end()
        inside = POSSESSIVE_IN_NAME.search(text, span.start, span.end)
        if inside is not None and inside.start() > span.start:
            span.end = inside.start()
        elif text[span.end - 2 : span.end] in ("'s", "’s"):
            span.end -= 2
    return span


COMMON_WORD_ZIPF = 4.0  # a lone word this frequent ("wisdom") is a word, not someone's name


def drop_headings(text: str, spans: list[Span]) -> list[Span]:
    """Title-cased everyday words the model takes for a person or an organisation: a field label
    before a colon ("Produced By:", "Opening Hours:"), an item of a list of categories
    ("Drama & Romance, Animation, Comedy, Music & Dance"), or one everyday word that no
    name list knows taken for a person ("words like Wisdom and Discipline")."""
    out = []
    for s in spans:
        if s.label == "NAME" or s.label.startswith("ORGANIZATION"):
            value = text[s.start : s.end]
            if s.label == "NAME" and " " not in value and everyday_words(value, zipf=COMMON_WORD_ZIPF):
                continue
            label_colon = text[s.end : s.end + 3].lstrip(" \t").startswith(":")
            if (label_colon or _in_category_list(text, s)) and everyday_words(value):
                continue
        out.append(s)
    return out


def _in_category_list(text: str, span: Span) -> bool:
    """The span's line is a comma-separated list of at least four short title-cased items."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    items = [i.strip() for i in text[line_start : line_end if line_end >= 0 else len(text)].split(",")]
    return len(items) >= 4 and all(
        0 < len(i.split()) <= 4 and i[:1].isupper() and not any(ch.isdigit() for ch in i) for i in items
    )


UNKNOWN_CAP = re.compile(
    r"(?<![\w'’@./-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,}(?:[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+){0,2}(?![\w@])"
)


PLACE_PREP = re.compile(r"(?i)\b(?:in|to|near|into)[ \t]+$")


POSSESSIVE_AFTER = re.compile(r"['’]s\b")


def unknown_word_hints(text: str, known: Callable[[str], bool]) -> list[Span]:
    """Capitalised words the model's vocabulary does not know ("Zorbix", "Quellin"): gap-filling hints."""
    out = []
    for m in UNKNOWN_CAP.finditer(text):
        words = m.group().split()
        if all(known(w) for w in words) or any(not w.isalpha() for w in words):
            continue
        if POSSESSIVE_AFTER.match(text, m.end()):
            label = "NAME"  # "Fairbrother's song": people own things far more often than places do
        elif PLACE_PREP.search(text, max(0, m.start() - 8), m.start()):
            label = "LOCATION"
        else:
            label = "ORGANIZATION"
        out.append(Span(m.start(), m.end(), label, 0.5, "hint"))
    return out
