"""Span edges: a detected value never starts or ends with whitespace or with punctuation that
belongs to the sentence around it ("call 555-0100." -> "555-0100", "(Anna Lee)" -> "Anna Lee").

Kept at the end: a period that ends an abbreviation or an initial ("Main St.", "Jane Q."),
a closing bracket or quote whose opening one is inside the span ("Acme (UK)"), anything of a
password (its last character may well be "!"), and the caller's block-list matches as they
are (their pattern says exactly what to mask).
"""

from __future__ import annotations

import re

from veil.text.spans import Span

TRAILING = ",;:!?"
OPENING_CLOSING = {")": "(", "]": "[", "}": "{", "”": "“", "’": "‘", "»": "«"}
QUOTES = "\"'"
LEADING = "([{“‘«\"'"
PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»"}
ABBREVIATION = re.compile(
    r"(?i)(?:^|[\s.-])(?:st|ave|rd|blvd|dr|ln|ct|pl|sq|hwy|pkwy|apt|ste|no|jr|sr|mr|mrs|ms|prof|inc|ltd|co|corp|"
    r"llc|plc|gmbh|bros|dept|univ|ft|mt|[a-z])\.$"
)
KEEP_AS_FOUND = frozenset({"PASSWORD", "block_list"})


def trim_edges(text: str, span: Span) -> Span | None:
    """``span`` with its edges trimmed (in place), or None when nothing is left."""
    start, end = max(0, span.start), min(len(text), span.end)
    keep = span.label in KEEP_AS_FOUND or span.source in KEEP_AS_FOUND
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if keep or start >= end:
            break
        last = text[end - 1]
        value = text[start:end]
        first = text[start]
        if end - start > 2 and first in LEADING and last == PAIRS.get(first, first):
            inner = value[1:-1]
            if first not in inner and last not in inner:
                start, end = start + 1, end - 1  # wrapped whole: "(Anna Lee)", '"Bob"'
                continue
        if last in TRAILING or (last == "." and end - start > 1 and not ABBREVIATION.search(value)):
            end -= 1
            continue
        if last in OPENING_CLOSING and OPENING_CLOSING[last] not in value[:-1]:
            end -= 1
            continue
        if last in QUOTES and value.count(last) % 2 == 1 and not (last == "'" and value[-2:-1].isalpha()):
            end -= 1
            continue
        if first in LEADING and end - start > 1 and PAIRS.get(first, first) not in value[1:]:
            start += 1
            continue
        break
    if start >= end:
        return None
    if (start, end) != (span.start, span.end) and span.parts:
        span.parts = tuple(
            (max(a, start), min(b, end), label) for a, b, label in span.parts if min(b, end) > max(a, start)
        )
    span.start, span.end = start, end
    return span
