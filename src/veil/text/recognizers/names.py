"""Context rules for person names: honorifics and introductions ("my name is", "Dear")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.gazetteer import english_zipf, everyday_words, location_subtype, person_names, rare_word
from veil.text.recognizers.base import recognizer
from veil.text.recognizers.words import lowercase_words
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
# a relative, friend or colleague named right after the relation ("my daughter Ines", "her
# great-grandfather was called Tomas Berg"), or anyone "called"/"named" something
KIN = (
    r"(?:(?:great[ \t-]+)*(?:grand|step)?(?:mother|father|son|daughter|child|kid|parent)|wife|husband|"
    r"brother|sister|aunt|uncle|cousin|niece|nephew|partner|fianc[ée]e?|boyfriend|girlfriend|friend|"
    r"colleague|boss|neighbou?r|mom|mum|dad|grandma|grandpa|baby|twin)s?"
)
KIN_NAME = re.compile(
    rf"(?i:\b(?:my|his|her|our|their|your)[ \t]+(?:(?:little|older|younger|elder|late|best|old|new)[ \t]+)?{KIN}"
    rf"(?:[ \t]+(?:was|is)[ \t]+(?:called|named))?,?[ \t]+|\b(?:was|is|were|be|being)[ \t]+(?:called|named)[ \t]+)"
    rf"(?P<name>{FULL_NAME})"
)
_KIN_ROOTS = ("mother", "father", "son", "daughter", "child", "kid", "parent")
KIN_WORDS = frozenset(
    {"called", "named"}
    | {f"{p}{r}{s}" for p in ("", "grand", "step") for r in _KIN_ROOTS for s in ("", "s")}
    | {"children", "grandchildren", "wife", "wives", "husband", "brother", "sister", "aunt", "uncle", "cousin", "niece",
       "nephew", "partner", "fiance", "fiancé", "fiancee", "fiancée", "boyfriend", "girlfriend", "friend", "colleague",
       "boss", "neighbor", "neighbour", "mom", "mum", "dad", "grandma", "grandpa", "baby", "twin"}
    | {"brothers", "sisters", "aunts", "uncles", "cousins", "nieces", "nephews", "partners", "friends", "colleagues",
       "neighbors", "neighbours", "twins", "husbands"}
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
SPEAKER = re.compile(rf"(?m)^[ \t>*-]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD})?):(?:[ \t]|(?=[\"“]))")
LOWER_SPEAKER = re.compile(r"(?m)^[ \t>*-]*(?P<name>[a-zß-öø-ÿ]{2,}):[ \t]*[\"“]")
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
    if not lowercase_words(text).isdisjoint(KIN_WORDS):
        for m in KIN_NAME.finditer(text):
            span = _name_span(m, 0.8, text)
            if span is not None and not everyday_words(text[span.start : span.end], zipf=COMMON_NAME_ZIPF):
                yield span
    if not any(ch.isupper() for ch in text):
        given, _ = person_names()
        if "," in text and "and" in lowercase_words(text):
            yield from _lowercase_name_list(text, given)
        for m in LOWER_SPEAKER.finditer(text):
            if m.group("name").capitalize() in given:
                yield Span(m.start("name"), m.end("name"), "NAME", 0.75, "context")
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


COMMON_NAME_ZIPF = 4.5  # "my friend Sunday", "was called Home": a very frequent word, not a name

# "they had three: anna, brigitte and leonti": a lowercase list whose items are mostly given names
LOWER_LIST = re.compile(r"(?<![\w-])[a-zß-öø-ÿ]{2,}(?:,[ \t]+[a-zß-öø-ÿ]{2,})+,?[ \t]+and[ \t]+[a-zß-öø-ÿ]{2,}(?![\w-])")
LIST_WORD = re.compile(r"[a-zß-öø-ÿ]{2,}")


def _lowercase_name_list(text: str, given: frozenset[str]) -> Iterator[Span]:
    for m in LOWER_LIST.finditer(text):
        items = [w for w in LIST_WORD.finditer(m.group()) if w.group() != "and"]
        known = [w for w in items if w.group().capitalize() in given and english_zipf(w.group()) < COMMON_NAME_ZIPF]
        if len(known) < 2 or 2 * len(known) < len(items):
            continue
        for w in items:
            if w in known or rare_word(w.group()):
                yield Span(m.start() + w.start(), m.start() + w.end(), "NAME", 0.7, "context")


ORG_WORD = r"[A-Z][\w'’&.-]*"
SUFFIXES = (
    r"(?:Inc|LLC|L\.L\.C|Ltd|Limited|GmbH|AG|SA|S\.A|SAS|SRL|BV|B\.V|NV|"
    r"PLC|plc|LLP|LP|Corp|Corporation|Company|Co|Group|Holdings|Partners|Associates|Foundation|Institute|"
    r"University|Bank|Hospital|Clinic|Orchestra|Agency|Industries|Technologies|Systems|Solutions|Software|Labs)\b\.?"
)
COMPANY_SUFFIX = re.compile(rf"(?<![\w-])(?:{ORG_WORD}[ \t]+){{1,4}}{SUFFIXES}")
PARTNERSHIP = re.compile(rf"(?<![\w-]){ORG_WORD}(?:,[ \t]+{ORG_WORD})+,?[ \t]+(?:and|&)[ \t]+{ORG_WORD}(?![\w-])")
LOWER_PARTNERSHIP = re.compile(r"(?<![\w-])[a-z][a-z'’-]+(?:,[ \t]+[a-z][a-z'’-]+)+,?[ \t]+(?:and|&)[ \t]+[a-z][a-z'’-]+(?![\w-])")
ORG_CUE_BEFORE = re.compile(r"(?i)\b(?:at|for|from|with|joined|join|by|of|to)[ \t]+$")
ORG_CUE_AFTER = re.compile(
    r"(?i)[ \t]+(?:is an?|was an?|songwriter|orchestra|agency|company|firm|group|inc|llc|ltd|law|office|partners)\b"
)
MEDICAL_ORG = re.compile(r"(?i)\b(?:hospital|clinic|medical|health|infirmary)\b")
# a family business: "Okafor and Sons", "Lind & Daughters", "Berg Brothers"
FAMILY_FIRM = re.compile(
    rf"(?<![\w-]){ORG_WORD}(?:[ \t]+{ORG_WORD})?[ \t]+(?:(?:and|&)[ \t]+)?(?:Sons|Daughters|Brothers|Bros\.?)(?![\w-])"
)
# a title-cased name joined by a capitalised "And"/"&" inside running text: the word before
# and the word after are lowercase ("the Stone And Reed website", "of Harbour & Crane is")
TITLED_AND = re.compile(
    r"(?<=[a-z,][ \t])(?P<org>(?:[A-Z][\w'’.-]*[ \t]+){1,3}(?:And|&)(?:[ \t]+[A-Z][\w'’.-]*){1,3})"
    r"(?=[ \t]+[a-z]|[ \t]*[.,;:!?\n]|$)"
)
# "the Pelican website", "on the Quillby app": a brand name before the thing it runs
BRAND_BEFORE = re.compile(
    r"\b[Tt]he[ \t]+(?P<org>[A-Z][\w'’&.-]*(?:[ \t]+[A-Z][\w'’&.-]*){0,2})[ \t]+"
    r"(?:website|web[ \t]?site|homepage|app|platform|portal|blog|newsletter|headquarters|offices?|board of directors)\b"
)
# "Kestrel Labs is a nonprofit", "Vossberg-Lind, a 501(c)(3) that ...": a name said to be an organisation
ORG_IS_A = re.compile(
    r"(?P<org>(?<![\w-])[A-Z][\w'’&.-]*(?:[ \t]+(?:[A-Z][\w'’&.-]*|and|&|of)){0,4})(?:[ \t]+(?:is|was)|,)[ \t]+"
    r"(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:501\(c\)\(?3\)?|non-?profit|not-for-profit|charity|company|corporation|"
    r"firm|start-?up|multinational|conglomerate|retailer|manufacturer|insurer|bank|brand|agency|studio|"
    r"consultancy|publisher|organi[sz]ation|foundation|provider|supplier|cooperative)\b"
)
# a list of organisations: when one item carries a company suffix, so do its neighbours' kind
LIST_ITEM = r"[A-Z][\w'’&.-]*(?:[ \t]+[A-Z][\w'’&.-]*){0,3}"
ORG_LIST = re.compile(rf"(?<![\w-]){LIST_ITEM}(?:,[ \t]+{LIST_ITEM})*,?[ \t]+(?:and|&)[ \t]+{LIST_ITEM}(?![\w-])")


@recognizer("organizations", "ORGANIZATION", "ORGANIZATION_MEDICAL_FACILITY")
def find_organizations(text: str) -> Iterator[Span]:
    suffixed = []
    for m in COMPANY_SUFFIX.finditer(text):
        suffixed.append((m.start(), m.end()))
        words = m.group().split()
        article = False
        while words and (words[0] in NOT_NAMES or words[0] in ("The", "A", "An")):
            article = words.pop(0) == "The"
        if len(words) < 2:
            continue
        start = text.find(words[0], m.start(), m.end())
        if article and len(words) >= 2 and IN_SENTENCE_BEFORE.search(text, max(0, start - 8), start - 4):
            start -= 4  # "..., The Fenwick Group invested": a capital "The" inside a sentence is the name's
        label = "ORGANIZATION_MEDICAL_FACILITY" if MEDICAL_ORG.search(m.group()) else "ORGANIZATION"
        yield Span(start, m.end(), label, 0.8, "context")
    for m in PARTNERSHIP.finditer(text):
        if CAPITALISED_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # starts inside a longer name ("Brightline Systems, Quorra and ...")
        if (
            ORG_CUE_BEFORE.search(text, max(0, m.start() - 10), m.start())
            or ORG_CUE_AFTER.match(text, m.end())
            or _alone_on_line(text, m.start(), m.end())  # a letterhead's firm line
            or _partners(m.group())
        ):
            end = m.end()
            suffix = FIRM_SUFFIX.match(text, end)
            if suffix is not None:
                end = suffix.end()
            yield Span(m.start(), end, "ORGANIZATION", 0.75, "context")
    lowered = lowercase_words(text)
    if "and" in lowered and not any(ch.isupper() for ch in text):
        for m in LOWER_PARTNERSHIP.finditer(text):
            if _partners(m.group().title()):
                yield Span(m.start(), m.end(), "ORGANIZATION", 0.7, "context")
    if "and" in lowered or "&" in text:
        yield from _coordinated(text, suffixed)
        if " And " in text or " & " in text:
            for m in TITLED_AND.finditer(text):
                if not _headline(text, m.start()):
                    yield Span(m.start("org"), m.end("org"), "ORGANIZATION", 0.7, "context")
    if not lowered.isdisjoint(FAMILY_WORDS):
        for m in FAMILY_FIRM.finditer(text):
            yield Span(m.start(), m.end(), "ORGANIZATION", 0.8, "context")
    for pattern, triggers in ((BRAND_BEFORE, BRAND_WORDS), (ORG_IS_A, ORG_KIND_WORDS)):
        if lowered.isdisjoint(triggers):
            continue
        for m in pattern.finditer(text):
            value = m.group("org")
            if value.split()[0] in NOT_NAMES or everyday_words(value, names=False):
                continue
            yield Span(m.start("org"), m.end("org"), "ORGANIZATION", 0.75, "context")


# words whose presence lets the rules above run (a set test instead of a regex scan)
FAMILY_WORDS = frozenset({"sons", "daughters", "brothers", "bros"})
BRAND_WORDS = frozenset({"website", "web", "site", "homepage", "app", "platform", "portal", "blog", "newsletter",
                         "headquarters", "board", "office", "offices"})
ORG_KIND_WORDS = frozenset({"c", "nonprofit", "non", "not", "charity", "company", "corporation", "firm", "startup",
                            "start", "multinational", "conglomerate", "retailer", "manufacturer", "insurer", "bank",
                            "brand", "agency", "studio", "consultancy", "publisher", "organization",
                            "organisation", "foundation", "provider", "supplier", "cooperative"})
IN_SENTENCE_BEFORE = re.compile(r"(?:[a-z]|\d,?|[,;])[ \t]$")
CAPITALISED_BEFORE = re.compile(r"(?<![\w'’-])(?!(?:The|A|An)[ \t])[A-Z][\w'’&-]*[ \t]+$")
FIRM_SUFFIX = re.compile(rf"[ \t]+{SUFFIXES}")
PARTNER_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _partners(value: str) -> bool:
    """"Okafor, Lindqvist and Marsh": every word a family name and none a given name (a list
    of people would be given names), so a firm named after its partners."""
    given, family = person_names()
    words = [w for w in PARTNER_WORD.findall(value) if w.lower() != "and"]
    return len(words) >= 3 and all(w in family and w not in given for w in words)


def _coordinated(text: str, suffixed: list[tuple[int, int]]) -> Iterator[Span]:
    """The other items of a list that holds a company with its suffix ("Kestrel, Brightline
    Systems and Olm Partners"): items of one list are of one kind."""
    if not suffixed:
        return
    for m in ORG_LIST.finditer(text):
        if not any(m.start() <= a and b <= m.end() + 1 for a, b in suffixed):
            continue
        for item in re.finditer(LIST_ITEM, m.group()):
            value = item.group()
            if value.split()[0] in NOT_NAMES or everyday_words(value, names=False):
                continue
            yield Span(m.start() + item.start(), m.start() + item.end(), "ORGANIZATION", 0.7, "context")


def _headline(text: str, start: int) -> bool:
    """The phrase sits in a title-cased line (a headline), where capitals say nothing."""
    line_start = text.rfind("\n", 0, start) + 1
    words = text[line_start:start].split()
    return len(words) >= 2 and sum(w[:1].isupper() for w in words) * 2 > len(words)


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


# "Where: Bramley Country Club", "location: old mill inn": a venue's field whose value is a
# place name and the kind of venue; the place name is masked
WHERE_FIELD = re.compile(r"(?im)^[ \t>*-]*(?:where|venue|place)[ \t]*:[ \t]*(?P<value>[^\W\d_][^\n:]{1,60}?)[ \t]*[.!]?[ \t]*$")
VENUE = re.compile(
    r"(?i)[ \t]+(?:country[ \t]+club|golf[ \t]+club|club|hotel|inn|hall|town[ \t]+hall|cent(?:er|re)|park|"
    r"stadium|arena|church|chapel|cathedral|school|college|restaurant|caf[eé]|bar|pub|airport|station|"
    r"library|museum|theat(?:er|re)|gardens?|beach|harbou?r|marina|resort|lodge|manor|castle|square)$"
)


def _where_fields(text: str) -> Iterator[Span]:
    for m in WHERE_FIELD.finditer(text):
        value = m.group("value")
        venue = VENUE.search(value)
        if venue is None or venue.start() == 0:
            continue
        place = value[: venue.start()].rstrip()
        if place.split()[0] in NOT_PLACES or everyday_words(place, names=False):
            continue
        start = m.start("value")
        yield Span(start, start + len(place), location_subtype(place), 0.75, "context")


@recognizer("place_cues", "LOCATION", "LOCATION_CITY", "LOCATION_STATE", "LOCATION_COUNTRY", "LOCATION_ZIP")
def find_places_by_cue(text: str) -> Iterator[Span]:
    """A capitalised place name after a location phrase ("originally from X", "based in X"),
    or after "in" and before a postcode ("in Arendal 4844"), or on the line above a country."""
    if "\n" in text:
        yield from _towns_over_countries(text)
    if ":" in text:
        yield from _where_fields(text)
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
