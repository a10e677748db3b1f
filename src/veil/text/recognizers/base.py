"""Shared pieces of the rule recognizers: the recognizer record and context cues.

Every recognizer, declarative (an entry of ``veil/text/data/recognizers.yaml`` or a user's
spec, built by :func:`veil.text.registry.build_recognizer`) or written in code (a function
decorated with :func:`recognizer`), is one :class:`Recognizer`, held per language by a
:class:`veil.text.registry.RecognizerRegistry`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from veil.text.spans import Span

Finder = Callable[[str], Iterable[Span]]


ENGLISH = frozenset({"en"})
# Every language of the engine (veil.text.multilingual.langid.LANGUAGES): for recognizers of
# formats that do not depend on the language (e-mail, IBAN, card numbers, IP addresses).
ALL_LANGUAGES = frozenset({"en", "fr", "es", "it", "de", "pt", "ko"})


@dataclass(frozen=True)
class Recognizer:
    """A recognizer: the entity types it can emit, the languages it reads, and the function
    that finds them. Declarative recognizers also keep what they were built from: their
    patterns (regex, score), context words and validator name (empty for code recognizers)."""

    name: str
    labels: frozenset[str]
    find: Finder
    languages: frozenset[str] = ENGLISH
    patterns: tuple[tuple[str, float], ...] = ()
    context: tuple[str, ...] = ()
    validator: str | None = None


def recognizer(
    name: str, *labels: str, languages: frozenset[str] = ENGLISH, context: tuple[str, ...] = ()
) -> Callable[[Finder], Recognizer]:
    """Register a function ``text -> spans`` as a code recognizer."""

    def wrap(fn: Finder) -> Recognizer:
        return Recognizer(name, frozenset(labels), fn, languages=languages, context=context)

    return wrap


DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """``any(ch.isdigit() for ch in text)`` without a Python loop over most texts: ``\\d``
    (Unicode decimal digits) is a subset of ``str.isdigit``, which differs from it only outside
    ASCII (superscripts, circled digits), so only a non-ASCII text without a decimal digit is
    read character by character. Most recognizers of numbers start with this prefilter."""
    return DIGIT.search(text) is not None or (not text.isascii() and any(ch.isdigit() for ch in text))


def cue_before(text: str, start: int, cue: re.Pattern[str], window: int = 60) -> bool:
    """True when ``cue`` occurs in the ``window`` characters before ``start``."""
    return cue.search(text, max(0, start - window), start) is not None


def cue_near(text: str, start: int, end: int, cue: re.Pattern[str], window: int = 60) -> bool:
    """True when ``cue`` occurs within ``window`` characters on either side of the span."""
    return (
        cue.search(text, max(0, start - window), start) is not None
        or cue.search(text, end, min(len(text), end + window)) is not None
    )


def values_after_cues(
    text: str, cue: re.Pattern[str], value: re.Pattern[str], window: int = 40
) -> Iterable[re.Match[str]]:
    """Each match of ``value`` starting within ``window`` characters after a match of ``cue``."""
    pos = 0
    while True:
        c = cue.search(text, pos)
        if c is None:
            return
        m = value.search(text, c.end(), min(len(text), c.end() + window + 60))
        if m is not None and m.start() - c.end() <= window:
            yield m
            pos = max(m.end(), c.end())
        else:
            pos = c.end()


def digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())
