"""Dates, dates of birth, times, date intervals, durations and ages."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from veil.text.recognizers.base import cue_before, has_digit, recognizer
from veil.text.spans import Span

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
WEEKDAY = r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)"
WEEKDAY_FULL = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
ORD_UNITS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
ORDINAL_WORD = (
    rf"(?:{TENS}[- ]?{ORD_UNITS}|thirtieth|twentieth|{ORD_UNITS}|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)"
)
DAY = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{ORDINAL_WORD})"
TWO_DIGIT_WORDS = rf"(?:{TENS}(?:[- ]?{UNITS})?|{TEENS}|oh[- ]?{UNITS}|\d\d)"
YEAR = (
    rf"(?:(?:1[5-9]|20)\d\d|'\d\d|(?:nineteen|twenty)\s+{TWO_DIGIT_WORDS}|"
    rf"two thousand(?:\s+and)?(?:\s+{TEENS}|\s+{TENS}(?:[- ]?{UNITS})?|\s+{UNITS})?)"
)
TIME_PART = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"

DATE_PATTERNS = [
    # ISO date, optionally with a time
    re.compile(rf"(?<![\w-])(?:1[5-9]|20)\d\d-(?:0?[1-9]|1[0-2])-(?:[12]\d|3[01]|0?[1-9])(?:[T ]{TIME_PART}(?:Z|[+-]\d\d:?\d\d)?)?(?![\w-])"),
    # numeric d/m/y or m/d/y, optionally with a time
    re.compile(rf"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])([/.-])(?:[12]\d|3[01]|0?[1-9])\1(?:\d{{4}}|\d{{2}})(?:,?\s{TIME_PART})?(?![\w/-]|\.\d)"),
    re.compile(r"(?<![\w/.-])(?:1[5-9]|20)\d\d/(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])(?![\w/-])"),
    # [Weekday,] Month Day[,] [Year]
    re.compile(rf"(?<!\w)(?:{WEEKDAY_FULL},?\s+)?{MONTH}\.?\s+{DAY}(?:,?\s+{YEAR})?(?!\w)", re.IGNORECASE),
    # [Weekday,] [the] Day [of] Month[,] [Year]
    re.compile(rf"(?<!\w)(?:{WEEKDAY_FULL},?\s+)?(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}\.?(?:,?\s+{YEAR})?(?!\w)", re.IGNORECASE),
    # Month Year
    re.compile(rf"(?<!\w){MONTH}\.?,?\s+(?:(?:1[5-9]|20)\d\d)(?!\w)", re.IGNORECASE),
    # Weekday alone (capitalised); "Tuesday morning": the day is the date, the part of the day
    # is not part of it
    re.compile(rf"(?<!\w){WEEKDAY_FULL}(?!\w)"),
    # a weekday in lowercase (chat) right after a preposition of time: "see you on friday"
    re.compile(
        r"(?:(?<=\bon )|(?<=\bby )|(?<=\bnext )|(?<=\blast )|(?<=\bthis )|(?<=\buntil )|(?<=\bevery ))"
        rf"{WEEKDAY_FULL.lower()}(?!\w)"
    ),
]
# What each date pattern cannot match without (a superset test, same case rules as the
# pattern): most texts have no digit, month or weekday, and the patterns are not read at all.
DATE_NEEDS = ("digit", "digit", "digit", "month", "month", "month", "day", "day")
MONTH_HINT = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.IGNORECASE)
YEAR_ALONE = re.compile(r"(?<![\w$€£.,/-])(?:1[6-9]|20)\d\d(?![\w%/-]|[.,]\d)")
YEAR_CUE = re.compile(
    r"(?i)\b(?:in|since|during|from|until|till|by|year|of|founded|established|born|circa|c\.|before|after)\s+$"
)
DOB_CUE = re.compile(r"(?i)\b(?:born|birth|dob|d\.o\.b|birthday|date of birth|birthdate|b\.)\b")
TIME_RE = re.compile(
    rf"(?<![\w:.]){TIME_PART}(?![\w:])|(?<![\w:.])(?:1[0-2]|0?[1-9])\s?(?:[AaPp]\.[Mm]\.|[AaPp][Mm])(?!\w)"
)
NUM_WORD = rf"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|{TENS})"
DURATION = re.compile(
    rf"(?<!\w){NUM_WORD}(?:\s+and\s+a\s+half)?[\s-]+(?:more\s+)?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|decades?)(?!\w)",
    re.IGNORECASE,
)
DURATION_NOT_AFTER = re.compile(r"(?i)[\s-]*(?:old|of age|ago|y/?o|later|earlier|before|after|from now)\b")
AGE_PATTERNS = [
    re.compile(r"(?i)(?<![\w.])(\d{1,3})(?:\s*|-)(?:years?|yrs?|yo|y/o|y\.o\.)(?:\s*|-)(?:old|of age)(?!\w)"),
    re.compile(r"(?i)(?<![\w.])(\d{1,3})\s*(?:yo|y/o|y\.o\.|yrs old)(?!\w)"),
    re.compile(r"(?i)\b(?:aged?|age of|age is|age:)\s*(\d{1,3})(?![\w.]|\.\d)"),
    re.compile(
        r"(?i)\b(?:turn(?:ed|s|ing)?|i'?m|i am|he'?s|she'?s|he is|she is|they'?re|they are|is)\s+(?:now\s+|just\s+|only\s+)?"
        r"(\d{1,3})(?=\s*(?:[.,!?;]|$|\n|years|yrs|y/o|this|next|last|today|tomorrow|in\b|on\b|soon))"
    ),
    re.compile(r"(?i)(?<![\w.])(\d{1,3})\s*-?\s*(?:year|yr)s?\s*-?\s*old(?!\w)"),
]
ANY_DIGIT = re.compile(r"\d")
INTERVAL_JOIN = re.compile(r"^\s*(?:-|–|—|to|until|till|through|thru|and)\s*$", re.IGNORECASE)
INTERVAL_LEAD = re.compile(r"(?i)\b(?:from|between)\s+$")


@recognizer("date", "DATE", "DOB", "DATE_INTERVAL")
def find_dates(text: str) -> Iterator[Span]:
    found: list[Span] = []
    hints = {
        "digit": ANY_DIGIT.search(text) is not None,
        "month": MONTH_HINT.search(text) is not None,
        "day": "day" in text,
    }
    for pattern, need in zip(DATE_PATTERNS, DATE_NEEDS, strict=True):
        if not hints[need]:
            continue
        for m in pattern.finditer(text):
            found.append(Span(m.start(), m.end(), "DATE", 0.9, "pattern"))
    if not found and not hints["digit"]:
        return  # no date, and no year alone (it has digits)
    for m in YEAR_ALONE.finditer(text):
        if YEAR_CUE.search(text, max(0, m.start() - 15), m.start()):
            found.append(Span(m.start(), m.end(), "DATE", 0.75, "pattern"))
    found = _longest(found)
    for span in found:
        if cue_before(text, span.start, DOB_CUE, 50):
            span.label = "DOB"
            span.labels = {"DOB": 0.9, "DATE": span.score}
            span.score = 0.9
        yield span
    for a, b in itertools.pairwise(found):
        if INTERVAL_JOIN.match(text[a.end : b.start]) and (
            text[a.end : b.start].strip().lower() != "and" or INTERVAL_LEAD.search(text, max(0, a.start - 10), a.start)
        ):
            yield Span(a.start, b.end, "DATE_INTERVAL", 0.85, "pattern")


def _longest(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (-s.length, s.start)):
        if all(s.end <= o.start or s.start >= o.end for o in out):
            out.append(s)
    return sorted(out, key=lambda s: s.start)


@recognizer("time", "TIME")
def find_times(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in TIME_RE.finditer(text):
        yield Span(m.start(), m.end(), "TIME", 0.85, "pattern")


@recognizer("duration", "DURATION")
def find_durations(text: str) -> Iterator[Span]:
    for m in DURATION.finditer(text):
        if DURATION_NOT_AFTER.match(text, m.end()):
            continue
        yield Span(m.start(), m.end(), "DURATION", 0.75, "pattern")


@recognizer("age", "AGE")
def find_ages(text: str) -> Iterator[Span]:
    if ANY_DIGIT.search(text) is None:
        return  # every age pattern holds the number in digits
    seen: set[int] = set()
    for pattern in AGE_PATTERNS:
        for m in pattern.finditer(text):
            value = int(m.group(1))
            if value > 125 or m.start(1) in seen:
                continue
            seen.add(m.start(1))
            yield Span(m.start(1), m.end(1), "AGE", 0.9, "context")
