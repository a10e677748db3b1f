"""Card-shaped numbers that fail their checksum: still masked, as ``NUMERICAL_PII``.

A 16-digit number written in card groups that fails Luhn is a mistyped card, a card of a
scheme without a checksum, an account or a loyalty number: whichever it is, leaving it in
the text leaks more than masking it costs. It is never reported as ``CREDIT_CARD`` (the type
promises a Luhn-valid number); a Luhn-valid one is found by
:mod:`veil.text.recognizers.financial`, which ranks above this recognizer on the same
characters (``validated`` over ``pattern``).

Shapes: 12-19 digits in groups of four (the last group 1-7 digits), the 4-6-5 / 4-6-4 of
American Express and Diners, or a run of 13-19 digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import ALL_LANGUAGES, digits, recognizer
from veil.text.spans import Span

LABEL = "NUMERICAL_PII"
CARD_GROUPS = re.compile(
    r"(?<![\w+.,/-])(?:\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w/-]|[.,]\d)"
)
DIGIT_RUN = re.compile(r"(?<![\w+.,/-])\d{13,19}(?![\w/-]|[.,]\d)")


@recognizer("card_lookalike", LABEL, languages=ALL_LANGUAGES)
def find_card_lookalikes(text: str) -> Iterator[Span]:
    if not any(ch.isdigit() for ch in text):
        return
    for pattern in (CARD_GROUPS, DIGIT_RUN):
        for m in pattern.finditer(text):
            number = digits(m.group())
            if 12 <= len(number) <= 19 and len(set(number)) > 1:
                yield Span(m.start(), m.end(), LABEL, 0.5, "pattern")
