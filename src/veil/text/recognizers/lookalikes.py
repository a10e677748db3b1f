"""Card- and IBAN-shaped numbers that fail their checksum: still masked.

A 16-digit number written in card groups that fails Luhn is a mistyped card, a card of a
scheme without a checksum, an account or a loyalty number: whichever it is, leaving it in
the text leaks more than masking it costs. It is never reported as ``CREDIT_CARD`` (the type
promises a Luhn-valid number); a Luhn-valid one is found by
:mod:`veil.text.recognizers.financial`, which ranks above this recognizer on the same
characters (``validated`` over ``pattern``).

An IBAN-shaped value that fails python-stdnum's check is ``BANK_ACCOUNT`` when the
international mod-97 check passes (only a national BBAN check failed), else ``NUMERICAL_PII``.

Card shapes: 12-19 digits in groups of four (the last group 1-7 digits), the 4-6-5 / 4-6-4 of
American Express and Diners, or a run of 13-19 digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from veil.text.recognizers.base import ALL_LANGUAGES, digits, has_digit, recognizer
from veil.text.spans import Span

LABEL = "NUMERICAL_PII"
CARD_GROUPS = re.compile(
    r"(?<![\w+.,/-])(?:\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w/-]|[.,]\d)"
)
DIGIT_RUN = re.compile(r"(?<![\w+.,/-])\d{13,19}(?![\w/-]|[.,]\d)")


IBAN_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}(?![A-Za-z0-9])")


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def _mod97(value: str) -> bool:
    """ISO 7064 mod 97-10 over the rearranged IBAN (the international check, without the
    national BBAN checks python-stdnum adds for some countries)."""
    compact = value.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1
    except ValueError:
        return False


@recognizer("iban_lookalike", "BANK_ACCOUNT", LABEL, languages=ALL_LANGUAGES)
def find_iban_lookalikes(text: str) -> Iterator[Span]:
    """An IBAN-shaped value (known country letters, two check digits, 10-30 more) that fails
    python-stdnum's full check: ``BANK_ACCOUNT`` if the international mod-97 check passes
    (only a national check failed), else ``NUMERICAL_PII``."""
    from stdnum import iban

    for m in IBAN_SHAPE.finditer(text):
        value = m.group().rstrip()
        if value[:2] not in _countries() or iban.is_valid(value):
            continue  # not an IBAN country, or the IBAN recognizer's
        if _mod97(value):
            yield Span(m.start(), m.start() + len(value), "BANK_ACCOUNT", 0.8, "validated")
        elif sum(ch.isdigit() for ch in value) >= 10:
            yield Span(m.start(), m.start() + len(value), LABEL, 0.5, "pattern")


PARTIAL = re.compile(
    r"(?i)\b(?:last\s+(?:three|four|five|six|3|4|5|6)(?:\s+digits)?(?:\s+(?:of|on)\s+(?:the|your|my|his|her)?\s*\w+)?"
    r"|ending(?:\s+(?:in|with))?|ends\s+(?:in|with))[\s:#-]*(?:is\s+|are\s+)?(?P<value>\d{3,6})(?![\w-])"
)


ID_WORD = re.compile(r"(?i)\b(?:card|visa|master\s?card|amex|account|acct|number|no\.|social|ssn|phone|iban|policy)\b")


@recognizer("partial_number", LABEL, languages=ALL_LANGUAGES)
def find_partial_numbers(text: str) -> Iterator[Span]:
    """The last digits of a card, account or social ("card ending in 4242", "last four: 0183"):
    a partial identifier, masked as ``NUMERICAL_PII``."""
    if not has_digit(text):
        return
    for m in PARTIAL.finditer(text):
        if m.group().lower().startswith("end") and ID_WORD.search(text, max(0, m.start() - 30), m.start()) is None:
            continue  # "the week ending 2024": "ending" needs a card or account word before it
        yield Span(m.start("value"), m.end("value"), LABEL, 0.6, "context")


@recognizer("card_lookalike", LABEL, languages=ALL_LANGUAGES)
def find_card_lookalikes(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return
    for pattern in (CARD_GROUPS, DIGIT_RUN):
        for m in pattern.finditer(text):
            number = digits(m.group())
            if 12 <= len(number) <= 19 and len(set(number)) > 1:
                yield Span(m.start(), m.end(), LABEL, 0.5, "pattern")
