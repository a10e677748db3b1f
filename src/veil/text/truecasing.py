"""Truecasing of all-lowercase text (chat, transcripts) before the statistical model reads it."""

from __future__ import annotations

import re

from veil.text.gazetteer import (
    english_zipf,
    person_names,
    rare_word,
)

TRUECASE_WORD = re.compile(r"(?<![\w@./'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w@/]|\.\w)")


SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|\"\s*)$")


NAME_ZIPF = 4.0  # a known given or family name at most this frequent is read as a name


def truecase(text: str) -> str:
    """An all-lowercase text with sentence starts, rare words and known names capitalised, so a
    model trained on edited text can read its names ("eva kleist lives at ..."). Same length and
    offsets as the input; texts with any capital letter are returned as they are."""
    if any(ch.isupper() for ch in text):
        return text
    given, family = person_names()
    chars = list(text)
    words = list(TRUECASE_WORD.finditer(text))
    caps: list[bool] = []
    for m in words:
        w = m.group()
        title = w[:1].upper() + w[1:]
        z = english_zipf(w)
        cap = (
            (len(w) > 2 and rare_word(w))
            or (len(w) > 2 and z < NAME_ZIPF and (title in given or title in family))
            or SENTENCE_START.search(text, max(0, m.start() - 3), m.start()) is not None
        )
        caps.append(cap)
    for k, m in enumerate(words):
        w = m.group()
        # a one-letter initial between two name words ("emidio p lombardo")
        if len(w) == 1 and 0 < k < len(words) - 1 and caps[k - 1] and caps[k + 1]:
            caps[k] = True
        # a known given name right before a capitalised name word ("tom hanks"), and "i"
        if (k + 1 < len(words) and caps[k + 1] and w[:1].upper() + w[1:] in given
                and text[m.end() : words[k + 1].start()] == " "):
            caps[k] = True
        if w == "i":
            caps[k] = True
        if caps[k]:
            first = w[0].upper()
            if len(first) == 1:
                chars[m.start()] = first
    return "".join(chars)
