"""Retyping of the model's people, organisations and places by the words around them, the
other items of a list, and the layout of a letterhead; places cut at a connector made whole."""

from __future__ import annotations

import re

from veil.text.gazetteer import (
    AMBIGUOUS_GIVEN,
    everyday_words,
    is_place,
    location_subtype,
    person_names,
    rare_word,
)
from veil.text.spans import Span

ORG_SUFFIX = re.compile(
    r"(?i)\b(?:inc|llc|ltd|gmbh|corp|company|group|bank|university|orchestra|agency|partners|associates)\b"
)


# Surname endings that are (almost) never the end of a place or company name: Slavic
# patronymics and surnames, Nordic and Icelandic patronymics, Georgian, Armenian, Greek,
# Romanian and Turkish forms.
SURNAME_ENDING = re.compile(
    r"[a-zà-ÿ](?:ovich|evich|ovna|evna|skaya|enko|chuk|shvili|idze|adze|opoulos|escu|oglu|oğlu|sdóttir|sdottir)$"
)


# endings that also end some place or company names ("Padova", "Geneva", "Ericsson"): only
# after a first word ("Yaroslava Kuznetsova")
WEAK_SURNAME_ENDING = re.compile(r"\S[ \t]+\S+(?:ova|eva|ov|ev|yan|akis|ski|sky|sson)$")


DIRECTIONS = frozenset(
    [
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "North",
        "South",
        "East",
        "West",
        "Northeastern",
        "Northwestern",
        "Southeastern",
        "Southwestern",
    ]
)


def retype_people(text: str, spans: list[Span]) -> list[Span]:
    """An NER organisation or place that starts with a known given name is a person; a place
    written with a direction ("Southern Austria") is the known place it qualifies."""
    given, _ = person_names()
    for s in spans:
        if s.label.startswith("LOCATION"):
            words = text[s.start : s.end].split(" ", 1)
            if (
                len(words) == 2
                and words[0] in DIRECTIONS
                and is_place(words[1])
                and not is_place(text[s.start : s.end])
            ):
                s.start += len(words[0]) + 1
                s.label = location_subtype(words[1])
                continue
        if s.label == "NAME" or not (s.label.startswith("LOCATION") or s.label.startswith("ORGANIZATION")):
            continue
        value = text[s.start : s.end]
        first = value.split()[0].rstrip(".,")
        if (SURNAME_ENDING.search(value) or WEAK_SURNAME_ENDING.search(value)) and not is_place(value) and not ORG_SUFFIX.search(value) and "," not in value:
            s.label = "NAME"  # "Yaroslava Kuznetsova", "Timur Rashidovich": a surname's form
            s.labels = {}
            continue
        if (
            first in given
            and first not in AMBIGUOUS_GIVEN
            and not is_place(value)
            and not is_place(first)
            and not ORG_SUFFIX.search(value)
            and "," not in value
        ):
            s.label = "NAME"
            s.labels = {}
    return spans


# What the words around a name say it is. Organisations: "work for X", "employed by X",
# "X is a design agency", "X's website"; people: "says X",
# "X lives at", "X said", "was called X", "named him X".
ORG_BEFORE = re.compile(
    r"(?i)(?:\bwork(?:s|ed|ing)?[ \t]+(?:for|at)|\bemployed[ \t]+by|\bhired[ \t]+by|\bsigned[ \t]+(?:to|with))[ \t]+$"
)


ORG_AFTER = re.compile(
    r"(?i)(?:['’]s)?[ \t]+(?:website|office|headquarters|employees|shares)\b|[ \t]+(?:is|was)[ \t]+an?[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:company|agency|firm|multinational|bank|corporation|start-?up|non-?profit|charity|"
    r"organi[sz]ation|501\(c\)|manufacturer|retailer|publisher|brand|provider|consultancy|business)\b"
)


PERSON_BEFORE = re.compile(r"(?i)(?:\b(?:says|said|asked|replied)|\b(?:is|was|were)[ \t]+called|\bnamed[ \t]+(?:him|her))[ \t]+$")


PERSON_AFTER = re.compile(
    r"(?i)[ \t]+(?:lives|lived|says|said|told|asked|explained|replied|wrote|is[ \t]+(?:a|an)[ \t]+\d{1,3}[ \t-]+years?[ \t-]+old)\b"
)


AS_ROLE = re.compile(r"[ \t]+as[ \t]+(?:(?:an?|the|its|their)[ \t]+)?")


EMPLOYER_BEFORE = re.compile(r"(?i)\b(?:at|for|with|joined)[ \t]+$")


IN_BEFORE = re.compile(r"(?<![\w'’-])in[ \t]+$")


CLAUSE_END = re.compile(r"[ \t]*(?:[,.;!?)]|$)")


NAME_OF = re.compile(r"[ \t]+of[ \t]+$")


LIST_GLUE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)")


RETYPABLE = ("ner", "hint")


TITLE_WORD = re.compile(r"[A-Za-z]+")


def _title_word_at(text: str, pos: int) -> bool:
    """Whether a word of the occupation lexicon starts at ``pos`` ("assistant", "manager")."""
    from veil.text.recognizers.vocabulary import title_words

    m = TITLE_WORD.match(text, pos)
    return m is not None and m.group().lower() in title_words()


def _relabel(span: Span, label: str) -> None:
    span.label = label
    span.labels = {}


def retype_by_context(text: str, spans: list[Span]) -> None:
    """Retype the model's people, organisations and places by the words around them (see
    above), by the other items of a list ("Okafor and Murphy were": a person, since Murphy is
    one), and in a letterhead by position (the line between a name and an address is the
    company)."""
    people = sorted((s for s in spans if s.label == "NAME"), key=lambda s: s.start)
    ends = {s.end for s in people}
    jobs = {s.start for s in spans if s.label == "OCCUPATION"}
    for s in spans:
        if s.source not in RETYPABLE or not (
            s.label in ("NAME", "ORGANIZATION") or s.label.startswith("LOCATION_") or s.label == "LOCATION"
        ):
            continue
        if s.label.startswith("LOCATION_ADDRESS") or s.label in ("LOCATION_ZIP", "LOCATION_COORDINATE"):
            continue
        before = text[max(0, s.start - 30) : s.start]
        if s.label != "ORGANIZATION" and (ORG_BEFORE.search(before) or ORG_AFTER.match(text, s.end)):
            _relabel(s, "ORGANIZATION")
        elif s.label != "ORGANIZATION" and (of := NAME_OF.search(before)) is not None and s.start - len(before) + of.start() in ends:
            _relabel(s, "ORGANIZATION")  # "Zbigniew Nowak of Quantrix": a person of an organisation
        elif (
            s.label != "ORGANIZATION"
            and (role := AS_ROLE.match(text, s.end)) is not None
            and (role.end() in jobs or _title_word_at(text, role.end()))
            and EMPLOYER_BEFORE.search(before)
            # "at Paris as a student": a well-known place stays one
            and not (s.label.startswith("LOCATION") and everyday_words(text[s.start : s.end], names=False, zipf=3.5))
        ):
            _relabel(s, "ORGANIZATION")  # "two years at Brightlane as the assistant": the employer
        elif s.label != "NAME" and not is_place(text[s.start : s.end]) and (
            PERSON_BEFORE.search(before) or PERSON_AFTER.match(text, s.end)
        ):
            _relabel(s, "NAME")
        elif (
            s.label in ("NAME", "ORGANIZATION")
            and IN_BEFORE.search(before)
            and CLAUSE_END.match(text, s.end)
            and not ORG_SUFFIX.search(text[s.start : s.end])
            and text[s.start : s.end].split()[0] not in person_names()[0]
        ):
            # "Marking its 5th season in Davos, ...": what one is in, at the end of a clause, is a place
            _relabel(s, location_subtype(text[s.start : s.end]))
    _retype_lists(text, spans)
    _retype_letterhead(text, spans)


NAME_COORDINATION = re.compile(r"[ \t]*,?[ \t]+(?:and|&)[ \t]+")


def split_coordinated_names(text: str, spans: list[Span]) -> list[Span]:
    """A model's person "Donald and Kristen" is two people: a name has no "and" inside ("Doe, Jane"
    keeps its comma)."""
    out = []
    for s in spans:
        if s.label == "NAME" and s.source == "ner" and NAME_COORDINATION.search(text, s.start, s.end):
            pos = s.start
            for m in NAME_COORDINATION.finditer(text, s.start, s.end):
                if m.start() > pos:
                    out.append(Span(pos, m.start(), "NAME", s.score, s.source))
                pos = m.end()
            if pos < s.end:
                out.append(Span(pos, s.end, "NAME", s.score, s.source))
            continue
        out.append(s)
    return out


GIVEN_BEFORE = re.compile(r"(?<![\w'’.-])([A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+)[ \t]$")


def extend_names(text: str, spans: list[Span]) -> None:
    """A model person that lost its first word: "Oline Mikaelsen" read as "Mikaelsen". The
    capitalised word right before it is taken when it is a known given name or rarer than an
    everyday word (not a place, nor a word a rule already explained)."""
    taken = [(s.start, s.end) for s in spans if s.source != "hint"]
    for s in spans:
        if s.label != "NAME" or s.source != "ner" or " " in text[s.start : s.end].strip():
            continue
        m = GIVEN_BEFORE.search(text, max(0, s.start - 25), s.start)
        if m is None:
            continue
        word = m.group(1)
        given, _ = person_names()
        if word in AMBIGUOUS_GIVEN or is_place(word) or (word not in given and not rare_word(word)):
            continue
        if any(a < s.start and m.start(1) < b for a, b in taken):
            continue
        s.start = m.start(1)


PLACE_CONNECTED_AFTER = re.compile(
    r"[ \t]+(?:de[ \t]+la|de[ \t]+los|de[ \t]+las|del|de|do|da|dos|das|di|du|des|sur|nad|pod|upon|on[ \t]+the)"
    r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)?"
)


PLACE_CONNECTED_BEFORE = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+[ \t]+(?:de[ \t]+la|de[ \t]+los|de[ \t]+las|del|de|do|da|dos|das|di|du|des|sur|nad|pod)[ \t]+$"
)


def extend_places(text: str, spans: list[Span]) -> None:
    """A model place cut at a connector is the whole name: "Puebla de Sanabria",
    "Villanueva de la Serena", "Alcalá de Henares"."""
    for s in spans:
        if s.source not in RETYPABLE or not s.label.startswith("LOCATION") or s.label.startswith("LOCATION_ADDRESS"):
            continue
        after = PLACE_CONNECTED_AFTER.match(text, s.end)
        if after is not None and "\n" not in after.group():
            s.end = after.end()
        before = PLACE_CONNECTED_BEFORE.search(text, max(0, s.start - 30), s.start)
        if before is not None and "\n" not in before.group():
            s.start = before.start()


def _retype_lists(text: str, spans: list[Span]) -> None:
    """In "A, B and C" where some items are people, the model's one-word organisations and
    places among them are people too (unless they are known places)."""
    slots: list[list[Span]] = []  # spans on the same characters
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if slots and (slots[-1][0].start, slots[-1][0].end) == (s.start, s.end):
            slots[-1].append(s)
        else:
            slots.append([s])
    run: list[list[Span]] = []
    for slot in [*slots, None]:
        if slot is not None and run and LIST_GLUE.fullmatch(text, run[-1][0].end, slot[0].start):
            run.append(slot)
            continue
        named = [any(r.label == "NAME" for r in item) for item in run]
        for k, item in enumerate(run):
            if len(run) < 2 or not any(n for j, n in enumerate(named) if j != k):
                continue
            value = text[item[0].start : item[0].end]
            if len(value.split()) > 2 or is_place(value) or ORG_SUFFIX.search(value):
                continue
            for r in item:
                if r.source in RETYPABLE and (r.label == "ORGANIZATION" or r.label.startswith("LOCATION")):
                    _relabel(r, "NAME")
        run = [slot] if slot is not None else []


def _whole_line(text: str, span: Span) -> tuple[int, int] | None:
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : span.start].strip(" \t>*-?•") or text[span.end : line_end].strip(" \t.,"):
        return None
    return line_start, line_end


def _retype_letterhead(text: str, spans: list[Span]) -> None:
    """Name / company / address, one per line: the model's person or place on the line between
    a name line and an address is the company."""
    if text.count("\n") < 2:
        return
    names = {(s.start, s.end) for s in spans if s.label == "NAME"}
    by_line: dict[int, Span] = {}
    for s in spans:
        bounds = _whole_line(text, s)
        if bounds is not None:
            by_line[bounds[0]] = s
    address_starts = sorted(s.start for s in spans if s.label.startswith("LOCATION_ADDRESS"))
    if not address_starts:
        return
    for s in spans:
        if s.source not in RETYPABLE or s.label not in ("NAME", "LOCATION", "LOCATION_CITY", "ORIGIN"):
            continue
        bounds = _whole_line(text, s)
        if bounds is None or bounds[0] == 0:
            continue
        prev_start = text.rfind("\n", 0, bounds[0] - 1) + 1
        prev = by_line.get(prev_start)
        if prev is None or (prev.start, prev.end) not in names or prev is s:
            continue
        # an address within the next two lines
        nxt = bounds[1]
        for _ in range(2):
            nxt = text.find("\n", nxt + 1) if nxt < len(text) else -1
            if nxt < 0:
                nxt = len(text)
                break
        if any(bounds[1] < a <= nxt for a in address_starts):
            _relabel(s, "ORGANIZATION")
