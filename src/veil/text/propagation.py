"""Propagation: every other mention of a recognised name, place or organisation is masked too.

A text (or a linked batch, which the engine joins into one text) that names "John" once
usually names him again, and the later mentions are often where a model misses him: in
capitals ("JOHN"), in lowercase chat ("john"), at a sentence start. So the surfaces of the
people, places, organisations and origins found are searched again, case-insensitively,
as whole words.

A different-case mention is only taken when it cannot be an everyday word: "Will" may be a
name, but "will" in lowercase prose is a verb. A variant in another case is accepted when
it is the capitalised form ("John" for a found "JOHN" or "john": capitals are how names are
written), or when not every word of it is an everyday word (:func:`everyday_word`: a stop or
common word, an inflected frequent word, a word as frequent as "will"; for people also a
frequent word no name list knows, or an ambiguous given name such as "Mark"). So "john" and
"JOHN" follow a found "John", "london" follows "London", "will" does not follow "Will".
A lowercase mention found in lowercase text is propagated to its other lowercase mentions
under the same test, without the ambiguous-name clause.

Propagated spans have the "propagated" source (above the model, below every rule) at 0.95
of the original score: the model's other reading of the same characters ("INGRID" as an
organisation) loses, any rule on them still wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

from veil.text.entities import chain
from veil.text.gazetteer import AMBIGUOUS_GIVEN, english_zipf, person_names, rare_word
from veil.text.spans import Span

PROPAGATED = ("NAME", "LOCATION", "ORGANIZATION", "ORIGIN")
# greetings of the seven languages that a model may read as part of the name after them
GREETING_PREFIX = re.compile(
    r"(?i)(?:hi|hello|hey|hiya|dear|thanks|thank\s+you|cheers|bye|good\s+(?:morning|afternoon|evening)|"
    r"hallo|servus|moin|guten\s+(?:morgen|tag|abend)|liebe[rs]?|sehr\s+geehrte[rs]?|bonjour|bonsoir|salut|"
    r"chère|hola|buen[oa]s\s+(?:d[íi]as|tardes|noches)|querid[oa]|estimad[oa]|ciao|salve|buongiorno|"
    r"buonasera|gentile|ol[áa]|oi|bom\s+dia|boa\s+(?:tarde|noite)|prezad[oa])[ \t]*,?[ \t]+"
)
MIN_LENGTH = 3
# A known name this frequent in English is an everyday word as well ("will" 6.5, "may" 6.0);
# "john" is 5.4, "peter" 4.9.
NAME_WORD_ZIPF = 5.5
SCORE_FACTOR = 0.95
WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _common_lower() -> frozenset[str]:
    """Words written in lowercase in running English: spaCy's stop words and Faker's list of
    common English words ("will", "may", "bill", "hope", "young")."""
    from faker.providers.lorem.en_US import Provider as LoremProvider
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in (*STOP_WORDS, *LoremProvider.word_list))


EVERYDAY_ENDING = re.compile(r"(?:ing|ed|ly)$")


def everyday_word(word: str, *, person: bool, strict: bool) -> bool:
    """Whether a lowercase ``word`` may be an everyday English word rather than the entity.

    Everyday: a stop word or common word, a frequent word with an inflection ending
    ("reading"), any word at least as frequent as "will"; for a person also a frequent word
    that no name list knows and, when ``strict`` (the found mention was capitalised
    differently), a given name of the ambiguous list ("Mark", "Grace").
    """
    w = word.lower()
    if w in _common_lower():
        return True
    if rare_word(w):
        return False
    if EVERYDAY_ENDING.search(w) or english_zipf(w) >= NAME_WORD_ZIPF:
        return True
    if not person:
        return False
    title = w[:1].upper() + w[1:]
    given, family = person_names()
    if title not in given and title not in family:
        return True
    return strict and title in AMBIGUOUS_GIVEN


def _variant_ok(found: str, occurrence: str, person: bool) -> bool:
    """Whether ``occurrence`` (same letters as ``found`` up to case) is another mention of it."""
    words = WORD.findall(occurrence)
    if not words:
        return False
    if occurrence == found:
        if any(c.isupper() for c in found):
            return True
        # a lowercase mention found in lowercase text: the same everyday-word test, relaxed
        return not all(everyday_word(w, person=person, strict=False) for w in words)
    if all(w[:1].isupper() and w[1:].islower() for w in words):
        return True  # the capitalised form
    return not all(everyday_word(w, person=person, strict=True) for w in words)


def _surfaces(text: str, spans: list[Span]) -> dict[str, tuple[str, str, float]]:
    """casefolded surface -> (surface as found, label, score), first mention first."""
    out: dict[str, tuple[str, str, float]] = {}
    for s in spans:
        if s.source == "hint" or not any(label in PROPAGATED for label in chain(s.label)):
            continue
        value = text[s.start : s.end]
        if len(value) >= MIN_LENGTH and any(c.isalpha() for c in value):
            out.setdefault(value.lower(), (value, s.label, s.score))
        if s.label == "NAME" and " " in value.strip():
            for word in value.split():
                word = word.strip(".,")
                if len(word) >= MIN_LENGTH and word[0].isupper():
                    out.setdefault(word.lower(), (word, "NAME", s.score))
    return out


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-")


def trim_greetings(text: str, spans: list[Span]) -> None:
    """Drop a leading greeting from person spans, in place: a model reads "Hello Peter" as one
    person, but the name is "Peter" (and "Hello Peter" must not be spread as a surface)."""
    for s in spans:
        if not s.label.startswith("NAME") or s.length < 4:
            continue
        m = GREETING_PREFIX.match(text, s.start, s.end)
        if m is not None and m.end() < s.end:
            s.start = m.end()
            s.parts = tuple(p for p in s.parts if p[0] >= s.start)


def propagate(text: str, spans: list[Span]) -> list[Span]:
    """Spans for the other mentions (any case, whole words) of the names, places,
    organisations and origins among ``spans``; see the module docstring for which variants
    of a mention are taken. Person spans are first cleaned of a leading greeting
    (:func:`trim_greetings`, in place), so only the name is spread."""
    trim_greetings(text, spans)
    surfaces = _surfaces(text, spans)
    if not surfaces:
        return []
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    out: list[Span] = []
    for key, (found, label, score) in surfaces.items():
        person = "NAME" in chain(label)
        if same_length:
            positions = _find_all(lowered, key)
        else:  # a character whose lowercase is longer (İ): fall back to a case-blind regex
            positions = [m.start() for m in re.finditer(re.escape(found), text, re.IGNORECASE)]
        for pos in positions:
            end = pos + len(found)
            if not _bounded(text, pos, end) or not _variant_ok(found, text[pos:end], person):
                continue
            out.append(Span(pos, end, label, round(score * SCORE_FACTOR, 4), "propagated"))
    return out


def _find_all(haystack: str, needle: str) -> list[int]:
    out = []
    pos = haystack.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = haystack.find(needle, pos + 1)
    return out
