"""The generic context enhancer: a recognizer's score goes up when one of its context words
is written near the match.

This is the idea of Presidio's ``LemmaContextAwareEnhancer`` made simple and fast: instead
of lemmatising the sentence, each recognizer's context words are compiled once into one
case-insensitive pattern that also accepts a plural or possessive ending ("card" matches
"cards", "card's"), and that pattern is searched in a window of characters before the
match (``before``) and after it (``after``), on the match's line (and the line above when
the match opens its line, as in a form whose value sits under its label).

A match with a context word nearby gets ``score + CONTEXT_BOOST`` (at least
``MIN_SCORE_WITH_CONTEXT``, at most 1). A recognizer whose pattern score is below its
``min_score`` therefore needs a context word for its matches to be kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4
CONTEXT_BEFORE = 50
CONTEXT_AFTER = 25


def _word_pattern(word: str) -> str:
    parts = [re.escape(p) for p in word.split()]
    body = r"[\s_-]+".join(parts)
    if word[-1:].isalpha():
        body += r"(?:e?s|['’]s)?"
    head = r"(?<![^\W_])" if word[:1].isalnum() else ""
    tail = r"(?![^\W_])" if word[-1:].isalnum() or word[-1:].isalpha() else ""
    return head + body + tail


class ContextWords:
    """The context words of one recognizer, compiled into one pattern."""

    def __init__(self, words: Sequence[str], before: int = CONTEXT_BEFORE, after: int = CONTEXT_AFTER) -> None:
        self.words = tuple(w.strip() for w in words if w.strip())
        self.before = before
        self.after = after
        self.pattern: re.Pattern[str] | None = None
        # the first word of each entry, lowercased: a cheap test that a text can hold any
        self.keys = tuple(sorted({w.split()[0].casefold() for w in self.words}))
        if self.words:
            alternatives = sorted({_word_pattern(w.casefold()) for w in self.words}, key=len, reverse=True)
            self.pattern = re.compile("|".join(alternatives), re.IGNORECASE)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def anywhere(self, text: str) -> bool:
        """Whether a context word occurs anywhere in ``text`` (substring tests first: fast)."""
        if self.pattern is None:
            return False
        lowered = _casefolded(text)
        return any(k in lowered for k in self.keys) and self.pattern.search(text) is not None

    def near(self, text: str, start: int, end: int) -> bool:
        """Whether a context word is written within the window around ``text[start:end]``."""
        if self.pattern is None:
            return False
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip() and line_start > 0:
            line_start = text.rfind("\n", 0, line_start - 1) + 1  # a value under its label
        lo = max(line_start, start - self.before)
        if self.pattern.search(text, lo, start) is not None:
            return True
        line_end = text.find("\n", end)
        hi = min(len(text) if line_end < 0 else line_end, end + self.after)
        return self.pattern.search(text, end, hi) is not None


@lru_cache(maxsize=4)
def _casefolded(text: str) -> str:
    """``text.casefold()``, once per text for all the recognizers that test it in turn."""
    return text.casefold()


def enhance(score: float, has_context: bool) -> float:
    """The score of a match, raised when a context word is near it."""
    if not has_context:
        return score
    return round(min(1.0, max(score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT)), 4)
