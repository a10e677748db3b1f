"""Driver's licence numbers by their shape: a letter (or two) then digit groups joined by
hyphens, as several US states print them ("D245-938-19-203", "S530-4607-8812",
"A-123-456-789-012"), and any licence-like value right after a licence cue.

With a licence cue ("licence", "license", "DL", "lic. no.") within ``CUE_WINDOW`` characters
before it, the value is a ``DRIVER_LICENSE``; without one, a hyphenated letter-and-digits
shape is still an identifier and is masked as ``NUMERICAL_PII``. So is a code of capitals and
digits with characters blanked by ``*`` ("AA1B2**9ABA7", "A*1234AB*CD9": an identifier someone
partly masked still identifies), anywhere in a text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import cue_before, recognizer
from veil.text.spans import Span

CUE_WINDOW = 40
SHAPE = re.compile(r"(?<![\w-])[A-Z]{1,2}-?\d{2,4}(?:-\d{2,4}){2,4}(?![\w-]|-\w)")
CUE = re.compile(
    r"(?i)\b(?:driv(?:er|ers|er's|er’s|ing)\s+licen[cs]es?|licen[cs]e|lic\.?\s*(?:no\.?|#|number)|dl|d/l|cdl)\b"
)
AFTER_CUE = re.compile(
    r"(?i)\b(?:driv(?:er|ers|er's|er’s|ing)\s+licen[cs]e|licen[cs]e|dl|cdl)\s*(?:number|no\.?|num|#|id)?\s*"
    r"(?:is|was|:|#|=)?\s*(?P<value>(?=[A-Z0-9*-]*\d)(?=(?:[A-Z*-]*\d){3})[A-Z0-9][A-Z0-9*-]{4,18}[A-Z0-9])(?![\w*-])"
)

# Capitals and digits with a "*" inside, at least one letter and three digits, 8-20 characters.
MASKED = re.compile(
    r"(?<![\w*-])(?=[A-Z0-9]+\*)(?=[A-Z0-9*]*[A-Z])(?=(?:[A-Z*]*\d){3})[A-Z0-9][A-Z0-9*]{6,18}[A-Z0-9](?![\w*-])"
)


@recognizer("licence_shape", "DRIVER_LICENSE", "NUMERICAL_PII")
def find_licences(text: str) -> Iterator[Span]:
    if "-" in text:
        for m in SHAPE.finditer(text):
            if sum(ch.isdigit() for ch in m.group()) < 7:
                continue
            if cue_before(text, m.start(), CUE, CUE_WINDOW):
                yield Span(m.start(), m.end(), "DRIVER_LICENSE", 0.85, "context")
            else:
                yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.5, "pattern")
    after_cue: set[tuple[int, int]] = set()
    for m in AFTER_CUE.finditer(text):
        after_cue.add(m.span("value"))
        yield Span(m.start("value"), m.end("value"), "DRIVER_LICENSE", 0.85, "context")
    if "*" in text:
        for m in MASKED.finditer(text):
            if m.span() not in after_cue:
                yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.6, "pattern")
