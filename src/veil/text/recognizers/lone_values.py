"""A text that is nothing but one identifier-shaped value: a form field or a table cell
("078051121", "G92341666", "3123:4567:8909"). Without a sentence there is no cue, but a lone
value of that shape is an identifier far more often than not, so it is masked: as the type
a validator recognises, else as ``NUMERICAL_PII``.

Shape: 6-40 characters of letters, digits and single separators (space, ``-``, ``.``,
``:``, ``/``) with at least five digits, or at least four digits and two letters. Typing,
on the digits: ABA routing checksum (9 digits) -> ``ROUTING_NUMBER``; a valid ITIN, or a
valid SSN written plain or 3-2-4 with one separator (9 digits) -> ``SSN``; NHS mod 11
(10 digits) -> ``HEALTHCARE_NUMBER``; Aadhaar Verhoeff
(12 digits, first 2-9) -> ``SSN``; a Spanish DNI with its leading zero dropped -> ``SSN``;
a Luhn-valid 13-19 digits -> ``CREDIT_CARD``. The other recognizers still run: one that types
the value more precisely wins on the same characters (``validated`` over ``pattern``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn
from stdnum.es import dni
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.us import itin, rtn, ssn

from veil.text.recognizers.base import ALL_LANGUAGES, digits, recognizer
from veil.text.spans import Span

LONE = re.compile(r"[A-Za-z0-9]+(?:[ .:/-][A-Za-z0-9]+)*")
PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")  # an amount or a measure, not an identifier
MAX_LENGTH = 40
SSN_FORM = re.compile(r"\d{9}|\d{3}([- ])\d{2}\1\d{4}")  # "693-09.4444" is no SSN as written


def _typed(value: str) -> tuple[str, str]:
    d = digits(value)
    letters = sum(ch.isalpha() for ch in value)
    if letters == 0:
        if len(d) == 9 and rtn.is_valid(d):
            return "ROUTING_NUMBER", "validated"
        if len(d) == 9 and (itin.is_valid(d) or (ssn.is_valid(d) and SSN_FORM.fullmatch(value))):
            return "SSN", "validated"
        if len(d) == 10 and nhs.is_valid(d):
            return "HEALTHCARE_NUMBER", "validated"
        if len(d) == 12 and d[0] in "23456789" and aadhaar.is_valid(d):
            return "SSN", "validated"
        if 13 <= len(d) <= 19 and luhn.is_valid(d):
            return "CREDIT_CARD", "validated"
    elif letters == 1 and value[-1].isalpha() and len(d) == 7 and dni.is_valid("0" + d + value[-1].upper()):
        return "SSN", "validated"
    return "NUMERICAL_PII", "pattern"


@recognizer("lone_value", "ROUTING_NUMBER", "SSN", "HEALTHCARE_NUMBER", "CREDIT_CARD", "NUMERICAL_PII", languages=ALL_LANGUAGES)
def find_lone_values(text: str) -> Iterator[Span]:
    if len(text) > MAX_LENGTH + 10:
        return
    stripped = text.strip()
    if not 6 <= len(stripped) <= MAX_LENGTH or LONE.fullmatch(stripped) is None:
        return
    if PLAIN_NUMBER.fullmatch(stripped) and not stripped.isdigit():
        return
    n_digits = sum(ch.isdigit() for ch in stripped)
    n_letters = sum(ch.isalpha() for ch in stripped)
    if n_digits < 5 and not (n_digits >= 4 and n_letters >= 2):
        return
    if n_letters > n_digits and " " in stripped:
        return  # words with a number in them, not a code
    if any(len(word) >= 3 and word.isalpha() for word in stripped.split(" ")):
        return  # "card 4111 ... on file": a phrase around a value, which the other recognizers type
    start = text.index(stripped)
    label, source = _typed(stripped)
    yield Span(start, start + len(stripped), label, 0.7 if source == "validated" else 0.5, source)
