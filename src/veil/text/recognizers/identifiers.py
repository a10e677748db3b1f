"""National ids, health numbers and other numeric ids (passports, licences and vehicle ids are
declarative: veil/text/data/recognizers.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.ca import sin
from stdnum.gb import nhs
from stdnum.us import ssn

from veil.text.recognizers.base import cue_before, digits, has_digit, recognizer, values_after_cues
from veil.text.spans import Span

SSN_DASHED = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")
SSN_CUE = re.compile(
    r"(?i)\b(?:ssn|ss#|social security|social insurance|sin|national (?:id|identity|insurance)|"
    r"id number|identity number|tax id|tin)\b"
)
NINE = re.compile(r"(?<![\w-])\d{9}(?![\w-])")
SIN_RE = re.compile(r"(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w-])")
NINO = re.compile(r"(?<![A-Z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Z0-9])")
HEALTH_CUE = re.compile(
    r"(?i)\b(?:health\s*(?:card|care|insurance|plan)|medicare|medicaid|nhs|ohip|insurance|member|policy|"
    r"patient|medical record|mrn|health)\s*(?:number|no\.?|num|#|id)\s*(?:is|:|#)?|\b(?:mrn|nhs)\b\s*:?"
)
HEALTH_VALUE = re.compile(r"(?<![\w-])(?=[A-Z0-9 -]*\d{3})[A-Z0-9][A-Z0-9 -]{3,18}[A-Z0-9](?![\w-])")
NUMBER_CUE = re.compile(
    r"(?i)(?:\b(?:id|order|case|ticket|reference|ref|invoice|customer|client|member|employee|"
    r"booking|confirmation|tracking|serial|claim|file)\b(?:\s+(?:number|no\.?|num|id|#|code))?|#)\s*(?:is|:|=)?"
)
NUMBER_VALUE = re.compile(r"(?<![\w-])(?=[A-Za-z0-9-]*\d{3})[A-Za-z0-9][A-Za-z0-9-]{2,30}[A-Za-z0-9](?![\w-])")

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit_ok(vin: str) -> bool:
    """ISO 3779 / North American VIN check digit (position 9); python-stdnum has no VIN module."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


@recognizer("ssn", "SSN")
def find_ssn(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in SSN_DASHED.finditer(text):
        if ssn.is_valid(digits(m.group())):
            cue = cue_before(text, m.start(), SSN_CUE, 60)
            yield Span(m.start(), m.end(), "SSN", 0.95 if cue else 0.8, "validated")
    for m in values_after_cues(text, SSN_CUE, NINE, 25):
        if ssn.is_valid(m.group()) or sin.is_valid(m.group()):
            yield Span(m.start(), m.end(), "SSN", 0.9, "validated")
    for m in values_after_cues(text, SSN_CUE, SIN_RE, 25):
        if sin.is_valid(digits(m.group())):
            yield Span(m.start(), m.end(), "SSN", 0.9, "validated")
    for m in NINO.finditer(text):
        if cue_before(text, m.start(), SSN_CUE, 60):
            yield Span(m.start(), m.end(), "SSN", 0.9, "context")




@recognizer("healthcare_number", "HEALTHCARE_NUMBER")
def find_health_numbers(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in values_after_cues(text, HEALTH_CUE, HEALTH_VALUE, 20):
        value = m.group().rstrip()
        d = digits(value)
        score = 0.95 if len(d) == 10 and nhs.is_valid(d) else 0.85
        yield Span(m.start(), m.start() + len(value), "HEALTHCARE_NUMBER", score, "context")



@recognizer("numerical_pii", "NUMERICAL_PII")
def find_numeric_ids(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in values_after_cues(text, NUMBER_CUE, NUMBER_VALUE, 12):
        yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.6, "context")
