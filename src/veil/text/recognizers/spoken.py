"""Numbers read out in transcripts: "four one one one ...", "my cvv is three two one",
"expires oh four twenty six", "call me at five five five, two three four, ...".

A *run* is a sequence of number words and digit groups, mixed freely ("four 1 1 1",
"double five", "twenty six", "nineteen eighty", "two thousand and five"), separated by
spaces, commas or hyphens. A run is read into its digit string (each digit word one digit,
"twenty six" 26, "nineteen eighty" 1980, "oh"/"o" 0 inside a run) and then typed by the cue
before it and by validators, the way the written number would be:

- a card cue, or 13-19 digits that pass Luhn: ``CREDIT_CARD`` when Luhn-valid (``validated``),
  else ``NUMERICAL_PII`` (never a card with a failing checksum);
- a CVV cue and 3-4 digits: ``CVV``; an expiry cue and a month-year: ``CREDIT_CARD_EXPIRATION``;
- "last four (of ...)", "ending (in)" and 3-6 digits: ``NUMERICAL_PII`` (a partial number);
- an SSN cue and 9 digits: ``SSN`` when valid, else ``NUMERICAL_PII``;
- a birth or date cue and a month-day-year or day-month-year: ``DOB`` / ``DATE``;
- a PIN or password cue: ``PASSWORD``; a ZIP cue and 5 digits: ``LOCATION_ZIP``;
- a phone cue and 7-15 digits: ``PHONE_NUMBER``; an account cue: ``ACCOUNT_NUMBER``;
- no cue but 7 or more digits read one by one: ``NUMERICAL_PII`` (a read-out identifier).

A run needs at least one number word (runs of written digits are the other recognizers'
work) and at least three digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum import luhn
from stdnum.us import ssn

from veil.text.recognizers.base import recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0, "nil": 0,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
REPEAT = {"double": 2, "triple": 3}
SCALE = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = frozenset({*UNITS, *TEENS, *TENS, *REPEAT, *SCALE})
# "o" and "oh" are zero only next to other number words; "and" only inside "hundred and five"
WEAK = frozenset({"o", "oh"})

TRIGGERS = frozenset(NUMBER_WORDS - WEAK)  # a run needs one of these
TOKEN = re.compile(r"[A-Za-z]+|\d+")
GAP = re.compile(r"[ \t]*(?:[,-][ \t]*)?|[ \t]*\.\.\.[ \t]*")
CUE_WINDOW = 50


def _cue(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)\b(?:{words})\b")


CARD_CUE = _cue(r"card(?:\s+number)?|credit|debit|visa|master\s?card|amex|american\s+express|discover")
CVV_CUE = _cue(
    r"cvv2?|cvc2?|cv2|security\s+code|(?:three|four|3|4)[- ]digits?(?:\s+code)?|back\s+of\s+the\s+card|"
    r"code\s+on\s+the\s+back|card\s+code|verification\s+(?:code|value)"
)
EXPIRY_CUE = _cue(r"expir(?:e|y|es|ed|ation)(?:\s+date)?|exp|valid\s+(?:thru|through|until)|good\s+thru")
SSN_CUE = _cue(r"ssn|social(?:\s+security)?(?:\s+number)?|social\s+insurance")
DOB_CUE = _cue(r"born|birth(?:day|date)?|date\s+of\s+birth|dob|d\.o\.b")
DATE_CUE = _cue(r"date|dated|on")
PIN_CUE = _cue(r"pin(?:\s+(?:code|number))?|passcode|password|pass\s+code|access\s+code|verification\s+code|otp")
ZIP_CUE = _cue(r"zip(?:\s?code)?|postal\s+code|postcode")
PHONE_CUE = _cue(
    r"phone|telephone|mobile|cell|call(?:\s+(?:me|us|back))?|reach(?:\s+me)?|text(?:\s+me)?|extension|ext|fax|dial|"
    r"line|whatsapp|(?:my|the|your|his|her|contact|callback|home|work)\s+number(?:\s+is)?"
)
# the last digits of a card, account or social ("card ending eight eight one nine", "the last
# four of your social"): a partial identifier, still masked
PARTIAL_CUE = _cue(
    r"last\s+(?:three|four|five|six|3|4|5|6)(?:\s+digits)?(?:\s+of\s+\w+(?:\s+\w+)?)?|"
    r"(?:card|visa|master\s?card|amex|account|number|social)\s+(?:number\s+)?(?:ending|ends)(?:\s+(?:in|with))?"
)
ACCOUNT_CUE = _cue(r"account|acct|member(?:ship)?|policy|customer|reference|order|confirmation|routing|id")


@dataclass
class Run:
    start: int
    end: int
    digits: str
    words: int  # number words in the run
    singles: bool  # every element one digit (read digit by digit)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text))


def _is_number(tok: str) -> bool:
    return tok.isdigit() or tok.lower() in NUMBER_WORDS


def _read(words: list[str]) -> tuple[str, bool] | None:
    """The digit string of a run's tokens and whether it was read digit by digit."""
    out: list[str] = []
    singles = True
    i = 0
    n = len(words)
    while i < n:
        w = words[i].lower()
        nxt = words[i + 1].lower() if i + 1 < n else ""
        if w.isdigit():
            out.append(w)
            singles = singles and len(w) == 1
            i += 1
        elif w in REPEAT and nxt in UNITS:
            out.append(str(UNITS[nxt]) * REPEAT[w])
            i += 2
        elif (w in UNITS and nxt in SCALE) or (w in TEENS and nxt == "hundred") or (w in TENS and nxt == "thousand"):
            value, used = _cardinal(words[i:])
            out.append(str(value))
            singles = False
            i += used
        elif w in UNITS:
            out.append(str(UNITS[w]))
            i += 1
        elif w in TEENS:
            out.append(str(TEENS[w]))
            singles = False
            i += 1
        elif w in TENS:
            if nxt in UNITS and nxt not in WEAK and UNITS[nxt] > 0:
                out.append(str(TENS[w] + UNITS[nxt]))
                i += 2
            else:
                out.append(str(TENS[w]))
                i += 1
            singles = False
        else:
            return None  # a scale word or "double" with nothing to apply to
    return "".join(out), singles


def _cardinal(words: list[str]) -> tuple[int, int]:
    """A number below 10 000 written with "hundred"/"thousand" ("two thousand and five",
    "four hundred twelve"): its value and how many tokens it used."""
    total = 0
    current = 0
    used = 0
    for k, raw in enumerate(words):
        w = raw.lower()
        if w == "and" and current + total > 0:
            used = k + 1
            continue
        if w in UNITS and w not in WEAK and (current % 10 == 0 or current == 0):
            if current and current % 10 == 0 and current < 100:
                current += UNITS[w]
            elif current == 0:
                current = UNITS[w]
            else:
                break
        elif w in TEENS and current % 100 == 0:
            current += TEENS[w]
        elif w in TENS and current % 100 == 0:
            current += TENS[w]
        elif w == "hundred" and 0 < current < 100:
            current *= 100
        elif w == "thousand" and 0 < current < 100 and total == 0:
            total = current * 1000
            current = 0
        else:
            break
        used = k + 1
    if words[used - 1].lower() == "and":
        used -= 1
    return total + current, max(used, 1)


def _runs(text: str) -> Iterator[Run]:
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        if not _is_number(tokens[i].group()):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            gap_ok = GAP.fullmatch(text, tokens[j].end(), tokens[j + 1].start()) is not None
            nxt = tokens[j + 1].group().lower()
            if gap_ok and _is_number(nxt):
                j += 1
            elif (
                gap_ok
                and nxt == "and"
                and j + 2 < len(tokens)
                and tokens[j].group().lower() in SCALE
                and _is_number(tokens[j + 2].group())
            ):
                j += 2
            else:
                break
        run = tokens[i : j + 1]
        i = j + 1
        # a leading "oh"/"o" is a zero only when the number follows it at once ("oh four");
        # "oh, five five five" is an interjection
        while len(run) > 1 and run[0].group().lower() in WEAK and text[run[0].end() : run[1].start()] != " ":
            run = run[1:]
        words = [t.group() for t in run if t.group().lower() != "and"]
        n_words = sum(1 for w in words if not w.isdigit())
        if n_words == 0 or (len(words) < 2 and words[0].lower() not in TEENS and words[0].lower() not in TENS):
            continue
        if n_words == len(words) == sum(1 for w in words if w.lower() in WEAK):
            continue
        read = _read(words)
        if read is not None and len(read[0]) >= 3:
            yield Run(run[0].start(), run[-1].end(), read[0], n_words, read[1])


def _phone_ok(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "US"))
    except phonenumbers.NumberParseException:
        return False


def _month_year(d: str) -> bool:
    return len(d) in (4, 6) and 1 <= int(d[:2]) <= 12


def _calendar_date(d: str) -> bool:
    if len(d) not in (6, 8):
        return False
    a, b = int(d[:2]), int(d[2:4])
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


TURN_START = 40  # a run this close to its line start may answer the line before it


def _last_cue(text: str, run: Run, cue: re.Pattern[str], window: int) -> int:
    """Where the last match of ``cue`` before the run ends, or -1: within ``window`` characters,
    or, for a run at the start of a line (an answer in a transcript: "Agent: the code on the
    back?\nCaller: seven three one"), anywhere on the previous line too."""
    low = max(0, run.start - window)
    line_start = text.rfind("\n", 0, run.start) + 1
    if line_start > 0 and run.start - line_start <= TURN_START:
        low = min(low, text.rfind("\n", 0, line_start - 1) + 1)
    end = -1
    for m in cue.finditer(text, low, run.start):
        end = m.end()
    return end


def _card(run: Run) -> tuple[str, float, str] | None:
    d = run.digits
    if not 12 <= len(d) <= 19:
        return None
    if luhn.is_valid(d) and len(set(d)) > 1:
        return "CREDIT_CARD", 0.9, "validated"
    return "NUMERICAL_PII", 0.6, "context"


def _ssn(run: Run) -> tuple[str, float, str] | None:
    if len(run.digits) != 9:
        return None
    return ("SSN", 0.9, "validated") if ssn.is_valid(run.digits) else ("NUMERICAL_PII", 0.6, "context")


def _phone(run: Run) -> tuple[str, float, str] | None:
    if not 7 <= len(run.digits) <= 15:
        return None
    return "PHONE_NUMBER", 0.9 if _phone_ok(run.digits) else 0.75, "context"


def _when(label: str, score: float, test: Callable[[str], bool]) -> Callable[[Run], tuple[str, float, str] | None]:
    return lambda run: (label, score, "context") if test(run.digits) else None


# (cue, window, what a run after it is); the cue nearest before the run decides, and when its
# shape does not fit the next nearest one is tried
CUES: tuple[tuple[re.Pattern[str], int, Callable[[Run], tuple[str, float, str] | None]], ...] = (
    (CVV_CUE, 30, _when("CVV", 0.85, lambda d: len(d) in (3, 4))),
    (PARTIAL_CUE, 30, _when("NUMERICAL_PII", 0.7, lambda d: 3 <= len(d) <= 6)),
    (EXPIRY_CUE, 30, _when("CREDIT_CARD_EXPIRATION", 0.85, _month_year)),
    (CARD_CUE, CUE_WINDOW, _card),
    (SSN_CUE, CUE_WINDOW, _ssn),
    (DOB_CUE, 40, lambda run: ("DOB", 0.8, "context") if _calendar_date(run.digits) else None),
    (PIN_CUE, 30, _when("PASSWORD", 0.8, lambda d: 4 <= len(d) <= 8)),
    (ZIP_CUE, 25, _when("LOCATION_ZIP", 0.8, lambda d: len(d) in (5, 9))),
    (PHONE_CUE, CUE_WINDOW, _phone),
    (ACCOUNT_CUE, 40, _when("ACCOUNT_NUMBER", 0.7, lambda d: len(d) >= 5)),
    (
        DATE_CUE,
        20,
        lambda run: ("DATE", 0.7, "context") if _calendar_date(run.digits) and not run.singles else None,
    ),
)


def _classify(text: str, run: Run) -> tuple[str, float, str] | None:
    found = [(end, k) for k, (cue, window, _) in enumerate(CUES) if (end := _last_cue(text, run, cue, window)) >= 0]
    for _, k in sorted(found, reverse=True):
        typed = CUES[k][2](run)
        if typed is not None:
            return typed
    if 13 <= len(run.digits) <= 19 and luhn.is_valid(run.digits):
        return _card(run)
    if len(run.digits) >= 7 and run.singles:
        return "NUMERICAL_PII", 0.55, "pattern"
    return None


@recognizer("spoken_numbers", "CREDIT_CARD", "CVV", "CREDIT_CARD_EXPIRATION", "SSN", "DOB", "DATE",
            "PASSWORD", "LOCATION_ZIP", "PHONE_NUMBER", "ACCOUNT_NUMBER", "NUMERICAL_PII")
def find_spoken_numbers(text: str) -> Iterator[Span]:
    if lowercase_words(text).isdisjoint(TRIGGERS):
        return
    for run in _runs(text):
        typed = _classify(text, run)
        if typed is not None:
            label, score, source = typed
            yield Span(run.start, run.end, label, score, source)
