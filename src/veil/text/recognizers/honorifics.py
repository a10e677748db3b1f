"""``TITLE``: an honorific or courtesy title written before a name ("Mrs. Okafor", "Dr Lee",
"Prof. Ana Ruiz", "Sir Walter"). It tells the person's gender, marital status or profession,
so it is masked with the name, as its own span: the name keeps its own offsets.

Only a title followed by a name-like word counts ("Dr." then a capitalised word; in an
all-lowercase text, any word), and a street type written after a house number and a street
name ("12 Elm Dr. Springfield") is not a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

# dotted abbreviations, and the forms written without a dot (whole words)
_DOTTED = r"Mrs|Mr|Ms|Mx|Dr|Prof|Rev|Hon|Capt|Sgt|Mme|Mlle|Messrs"
_WORDS = r"Mrs|Mr|Ms|Mx|Dr|Prof|Miss|Sir|Dame|Madam|Madame|Mister"
NAME_START = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]|[A-Z]\.|[A-Z][A-Z]"
# a pronoun or article after it is no name ("I Miss You", "Sir, And Then")
NOT_A_NAME = r"(?:You|Me|Him|Her|Them|Us|It|The|A|An|This|That|And|Or|Is|Was)(?![\w'’])"
HONORIFIC = re.compile(
    rf"(?<![\w.])(?:(?:{_DOTTED})\.|(?:{_WORDS})(?![\w.]))(?=[ \t]+(?!{NOT_A_NAME})(?:{NAME_START}))"
)
# in lowercase text, only the dotted forms and the words that are nothing else ("i miss you")
LOWER_HONORIFIC = re.compile(
    rf"(?<![\w.])(?:(?:{_DOTTED.lower()})\.|(?:mrs|mr|ms|mx)(?![\w.]))(?=[ \t]+[a-zß-öø-ÿā-ž]{{2}})"
)
# "<house number> <Street Name> Dr." : the street type, not a title
STREET_BEFORE = re.compile(r"\d+[A-Za-z]?[ \t]+(?:[A-ZÀ-Þ][\w'’-]*[ \t]+){1,3}$")
STREET_TYPES = frozenset({"Dr", "Dr."})


TRIGGERS = frozenset(w.lower() for w in f"{_DOTTED}|{_WORDS}".split("|"))


@recognizer("honorifics", "TITLE")
def find_honorifics(text: str) -> Iterator[Span]:
    if lowercase_words(text).isdisjoint(TRIGGERS):
        return
    lowercase = not any(ch.isupper() for ch in text)
    pattern = LOWER_HONORIFIC if lowercase else HONORIFIC
    for m in pattern.finditer(text):
        if m.group().capitalize() in STREET_TYPES and STREET_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield Span(m.start(), m.end(), "TITLE", 0.85, "pattern")
