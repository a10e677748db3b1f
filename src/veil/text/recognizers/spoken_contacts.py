"""Contact details and codes read out or spelled in transcripts and chats.

- ``EMAIL_ADDRESS`` spoken or obfuscated: "anna dot berg at proton dot me", "j_doe [at]
  example [dot] org" (the domain must end in a common top-level domain);
- a street address with its house number in words: "twenty two acacia avenue" ->
  ``LOCATION_ADDRESS_STREET`` (digit house numbers are the address recognizer's);
- a word spelled letter by letter, "O-K-A-F-O-R" or "K as in kilo, 4 4 7": ``NAME`` after a
  name or spelling cue, else ``NUMERICAL_PII`` (a reference or code being read out).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import cue_before, recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

TLD = r"com|org|net|edu|gov|io|co|me|info|biz|uk|de|fr|es|it|pt|kr|nl|be|ch|at|pl|ie|us|ca|au|in|eu|dev|app"
DOT = r"(?:\s+dot\s+|\s*\[dot\]\s*|\s*\(dot\)\s*)"
AT = r"(?:\s+at\s+|\s*\[at\]\s*|\s*\(at\)\s*|\s+@\s+)"
LOCAL_SEP = r"(?:\s+(?:dot|underscore|dash|hyphen)\s+|\s*\[dot\]\s*|\s*\(dot\)\s*)"
SPOKEN_EMAIL = re.compile(
    rf"(?i)(?<![\w.])[a-z0-9][a-z0-9._-]*(?:{LOCAL_SEP}[a-z0-9][a-z0-9._-]*)*{AT}"
    rf"[a-z0-9][a-z0-9-]*(?:{DOT}[a-z0-9][a-z0-9-]*)*{DOT}(?:{TLD})(?![\w])"
)
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
STREET_TYPE = (
    r"street|avenue|road|lane|drive|close|way|crescent|court|place|boulevard|terrace|gardens|grove|"
    r"square|row|hill|parade|mews|walk|rise"
)
SPOKEN_STREET = re.compile(
    rf"(?i)(?<![\w-])(?P<number>{NUMBER_WORD}(?:[ -]{NUMBER_WORD}){{0,3}})[ \t]+"
    rf"(?P<name>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+){{0,2}}?)[ \t]+(?:{STREET_TYPE})(?![\w-])"
)
NUMBER_TRIGGERS = frozenset(NUMBER_WORD.strip("(?:)").split("|"))
STREET_TRIGGERS = frozenset(STREET_TYPE.split("|"))
SPELLED_HYPHENS = re.compile(r"(?<![\w-])(?:[A-Za-z]-){3,}[A-Za-z](?![\w-])")
AS_IN = r"[A-Za-z][ \t]+(?:as[ \t]+in|for)[ \t]+[A-Za-z]+(?:-[A-Za-z]+)?"
SPELLED_CHAIN = re.compile(
    rf"(?<![\w-])(?:{AS_IN})(?:[ \t]*,?[ \t]+(?:{AS_IN}|{NUMBER_WORD}|zero|oh|\d+))*(?![\w-])", re.IGNORECASE
)
NAME_CUE = re.compile(r"(?i)\b(?:name|surname|spell(?:ed|ing|t)?|last\s+name|first\s+name|maiden)\b")


@recognizer("spoken_email", "EMAIL_ADDRESS")
def find_spoken_emails(text: str) -> Iterator[Span]:
    lowered = text.lower()
    if " at " not in lowered and "[at]" not in lowered and "(at)" not in lowered and " @ " not in text:
        return
    for m in SPOKEN_EMAIL.finditer(text):
        if "@" in m.group() and " @ " not in m.group():
            continue  # a written address: the e-mail recognizer's
        yield Span(m.start(), m.end(), "EMAIL_ADDRESS", 0.85, "pattern")


@recognizer("spoken_street", "LOCATION_ADDRESS_STREET")
def find_spoken_streets(text: str) -> Iterator[Span]:
    words = lowercase_words(text)
    if words.isdisjoint(NUMBER_TRIGGERS) or words.isdisjoint(STREET_TRIGGERS):
        return
    for m in SPOKEN_STREET.finditer(text):
        if m.group("number").lower() == "one" and " " not in m.group("name"):
            continue  # "one way street"
        yield Span(m.start(), m.end(), "LOCATION_ADDRESS_STREET", 0.75, "pattern")


@recognizer("spelled_out", "NAME", "NUMERICAL_PII")
def find_spelled(text: str) -> Iterator[Span]:
    if "-" in text:
        for m in SPELLED_HYPHENS.finditer(text):
            label = "NAME" if cue_before(text, m.start(), NAME_CUE, 80) else "NUMERICAL_PII"
            yield Span(m.start(), m.end(), label, 0.75, "pattern")
    if " as in " in text.lower() or " for " in text.lower():
        for m in SPELLED_CHAIN.finditer(text):
            if m.group().lower().count(" for ") and " as in " not in m.group().lower():
                continue  # "C for Charlie" alone is too common a phrase ("A for effort")
            yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.7, "pattern")
