"""Context rules for person names: honorifics and introductions ("my name is", "Dear")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+)?"
INITIAL = r"[A-Z]\."
FULL_NAME = rf"{NAME_WORD}(?:\s+(?:{INITIAL}|{NAME_WORD})){{0,3}}"
TITLE = re.compile(
    rf"(?<!\w)(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Sig|Sig\.ra|Dott)\.?\s+(?P<name>{FULL_NAME})"
)
INTRO = re.compile(
    rf"(?i:\b(?:my name is|my name's|name is|i am called|i'm called|call me|signed|regards,|sincerely,|"
    rf"thanks,|thank you,|cheers,|dear|hi|hello|hey|name:|patient:|contact:)\s+)(?P<name>{FULL_NAME})"
)
# Weaker introductions: only a hint, so the statistical NER wins a tie ("this is Microsoft").
WEAK_INTRO = re.compile(rf"(?i:\b(?:this is|i am|i'm|it's|it is)\s+)(?P<name>{FULL_NAME})")
NOT_NAMES = {
    "I", "The", "A", "An", "This", "That", "It", "We", "You", "He", "She", "They", "My", "Your", "Our", "Sir",
    "Madam", "Team", "All", "Everyone", "There", "Here", "Thanks", "Thank", "Please", "Good", "Happy", "Just",
    "Not", "So", "Very", "Sorry", "Glad", "Sure", "Yes", "No", "Ok", "Okay", "Well", "Also", "Still", "Now",
    "Going", "Looking", "Calling", "Writing", "Trying", "Customer", "Support", "Service", "Manager",
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Miss", "Hi", "Hello", "Dear", "Hey",
}
MEDICAL_CUE = re.compile(
    r"(?i)\b(?:patient|clinic|hospital|appointment|prescri\w+|diagnos\w+|surgery|treat\w*|nurse|physician|"
    r"medical|symptoms?|referred|referral|exam\w*)\b"
)


def _name_span(m: re.Match[str], score: float, text: str, source: str = "context") -> Span | None:
    start, end = m.start("name"), m.end("name")
    words = text[start:end].split()
    while words and words[-1] in NOT_NAMES:
        words.pop()
        end = start + len(" ".join(words))
    if not words or words[0] in NOT_NAMES:
        return None
    end = text.index(words[-1], start) + len(words[-1])
    return Span(start, end, "NAME", score, source)


@recognizer("names", "NAME", "NAME_MEDICAL_PROFESSIONAL")
def find_names(text: str) -> Iterator[Span]:
    for m in TITLE.finditer(text):
        span = _name_span(m, 0.9, text)
        if span is None:
            continue
        if m.group().startswith("Dr") and MEDICAL_CUE.search(text):
            span.label = "NAME_MEDICAL_PROFESSIONAL"
        yield span
    for m in INTRO.finditer(text):
        span = _name_span(m, 0.8, text)
        if span is not None:
            yield span
    for m in WEAK_INTRO.finditer(text):
        span = _name_span(m, 0.7, text, "hint")
        if span is not None:
            yield span
