"""Context rules for person names: honorifics and introductions ("my name is", "Dear")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.gazetteer import everyday_words, location_subtype
from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+)?"
INITIAL = r"[A-Z]\."
FULL_NAME = rf"{NAME_WORD}(?:[ \t]+(?:{INITIAL}|[A-Z](?=[ \t])|{NAME_WORD})){{0,3}}"
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
LOWER_STOP = {"and", "but", "i", "from", "here", "the", "a", "please", "thanks", "so", "my", "is", "in", "at", "to"}
# "Anna: see you at 5" -- a speaker label at the start of a line of a chat or transcript.
SPEAKER = re.compile(rf"(?m)^[ \t>*-]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD})?):[ \t]")
NOT_SPEAKERS = {
    "Name", "Phone", "Mobile", "Desk", "Fax", "Email", "E-mail", "Website", "Address", "Date", "Time", "When",
    "Where", "Who", "What", "Why", "How", "User", "Bot", "Agent", "Customer", "Answer", "Question", "Note",
    "Subject", "Re", "To", "From", "Cc", "Bcc", "Sent", "Tel", "Telephone", "Zip", "City", "Country", "State",
    "Title", "Company", "Occupation", "Job", "Position", "Personal", "Info", "Notes", "Comments", "Status",
    "Reason", "Summary", "Description", "Warning", "Error", "Update", "Source", "Tip", "Example", "Step",
}
LOWER_INTRO = re.compile(r"\b(?:my name is|my name's|call me)[ \t]+(?P<name>[a-zß-öø-ÿā-ž'’-]{2,}(?:[ \t]+[a-zß-öø-ÿā-ž'’.-]+){0,2})")
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
    for m in SPEAKER.finditer(text):
        first = m.group("name").split()[0]
        # "Produced By:", "Opening Hours:": a heading of everyday words, not a speaker
        if first not in NOT_SPEAKERS and first not in NOT_NAMES and not everyday_words(m.group("name")):
            yield Span(m.start("name"), m.end("name"), "NAME", 0.8, "context")
    if not any(ch.isupper() for ch in text):
        for m in LOWER_INTRO.finditer(text):
            words = m.group("name").split()
            if words:
                words[-1] = words[-1].rstrip(".,")
            while words and words[-1] in LOWER_STOP:
                words.pop()
            # "call me at home", "call me back": an everyday word that is no given name is no name
            if words and everyday_words(words[0].capitalize()):
                continue
            if words:
                start = m.start("name")
                yield Span(start, start + len(" ".join(words)), "NAME", 0.75, "context")
    for m in WEAK_INTRO.finditer(text):
        span = _name_span(m, 0.7, text, "hint")
        if span is not None:
            yield span


ORG_WORD = r"[A-Z][\w'’&.-]*"
COMPANY_SUFFIX = re.compile(
    rf"(?<![\w-])(?:{ORG_WORD}[ \t]+){{1,4}}(?:Inc|LLC|L\.L\.C|Ltd|Limited|GmbH|AG|SA|S\.A|SAS|SRL|BV|B\.V|NV|"
    r"PLC|plc|LLP|LP|Corp|Corporation|Company|Co|Group|Holdings|Partners|Associates|Foundation|Institute|"
    r"University|Bank|Hospital|Clinic|Orchestra|Agency|Industries|Technologies|Systems|Solutions|Software|Labs)\b\.?"
)
PARTNERSHIP = re.compile(rf"(?<![\w-]){ORG_WORD}(?:,[ \t]+{ORG_WORD})+,?[ \t]+(?:and|&)[ \t]+{ORG_WORD}(?![\w-])")
ORG_CUE_BEFORE = re.compile(r"(?i)\b(?:at|for|from|with|joined|join|by|of|to)[ \t]+$")
ORG_CUE_AFTER = re.compile(
    r"(?i)[ \t]+(?:is an?|was an?|songwriter|orchestra|agency|company|firm|group|inc|llc|ltd|law|office|partners)\b"
)
MEDICAL_ORG = re.compile(r"(?i)\b(?:hospital|clinic|medical|health|infirmary)\b")


@recognizer("organizations", "ORGANIZATION", "ORGANIZATION_MEDICAL_FACILITY")
def find_organizations(text: str) -> Iterator[Span]:
    for m in COMPANY_SUFFIX.finditer(text):
        words = m.group().split()
        while words and (words[0] in NOT_NAMES or words[0] in ("The", "A", "An")):
            words.pop(0)
        if len(words) < 2:
            continue
        start = m.end() - len(" ".join(words)) if m.group().endswith(words[-1]) else m.start()
        start = text.find(words[0], m.start(), m.end())
        label = "ORGANIZATION_MEDICAL_FACILITY" if MEDICAL_ORG.search(m.group()) else "ORGANIZATION"
        yield Span(start, m.end(), label, 0.8, "context")
    for m in PARTNERSHIP.finditer(text):
        if (
            ORG_CUE_BEFORE.search(text, max(0, m.start() - 10), m.start())
            or ORG_CUE_AFTER.match(text, m.end())
            or _alone_on_line(text, m.start(), m.end())  # a letterhead's firm line
        ):
            yield Span(m.start(), m.end(), "ORGANIZATION", 0.75, "context")


LINE_LEAD = re.compile(r"(?:^|\n)[ \t>*•-]*$")
LINE_TAIL = re.compile(r"[ \t]*(?:\n|$)")


def _alone_on_line(text: str, start: int, end: int) -> bool:
    return LINE_LEAD.search(text, max(0, start - 8), start) is not None and LINE_TAIL.match(text, end) is not None


PLACE_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω][\w'’-]*"
PLACE_CUE = re.compile(
    rf"(?i:\b(?:originally from|based in|born in|lives? in|lived in|living in|moved (?:here )?(?:from|to)|"
    rf"arrived (?:at|in)|returned to|flew to|travel(?:l)?ed to|i am in|i'm in|located in|grew up in|"
    rf"citizen of|resident of|headquartered in|relocated to|hometown of|home[ \t]?(?:city|town)|"
    rf"(?:city|town|village|municipality)[ \t]+of)[ \t]+)"
    rf"(?P<place>{PLACE_WORD}(?:[ \t]+(?:(?:de|del|do|da|di|u|nad|an|am|sur|la|le|O')[ \t]+)?{PLACE_WORD}){{0,3}})"
)
NOT_PLACES = {"The", "A", "An", "My", "Our", "Your", "His", "Her", "Their", "This", "That", "Here", "There"}


# "in Aarhus C 8000", "in Vila Nova de Gaia 4400-123": a town written with its postcode
PLACE_WITH_POSTCODE = re.compile(
    rf"(?<![\w-])in[ \t]+(?P<place>{PLACE_WORD}(?:[ \t]+(?:(?:de|del|do|da|di|u|nad|an|am|sur|la|le)[ \t]+)?{PLACE_WORD}){{0,3}})"
    r"[ \t]+(?P<code>\d{4,5}|\d{4}-\d{3}|\d{3}[ \t]\d{2})(?![\w-])"
)
YEAR_LIKE = re.compile(r"(?:1[89]|20)\d\d$")
ANY_DIGIT = re.compile(r"\d")


# a town on the line above its country, in a postal block ("ALFRICK\nUnited Kingdom")
TOWN_OVER_COUNTRY = re.compile(
    rf"(?m)^[ \t>*]*(?P<town>{PLACE_WORD}(?:[ \t]+(?:(?:de|del|do|da|di|la|le|u|nad|an|am|sur)[ \t]+)?{PLACE_WORD}){{0,3}})"
    r"[ \t]*\n[ \t>*]*(?P<country>[^\W\d_][^\n]{1,40}?)[ \t.]*$"
)


def _towns_over_countries(text: str) -> Iterator[Span]:
    from veil.text.gazetteer import person_names

    given, _ = person_names()
    for m in TOWN_OVER_COUNTRY.finditer(text):
        town, country = m.group("town"), m.group("country")
        if location_subtype(country) != "LOCATION_COUNTRY" or town.split()[0] in given or everyday_words(town):
            continue
        yield Span(m.start("town"), m.end("town"), location_subtype(town), 0.75, "context")


@recognizer("place_cues", "LOCATION", "LOCATION_CITY", "LOCATION_STATE", "LOCATION_COUNTRY", "LOCATION_ZIP")
def find_places_by_cue(text: str) -> Iterator[Span]:
    """A capitalised place name after a location phrase ("originally from X", "based in X"),
    or after "in" and before a postcode ("in Arendal 4844"), or on the line above a country."""
    if "\n" in text:
        yield from _towns_over_countries(text)
    if ANY_DIGIT.search(text) is not None:
        for m in PLACE_WITH_POSTCODE.finditer(text):
            words = m.group("place").split()
            if words[0] in NOT_PLACES or YEAR_LIKE.match(m.group("code")) or everyday_words(m.group("place"), names=False):
                continue  # "in Room 1234", "in Windows 2000": a numbered thing, not a town
            yield Span(m.start("place"), m.end("place"), location_subtype(m.group("place")), 0.8, "context")
            yield Span(m.start("code"), m.end("code"), "LOCATION_ZIP", 0.8, "context")
    for m in PLACE_CUE.finditer(text):
        words = m.group("place").split()
        if not words or words[0] in NOT_PLACES:
            continue
        start = m.start("place")
        value = " ".join(words)
        yield Span(start, start + len(value), location_subtype(value), 0.8, "context")
