"""English texts in the multilingual modes: post-processing of the English engine's spans.

The English engine (``veil.text.detectors.EnglishDetector``) is tuned for PII in messages and
forms. In the multilingual modes English texts are more often encyclopaedic prose (the issue-5
benchmark is Wikipedia text), so :func:`refine` adjusts names, places and organisations only:

- edges: whitespace left at a span's end (a possessive " 's" cut off) and leading lower-case
  words ("east Lancashire", "a Master of ...") or a capital article ("A Tulsa Drillers") are
  trimmed; a compass word written before a place belongs to it ("North America");
- hints (the engine's gap-filling guesses from capitalisation and unknown words) are dropped
  for names, places and organisations: on prose they are mostly titles, species and terms;
- person titles (King, Queen, Prince, Pope, ...) are not part of the name ("King David" ->
  "David"), a regnal number is ("Albert II").

Other spans (phones, e-mails, dates, ids ...) pass unchanged. Every rule is general English
knowledge; the word lists below are short and written by hand.
"""

from __future__ import annotations

import re

from veil.text.spans import Span

NAME_LABELS = frozenset({"NAME", "NAME_GIVEN", "NAME_FAMILY"})
ENTITY_PREFIXES = ("NAME", "LOCATION", "ORGANIZATION")
# lower-case words that belong inside names ("Leonardo da Vinci", "al-Assad")
NAME_PARTICLES = frozenset(
    {"de", "da", "di", "du", "des", "del", "della", "van", "von", "der", "den", "ter", "ten", "le", "la", "al", "el",
     "bin", "ibn", "bint", "dos", "das", "zu", "af", "y"}
)
ARTICLES = frozenset({"A", "An"})
DIRECTIONS = frozenset(
    {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Northeastern",
     "Northwestern", "Southeastern", "Southwestern", "Upper", "Lower"}
)
# titles before a person's name that are not part of it
TITLES = frozenset(
    {"King", "Queen", "Prince", "Princess", "Emperor", "Empress", "Pope", "Tsar", "Czar", "Tsarina", "Sultan",
     "Shah", "Pharaoh", "Duke", "Duchess", "Archduke", "Lord", "Lady", "Sir", "Dame", "President", "Senator",
     "General", "Colonel", "Captain", "Admiral", "Bishop", "Archbishop", "Cardinal", "Father", "Brother", "Sister",
     "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Saint", "St.", "Fellow"}
)
ROMAN_AFTER = re.compile(r"[ \t]+(?:[IVX]{1,5})\b(?![\w'’-])")
SPORTS = re.compile(
    r"\b(?:signed|loan|transfer|debut|goals?|scored|scoring|match|draw|relegated|relegation|promoted|promotion|league|"
    r"season|club|striker|midfielder|defender|goalkeeper|winger|manager|coach(?:ed|ing)?|cup|squad|appearances|"
    r"friendly|derby|semi-final|playoffs?|championship|fixture|kick-off|title|innings|wickets?|runs)\b",
    re.I,
)
PLACE_CUE = re.compile(r"(?i)\b(?:in|born|near|of|to|across|throughout|outside|around|towns?|city|cities)[ \t]+$")
ORG_WORDS = re.compile(
    r"\b(?:FC|F\.C\.|AFC|SC|United|City|Club|Party|University|College|Institute|School|Academy|Company|Corporation|"
    r"Corp|Inc|Ltd|Records|Network|Airlines|Bank|Association|Society|Council|Committee|League|Federation|Union|"
    r"Church|Army|Navy|Orchestra|Band|Group|Studios|Entertainment|Press|Times|News|Agency|Ministry|Department|"
    r"Foundation|Trust|Museum|Gallery|Team|Racing|Motors|Industries|International|Records|Brothers|Sons)\b"
)
EXP: dict[str, object] = {}
EDGE = " \t\n\r.,;:!?\"'()[]{}<>“”‘’"


def _entity(span: Span) -> bool:
    return span.label.startswith(ENTITY_PREFIXES)


def refine(text: str, spans: list[Span]) -> list[Span]:
    """The spans of one English text, adjusted for prose (see the module docstring)."""
    out: list[Span] = []
    for span in spans:
        if not _entity(span):
            out.append(span)
            continue
        if span.source == "hint" and _weak_hint(text, span):
            continue
        if span.source in ("ner", "context"):
            _trim(text, span)
            if span.label.startswith("LOCATION"):
                _compass(text, span)
            elif span.label in NAME_LABELS:
                _titles(text, span)
        if span.end > span.start:
            out.append(span)
    sports = SPORTS.search(text) is not None
    for span in out:
        if _entity(span) and span.source in ("ner", "context"):
            _retype(text, span, sports)
    return out


def _names() -> tuple[frozenset[str], frozenset[str]]:
    from veil.text.gazetteer import person_names
    from veil.text.multilingual.gazetteers import family_names, given_names

    g, f = person_names()
    return g | given_names(), f | family_names()


def _place(value: str) -> str | None:
    from veil.text.multilingual.gazetteers import place_type

    return place_type(value)


def _retype(text: str, span: Span, sports: bool) -> None:
    value = text[span.start : span.end]
    words = value.split()
    given, family = _names()
    if span.label in NAME_LABELS:
        place = _place(value)
        if EXP.get("per2loc", True) and place is not None and value not in given and value not in family and not (len(words) > 1 and words[0] in given):
            _relabel(span, place)
    elif span.label.startswith("ORGANIZATION"):
        if (
            EXP.get("org2per", True)
            and 2 <= len(words) <= 3
            and all(w[0].isupper() and w.isalpha() or "-" in w for w in words)
            and not ORG_WORDS.search(value)
            and _place(value) is None
            and (words[0].split("-")[0] in given or words[-1] in family)
            and _place(words[-1]) is None
        ):
            _relabel(span, "NAME")
    if EXP.get("sports", True) and sports and (span.label in ("LOCATION_CITY", "LOCATION_STATE", "LOCATION") or span.label in NAME_LABELS) and _place(value) in ("LOCATION_CITY", "LOCATION_STATE") and value not in given:
        if not PLACE_CUE.search(text, max(0, span.start - 12), span.start):
            _relabel(span, "ORGANIZATION")


def _relabel(span: Span, label: str) -> None:
    span.label = label
    span.labels = {}


def _weak_hint(text: str, span: Span) -> bool:
    mode = EXP.get("hint_mode", "name1")
    if mode == "all":
        return True
    if mode == "none":
        return False
    if mode == "name1":
        return span.label in NAME_LABELS and " " not in text[span.start : span.end]
    if mode == "name":
        return span.label in NAME_LABELS
    if mode == "nameorg1":
        return not span.label.startswith("LOCATION") and " " not in text[span.start : span.end]
    return False


def _trim(text: str, span: Span) -> None:
    while span.start < span.end and text[span.start] in EDGE:
        span.start += 1
    while span.end > span.start and text[span.end - 1] in " \t\n\r,;:!?\"'([{<“‘":
        span.end -= 1
    while True:
        value = text[span.start : span.end]
        first, sep, rest = value.partition(" ")
        if not sep or not rest.strip():
            return
        if (first.islower() and first not in NAME_PARTICLES) or first in ARTICLES:
            span.start += len(first) + 1
            while span.start < span.end and text[span.start] == " ":
                span.start += 1
            continue
        return


def _compass(text: str, span: Span) -> None:
    """"North America": the engine's rule cuts a compass word off a place the model read whole."""
    before = text[max(0, span.start - 14) : span.start]
    m = re.search(r"(?:^|(?<=[\s(\"“]))([A-Z][a-z]+)[ \t]$", before)
    if m is not None and m.group(1) in DIRECTIONS:
        span.start -= len(m.group(1)) + 1
        span.labels = {}


def _titles(text: str, span: Span) -> None:
    words = text[span.start : span.end].split(" ")
    cut = 0
    while len(words) - cut > 1 and words[cut] in TITLES:
        cut += 1
    if cut:
        span.start += len(" ".join(words[:cut])) + 1
    m = ROMAN_AFTER.match(text, span.end)
    if m is not None:
        span.end = m.end()
