"""A model-free stand-in for NER (the ``standard`` mode): capitalised word sequences.

A run of capitalised words that does not start a sentence (or that does, when its first
word is a known given name or place) is typed with the gazetteers: a country or state is
a LOCATION, a sequence starting with a given name or containing a family name is a NAME,
a sequence after "in/at/from/to" is a LOCATION, anything else an ORGANIZATION. It is much
faster than a statistical model and less accurate; the other modes use spaCy instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.gazetteer import AMBIGUOUS_GIVEN, is_place, location_subtype, person_names
from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω][\w'’-]*|[A-Z]\.)"
SEQUENCE = re.compile(rf"(?<![\w'’@./-]){WORD}(?:[ \t]+(?:(?:de|da|van|von|del|der|la|le)[ \t]+)?{WORD}){{0,4}}")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(>\n]|\n[ \t]*)[ \t]*$")
PLACE_BEFORE = re.compile(r"(?i)\b(?:in|at|from|to|near|into|across|around|visit|visiting|moved to)[ \t]+$")
COMMON_CAPITALISED = frozenset(
    ["I", "I'm", "I'll", "I've", "I'd", "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "We", "You", "He", "She", "They", "My", "Your", "Our", "Their", "His", "Her", "Hi", "Hello", "Hey", "Dear", "Thanks", "Thank", "Please", "Yes", "No", "Not", "Ok", "Okay", "So", "And", "But", "Or", "If", "When", "Where", "What", "Who", "Why", "How", "Is", "Are", "Was", "Were", "Do", "Does", "Did", "Can", "Could", "Will", "Would", "Should", "May", "Might", "Must", "Have", "Has", "Had", "Be", "Been", "Being", "Let", "Here", "There", "Also", "Just", "Only", "Even", "Still", "Then", "Now", "Today", "Tomorrow", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December", "Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Madam", "Street", "Road", "Avenue", "Suite", "Apt", "Phone", "Mobile", "Email", "Address", "Name", "Date", "Website", "Desk", "Fax", "Personal", "Info", "User", "Bot", "Answer", "Question", "Title", "Act", "Orchestra", "Mission", "Statement", "Capitalized", "Where", "When", "Re", "Subject", "Note", "Please", "Sure", "Great", "Good", "Nice", "Sorry", "Hope", "Happy", "Best", "Regards", "Sincerely", "Cheers", "Welcome", "Congratulations", "After", "Before", "During", "Since", "Until", "From", "To", "In", "On", "At", "For", "With", "Without", "About", "Of", "By", "As", "Into", "Over", "Under", "One", "Two", "Three", "First", "Second", "Last", "Next", "Every", "All", "Some", "Any", "Each", "Both", "Many", "Much", "More", "Most", "Other", "Such", "Same", "New", "Old"]
)
ORG_BEFORE = re.compile(r"(?i)\b(?:work(?:s|ed|ing)? (?:for|at)|employed by|joined|join|at|with|for)[ \t]+$")
ORG_HINT = re.compile(
    r"(?i)\b(?:inc|llc|ltd|gmbh|corp|corporation|company|group|bank|university|college|school|orchestra|agency|"
    r"partners|associates|foundation|institute|council|committee|ministry|department|club|team|press|news|"
    r"times|post|journal|records|studios|labs|software|systems|solutions|technologies|airlines|motors|media)\b"
)


LABELS = ("NAME", "LOCATION", "LOCATION_CITY", "LOCATION_STATE", "LOCATION_COUNTRY", "ORGANIZATION")


@recognizer("capitalized", *LABELS)
def find_capitalized(text: str) -> Iterator[Span]:
    """Every capitalised sequence, typed by gazetteers or by position (no model)."""
    return _capitalized(text, fallback=True)


@recognizer("capitalized_known", *LABELS)
def find_known_capitalized(text: str) -> Iterator[Span]:
    """Only sequences the gazetteers know (given/family names, countries, states): gap-filling hints."""
    return _capitalized(text, fallback=False)


def _capitalized(text: str, fallback: bool) -> Iterator[Span]:
    given, family = person_names()
    for m in SEQUENCE.finditer(text):
        words = m.group().split()
        start = m.start()
        # drop leading common words ("The", "Hi") and re-anchor
        while words and words[0].rstrip(".") in COMMON_CAPITALISED:
            start = text.index(words[0], start) + len(words[0])
            start = start + len(text[start:]) - len(text[start:].lstrip())
            words = words[1:]
        while words and words[-1].rstrip(".") in COMMON_CAPITALISED:
            words = words[:-1]
        if not words:
            continue
        value_end = text.index(words[-1], start) + len(words[-1])
        value = text[start:value_end]
        first = words[0].rstrip(".,")
        at_sentence_start = SENTENCE_START.search(text, max(0, start - 3), start) is not None or start == 0
        known_given = first in given and first not in AMBIGUOUS_GIVEN
        known_family = any(w.rstrip(".,") in family for w in words)
        if is_place(value):
            yield Span(start, value_end, location_subtype(value), 0.75, "hint")
        elif known_given or (known_family and len(words) <= 3 and not ORG_HINT.search(value)):
            yield Span(start, value_end, "NAME", 0.7, "hint")
        elif not fallback:
            # unknown to the gazetteers: only a name right after "work for", "at", "with" ...
            if not at_sentence_start and ORG_BEFORE.search(text, max(0, start - 20), start):
                yield Span(start, value_end, "ORGANIZATION", 0.55, "hint")
            continue
        elif at_sentence_start and len(words) == 1:
            continue  # an ordinary sentence-initial word
        elif ORG_HINT.search(value):
            yield Span(start, value_end, "ORGANIZATION", 0.65, "hint")
        elif PLACE_BEFORE.search(text, max(0, start - 12), start):
            yield Span(start, value_end, "LOCATION", 0.6, "hint")
        elif value.isupper() and len(value) <= 4:
            continue  # acronyms
        else:
            yield Span(start, value_end, "NAME" if len(words) <= 3 else "ORGANIZATION", 0.55, "hint")
