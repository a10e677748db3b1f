"""Shared pieces of the rule recognizers: the recognizer record and context cues."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from veil.text.spans import Span

Finder = Callable[[str], Iterable[Span]]


@dataclass(frozen=True)
class Recognizer:
    """A rule recognizer: the labels it can emit and the function that finds them."""

    name: str
    labels: frozenset[str]
    find: Finder


def recognizer(name: str, *labels: str) -> Callable[[Finder], Recognizer]:
    def wrap(fn: Finder) -> Recognizer:
        return Recognizer(name, frozenset(labels), fn)

    return wrap


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
