"""Street addresses, postal codes and coordinates.

Street patterns are built from street-type words of common address formats (English
suffixes such as Street/Ave, continental suffixes such as -straße/-vej/-laan/-vägen,
prefixes such as Rue/Via/Calle/ul.), not from any evaluation data. Matching is anchored
on house numbers (a text without digits costs one scan), then an address block is grown
over the lines or comma-separated parts that follow (unit, town, state code, postcode,
country), as a postal address is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import ALL_LANGUAGES, has_digit, recognizer, values_after_cues
from veil.text.spans import Span

CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω][\w'’.-]*"
EN_SUFFIX = (
    r"(?:Street|Str|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
    r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Row|Crescent|Cres|Close|Grove|Alley|Plaza|"
    r"Walk|Mews|Hill|Gardens|Park|Point|Pike|Loop|Run|Path|Heights|Green|Broadway|Expressway|Freeway|"
    r"Crossroad|Rapids|Islands|Flats|Bridge|Route|Pass|Turnpike|Junction|Estate|Fort|Ridge|Valley|Meadows|"
    r"Springs|Station|Summit|Harbor|Harbour|Port|Shore|Shores|Village|Villages|Wall|Wells|Cape|Camp|Ranch)"
)
ABBREVIATED_SUFFIXES = frozenset(
    [
        "St",
        "Ave",
        "Av",
        "Rd",
        "Blvd",
        "Ln",
        "Dr",
        "Ct",
        "Pl",
        "Ter",
        "Pkwy",
        "Cir",
        "Hwy",
        "Sq",
        "Trl",
        "Cres",
        "st",
        "ave",
        "av",
        "rd",
        "blvd",
        "ln",
        "dr",
        "ct",
        "pl",
    ]
)
CONT_SUFFIXES = (
    "straße",
    "strasse",
    "str.",
    "weg",
    "gasse",
    "platz",
    "allee",
    "ring",
    "damm",
    "ufer",
    "vej",
    "gade",
    "allé",
    "gatan",
    "vägen",
    "väg",
    "gränd",
    "gata",
    "gate",
    "gaten",
    "veien",
    "vegen",
    "veg",
    "stien",
    "sti",
    "laan",
    "straat",
    "plein",
    "dreef",
    "singel",
    "gracht",
    "kade",
    "kuja",
    "katu",
    "tie",
    "polku",
    "kaari",
    "rinne",
    "utca",
    "út",
    "tér",
    "körút",
    "ulica",
    "ulice",
    "cesta",
    "trg",
    "sokak",
    "sokağı",
    "caddesi",
    "bulvarı",
    "odos",
    "vegur",
    "gata",
    "stræti",
    "tee",
    "põik",
    "puiestee",
    "iela",
    "gatvė",
    "hove",
    "hof",
    "steig",
    "terrasse",
    "terrace",
    "vei",
    "bakken",
    "haugen",
    "torget",
    "torv",
    "stig",
    "gärde",
    "backe",
    "lei",
)
# English words that happen to end like a continental street name ("During 1971", "spring 2020")
ENGLISH_SUFFIX_WORDS = frozenset(
    {"during", "spring", "string", "bring", "offering", "bearing", "hiring", "wiring", "boring", "tie", "untie"}
)
CONT_PREFIXES = frozenset(
    w.lower()
    for w in (
        "Rue",
        "Avenue",
        "Av.",
        "Avda.",
        "Avda",
        "Boulevard",
        "Bd",
        "Bld",
        "Chemin",
        "Impasse",
        "Allée",
        "Place",
        "Quai",
        "Route",
        "Via",
        "Viale",
        "Piazza",
        "Corso",
        "Vicolo",
        "Largo",
        "Calle",
        "C/",
        "Avenida",
        "Plaza",
        "Paseo",
        "Carrer",
        "Camino",
        "Rua",
        "Rúa",
        "Travessa",
        "Praça",
        "Estrada",
        "ul.",
        "ulica",
        "al.",
        "Aleja",
        "Odos",
        "Leoforos",
        "trg",
        "Λεωφόρος",
        "Οδός",
        "Quadra",
    )
)
HOUSE = re.compile(r"(?<![\w.,/-])\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?\.?(?![\w-])")
HOUSE_ONLY = re.compile(r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?\.?(?![\w-])")
# the commonest street types are also written in lower case after a capitalised name ("159
# Eleftheriou Venizelou str")
EN_SUFFIX_LOWER = r"(?:street|str|st|avenue|ave|road|rd|lane|drive|boulevard|blvd)"
EN_STREET_AFTER_NUMBER = re.compile(
    rf"\s+(?:[NSEW]\.?\s+)?(?:(?:{CAP}|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}?(?:{EN_SUFFIX}|{EN_SUFFIX_LOWER})\.?(?![\w])"
)
# all-lowercase texts ("3911 fourth avenue suite 112 calgary alberta")
EN_STREET_AFTER_NUMBER_LOWER = re.compile(rf"\s+(?:[a-z0-9]+\s+){{0,3}}?{EN_SUFFIX.lower()}\.?(?![\w])")
CORNER_BEFORE = re.compile(r"(?i)(?:the[ \t]+)?corner[ \t]+of[ \t]+$")
CORNER_AND = re.compile(rf"[ \t]+and[ \t]+(?:{CAP}|\d{{1,5}})(?:[ \t]+{CAP}){{0,3}}")
WORD_BEFORE = re.compile(r"([\w'’.-]+)[ \t]+$")
WORDS_BEFORE = re.compile(r"(?:[^\s,;:!?()\"]+[ \t]+){1,6}$")
UNIT = re.compile(
    r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Bldg|Box|apt|suite|unit)\.?[ \t]*#?[\w-]{1,6}(?![\w])"
)
PO_BOX = re.compile(
    r"(?<!\w)(?:P\.?[ \t]?O\.?[ \t]?Box|Post Office Box|Postbox|Postfach|Apartado|Caixa Postal)[ \t]+\d{1,7}(?!\w)",
    re.IGNORECASE,
)
MILITARY = re.compile(
    r"(?<!\w)(?:PSC|Unit|USNS|USNV|USS|USCGC)[ \t]+[\w’'.-]+(?:[ \t]+[\w’'.-]+)?(?:,?[ \t]+Box[ \t]+\d{1,5})?"
    r"[ \t]*\n?[ \t]*(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5}(?!\d)"
)
# the same in an all-lowercase text ("unit 1009 box 0219\ndpo ap 51065")
MILITARY_END = re.compile(r"(?i)\b[adf]po[ \t]+a[aep][ \t]+\d{5}$")
MILITARY_LOWER = re.compile(MILITARY.pattern.lower())
STANDALONE_UNIT = re.compile(r"(?<!\w)(?i:Apt|Apartment|Suite|Ste)\.?[ \t]*#?\d{1,5}[A-Za-z]?(?!\w)")
STREET_BEFORE_UNIT = re.compile(
    r"(?:(?:^|[\n,])[ \t]*|(?<=[ \t])(?=\d{3,6}[ \t]))((?:\d{3,6}[ \t]+)?[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*(?:[ \t]+[\w'’.-]+){0,3}[ \t]+\d{1,5}[A-Za-z]?\.?)"
    r"[ \t]*(?:,[ \t]*|\n[ \t]*|[ \t]+)$"
)
# a sentence's full stop: after a word of three letters or more, or after a two-capital code
# ("... OSLO NO. I moved"), but not after an abbreviation such as "St."
SENTENCE_DOT = re.compile(r"(?<=[\w']{3})\.(?=\s|$)|(?<=\b[A-Z]{2})\.(?=\s+[A-Z]|\s*$)")
# A quoted or bulleted line starts with a marker: "> " (e-mail quoting), "•", "*", "??? " (a
# bullet that lost its encoding); the block goes on over it.
LINE_MARK = r"(?:[ \t]*(?:>+|\?{2,}|[•·▪*]))?"
SEP = re.compile(rf"[ \t]*(?:,[ \t]*\n?|\n{LINE_MARK}(?:[ \t]*\n{LINE_MARK})?(?:[ \t]*,)?)[ \t]*|[ \t]+")
LINE_MARK_AT_START = re.compile(rf"^{LINE_MARK}[ \t]*")
# a postcode is not followed by more digit groups ("082 490 1693" on the next line is a phone)
POSTCODE_SEGMENT = re.compile(r"(?:[A-Z]{1,2}-)?\d{3,6}(?:[ -]\d{2,4})?(?![\w-])(?![ \t]\d)")
STATE_CODE = re.compile(r"[A-Z]{2,3}(?![\w-])")
# a region or department number on its own line of a postal block, above the postcode ("Lyon\n, 69\n 69003")
REGION_NUMBER = re.compile(r"\d{1,3}(?=[ \t]*\n[ \t>*]*(?:[A-Z]{1,2}-)?\d{3,6}(?![\w-]))")
# a region written in lower case before a postcode, after a comma ("delmas, mp 35739")
STATE_BEFORE_POSTCODE = re.compile(r"[a-z]{2,3}(?=[ \t]+\d{3,6}(?![\w-]))")
PLACE_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω∆][\w'’.∆-]*|[a-zß-öø-ÿ][\w'’-]*)"
CONNECTOR = r"(?:de|del|do|da|dos|das|di|la|le|les|u|nad|pod|an|am|im|en|sur|sous|van|von|der|den|y|e|i)"
# a place word: letters with inner apostrophes, dots or hyphens ("O'Warren", "Fort-de-France")
PW = r"[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω∆][^\W\d_]*(?:['’.∆-][^\W\d_]*)*"
PLACE = re.compile(
    rf"{PW}(?:[ \t]+\([\w'’.∆ -]+\))?(?:[ \t]+(?:{CONNECTOR}[ \t]+)?(?:{PW}|\([\w'’.∆ -]+\))){{0,3}}(?![\w:])"
)
LOWER_PLACE = re.compile(r"[a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[a-zß-öø-ÿ][\w'’-]*){0,2}(?![\w:])")
NOT_PLACE = frozenset(
    {
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "it",
        "please",
        "thanks",
        "thank",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "the",
        "a",
        "an",
        "to",
        "from",
        "mobile",
        "phone",
        "email",
        "e-mail",
        "fax",
        "desk",
        "tel",
        "website",
        "web",
        "office",
        "is",
        "was",
        "if",
        "when",
        "after",
        "before",
        "with",
        "by",
        "this",
        "that",
        "my",
        "your",
        "our",
        "street",
        "st",
        "road",
        "so",
        "then",
        "as",
        "where",
        "which",
        "who",
        "call",
        "let",
        "pedestrians",
        "there",
        "here",
        "near",
        "next",
        "first",
        "last",
        "every",
        "all",
        "no",
        "yes",
    }
)
ZIP_CUE = re.compile(
    r"(?i)\b(?:zip(?:\s*code)?|postal\s*code|postcode|post\s*code|plz|cep|code postal)\b\s*(?:is|:|#)?\s*"
)
# A postcode's second part has a digit ("SW1A 1AA", "K1A 0B6", "80203-1234", "123 45") or is
# the two capitals of a Dutch one ("1012 AB"): "80203 and my husband" ends at "80203".
ZIP_VALUE = re.compile(
    r"(?<![\w-])(?=[A-Z0-9 -]*\d)[A-Z0-9]{2,5}"
    r"(?:[ -](?=[A-Z]{0,3}\d)[A-Z0-9]{2,4}|(?<=(?<![\w-])\d{4}) (?-i:[A-Z]{2}))?(?![\w-])",
    re.IGNORECASE,
)
US_STATE_ABBR = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    r"ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)"
)
US_ZIP = re.compile(rf"(?<=[\s,]){US_STATE_ABBR},?\s+(\d{{5}}(?:-\d{{4}})?)(?![\w-])")
UK_POSTCODE = re.compile(r"(?<![A-Z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![A-Z0-9])")
CA_POSTCODE = re.compile(
    r"(?<![A-Z0-9])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d(?![A-Z0-9])"
)
# A bare postcode written next to a place (city, country, street): used by the engine's address pass.
POSTCODE_SHAPE = re.compile(r"(?<![\w-])(?:\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{5}-\d{4})(?![\w-])")
LEADING_POSTCODE = re.compile(r"(?<![\w.,-])(\d{3,6}(?: \d{2})?)[ \t]+$")
COORDINATE = re.compile(
    r"(?<![\w.])[-+]?(?:[1-8]?\d\.\d{3,}|90\.0{3,})\s*°?\s*[NS]?\s*,\s*[-+]?(?:1[0-7]\d|\d{1,2})\.\d{3,}\s*°?\s*[EW]?(?![\w.])"
    r"|(?<!\w)\d{1,3}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[NSEW],?\s*\d{1,3}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[NSEW]"
)


# A street written as name then number ("Ilirska 12", "Ramon Ortega 1834") is only taken
# after an address cue or with a building number in front ("4102 Sokolská 118"); a bare
# "Name 12" is too often something else ("Windows 10", "Apollo 11").
ADDRESS_CUE = re.compile(
    r"(?i)(?:\baddress(?:es)?\b[^\n.?!]{0,20}?(?::|\bis\b|\bare\b)|\b(?:lives?|living|located|situated|reside[sd]?|based|moved)"
    r"[ \t]+(?:on|at|in|to)|\bcorner[ \t]+of|\bside[ \t]+of|\benter[ \t]+(?:on|at|via)|"
    r"\b(?:send|ship|deliver|mail|post|return|forward)(?:ed)?[ \t]+(?:it[ \t]+|them[ \t]+)?to)[ \t]+"
)
NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ŽΑ-ΩΆ-Ώ][^\W\d_]*(?:['’.-][^\W\d_]*)*\.?"
LOWER_NAME_WORD = r"[a-zß-öø-ÿā-ž][^\W\d_]*\.?"
NAME_CONNECTOR = r"(?:de|del|da|do|dos|das|di|van|von|der|den|la|le|el|u\.|út|utca|ul\.|al\.|tr\.)"
NAMED_STREET = re.compile(
    rf"(?:\d{{1,6}}[ \t]+)?(?:{NAME_WORD}|{NAME_CONNECTOR})(?:[ \t]+(?:{NAME_WORD}|{NAME_CONNECTOR})){{0,3}}"
    rf"[ \t]+\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?\.?(?![\w-])"
)
# after an address cue, the words after the first may be lowercase ("Budai kapu 12.",
# "Szent István útja 8.")
CUED_STREET = re.compile(
    rf"(?:\d{{1,6}}[ \t]+)?(?:{NAME_WORD}|{NAME_CONNECTOR})(?:[ \t]+(?:{NAME_WORD}|{NAME_CONNECTOR}|{LOWER_NAME_WORD})){{0,3}}"
    rf"[ \t]+\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?\.?(?![\w-])"
)
NUMBERED_NAMED_STREET = re.compile(
    rf"(?<![\w.,/-])\d{{2,6}}[ \t]+(?:\d{{1,5}}[ \t]+)?{NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|{NAME_CONNECTOR})){{0,3}}"
    rf"(?:[ \t]+\d{{1,5}}[A-Za-z]?\.?)?(?![\w-])"
)


# "Oskar and Heiðargata 21", "Marisol and Rúa do Castro 12": a crossing written without "corner
# of" (a street name, "and", a street with its number) after an address cue or at a line start
CROSSING_HEAD = re.compile(rf"{NAME_WORD}[ \t]+and[ \t]+")
CROSSING_BEFORE = re.compile(rf"(?:^|(?<=[\s:?>]))({NAME_WORD})[ \t]+and[ \t]+$")
CROSSING_LEAD = re.compile(r"(?im)(?:^[ \t>*-]*|[:?][ \t]*|\b(?:to|at|is|on|are)[ \t]+)$")


def _crossing_start(text: str, start: int) -> int:
    """Where a street starts when a crossing street is written before it ("Leon and ...")."""
    m = CROSSING_BEFORE.search(text, max(0, start - 40), start)
    if m is None or m.group(1) in ("The", "This", "That", "And", "Or", "But"):
        return start
    lead = CROSSING_LEAD.search(text, max(0, m.start(1) - 30), m.start(1))
    return m.start(1) if lead is not None else start


def _named_streets(text: str) -> Iterator[tuple[int, int]]:
    for cue in ADDRESS_CUE.finditer(text):
        m = CUED_STREET.match(text, cue.end())
        head = CROSSING_HEAD.match(text, cue.end()) if m is None else None
        if head is not None:
            m = CUED_STREET.match(text, head.end())
        if m is not None:
            yield m.start(), _strip_sentence_dot(text, m.start(), m.end())
    for m in NUMBERED_NAMED_STREET.finditer(text):
        value = m.group()
        numbers = re.findall(r"(?<![\w.])\d+", value)
        if len(numbers) >= 2 and not re.match(r"\d+[ \t]+\d+[ \t]+\d", value):
            yield m.start(), _strip_sentence_dot(text, m.start(), m.end())


# Hungarian house numbers are ordinals written with a dot ("Rákóczi u. 27.", "Kossuth tér 4.")
HUNGARIAN_ORDINAL = re.compile(r"(?i)(?<!\w)(?:u|út|utca|tér|körút|krt|köz|sor|kapu|sétány|rakpart)\.?[ \t]+\d+\.$")


def _strip_sentence_dot(text: str, start: int, end: int) -> int:
    """"Ilirska 12." at the end of a sentence: the dot is punctuation, "u. 12." keeps it."""
    hungarian = HUNGARIAN_ORDINAL.search(text[start:end]) is not None
    if text[end - 1] == "." and not hungarian and (end == len(text) or text[end].isspace()):
        return end - 1
    return end


def _street_at_number(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """A street written around the house number ``m`` (number first or street name first)."""
    start, end = m.start(), m.end()
    line_start = text.rfind("\n", 0, start) + 1
    window = text[max(line_start, start - 70) : start]
    before = WORD_BEFORE.search(window)
    if before is not None:
        word = before.group(1).lower()
        suffixed = word.endswith(CONT_SUFFIXES) and word not in ENGLISH_SUFFIX_WORDS
        if suffixed or word in ("u.", "út", "tee", "str.", "g.", "vej", "gate"):
            s = start - len(window) + before.start(1)
            # take up to two more capitalised words before a suffixed street name
            for _ in range(2):
                prev = WORD_BEFORE.search(text, max(line_start, s - 40), s)
                if prev is None or not prev.group(1)[:1].isupper() or prev.group(1).lower() in NOT_PLACE:
                    break
                s = prev.start(1)
            return s, _strip_sentence_dot(text, s, end)
    words = WORDS_BEFORE.search(window)
    if words is not None:
        offset = start - len(window) + words.start()
        tokens = list(re.finditer(r"\S+", window[words.start() :]))
        for tok in tokens:
            if tok.group().lower() in CONT_PREFIXES:
                return offset + tok.start(), _strip_sentence_dot(text, offset + tok.start(), end)
    after = EN_STREET_AFTER_NUMBER.match(text, end)
    if after is not None and after.group().split()[0].lower() in CONT_PREFIXES:
        after = None  # "214 Avenue Montclair St.": a prefixed street (below), the "St." is not its suffix
    if after is None and text.islower():
        after = EN_STREET_AFTER_NUMBER_LOWER.match(text, end)
    if after is not None:
        stop = after.end()
        if text[stop - 1] == "." and text[start : stop - 1].split()[-1] not in ABBREVIATED_SUFFIXES:
            stop -= 1  # "Main Street." ends a sentence; "Main St." is an abbreviation
        return start, stop
    # number first, then a prefixed street: "12 rue de la Paix", "18 Rue lavandier"
    nxt = re.match(r"[ \t]+(\S+)((?:[ \t]+[\w'’.-]+){1,4})", text[end : end + 80])
    if nxt is not None and nxt.group(1).lower() in CONT_PREFIXES:
        tail = nxt.group(2)
        cut = re.search(r"[ \t]+(?:St\.|the|in|and|for|on|at|street)(?!\w)", tail)
        tail_end = cut.start() if cut else len(tail)
        return start, end + nxt.start(2) + tail_end
    return None


def _grow_block(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Extend a street over a leading postcode and the unit/town/state/postcode/country parts after it."""
    grown = False
    if MILITARY_END.search(text, start, end):
        return start, end, False  # "... APO AE 99081" is a whole address already
    lead = LEADING_POSTCODE.search(text, max(0, start - 12), start)
    if lead is not None:
        start = lead.start(1)
        grown = True
    corner = CORNER_BEFORE.search(text, max(0, start - 20), start)
    if corner is not None:
        both = CORNER_AND.match(text, end + 1 if text.startswith(".", end) else end)
        if both is not None:
            start, end, grown = corner.start(), _strip_sentence_dot(text, corner.start(), both.end()), True
    newlines = 0
    lowercase = not any(ch.isupper() for ch in text)  # chat: places after commas are lowercase too
    for _ in range(8):
        sep = SEP.match(text, end)
        if sep is None or sep.end() >= len(text):
            break
        sep_text = sep.group()
        hard = "," in sep_text or "\n" in sep_text
        pos = sep.end()
        nl = sep_text.count("\n")
        if newlines + nl > 4:
            break
        seg = UNIT.match(text, pos) or POSTCODE_SEGMENT.match(text, pos) or UK_POSTCODE.match(text, pos)
        if seg is None:
            seg = (
                STATE_CODE.match(text, pos) or STATE_BEFORE_POSTCODE.match(text, pos) or REGION_NUMBER.match(text, pos)
                if hard
                else STATE_CODE.match(text, pos)
            )
        if seg is None:
            place = PLACE.match(text, pos)
            if place is not None:
                words = place.group().split()
                first = words[0].lower().strip(".,")
                if first in NOT_PLACE and not (first == "st" and len(words) > 1):  # "St Georges" is a place
                    place = None
                else:
                    dot = SENTENCE_DOT.search(place.group())
                    if dot is not None:  # "Norway. Thanks": the block ends with the sentence
                        seg_end = pos + dot.start()
                        newlines += nl
                        end = seg_end
                        grown = True
                        break
            if place is None and hard and ("\n" in sep_text or lowercase):
                place = LOWER_PLACE.match(text, pos)
                if place is not None and place.group().split()[0].lower() in NOT_PLACE:
                    place = None
            seg = place
            if seg is not None and not hard and not _looks_like_address_tail(text, seg.end()):
                seg = None
        if seg is None:
            break
        newlines += nl
        end = seg.end()
        grown = True
    return start, end, grown


def _looks_like_address_tail(text: str, pos: int) -> bool:
    """After a space-separated place word, the block goes on only if a comma, newline, code or end follows."""
    rest = text[pos : pos + 12]
    return bool(re.match(r"[ \t]*(?:$|[,\n?!]|\.(?:\s|$)|[A-Z]{2,3}\b|\d{3,6}\b)", rest))


@recognizer(
    "street",
    "LOCATION_ADDRESS",
    "LOCATION_ADDRESS_STREET",
    "LOCATION_CITY",
    "LOCATION_STATE",
    "LOCATION_COUNTRY",
    "LOCATION_ZIP",
)
def find_streets(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return
    anchors: list[tuple[int, int]] = []
    for m in HOUSE.finditer(text):
        found = _street_at_number(text, m)
        if found is not None:
            anchors.append(found)
    anchors.extend(_named_streets(text))
    for pattern in (PO_BOX, MILITARY, MILITARY_LOWER):
        for m in pattern.finditer(text):
            anchors.append((m.start(), m.end()))
    for m in STANDALONE_UNIT.finditer(text):
        # a unit line usually follows the street line: take a "Name 46" segment just before it
        before = STREET_BEFORE_UNIT.search(text, max(0, m.start() - 80), m.start())
        anchors.append((before.start(1) if before is not None else m.start(), m.end()))
    anchors = [(_crossing_start(text, a), b) for a, b in anchors]
    anchors.sort()
    merged: list[list[int]] = []
    for s, e in anchors:
        if merged and (s <= merged[-1][1] + 1 or SEP.fullmatch(text, merged[-1][1], s)):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in merged:
        value_end = e
        while value_end > s and text[value_end - 1] in " ,":
            value_end -= 1
        bs, be, grown = _grow_block(text, s, value_end)
        if grown and _is_field_block(text, bs, be):
            yield from _block_fields(text, bs, be)
        elif (
            grown
            and bs == s
            and _split_building_number(text, s, value_end)
            and (town := _town_after_street(text, s, value_end, be)) is not None
        ):
            # "lives at 51230 Rua do Carmo 417, Braga": written field by field (building
            # number, street, town) with nothing else: three fields, as in a letterhead block
            yield from _split_street(text, s, value_end)
            yield town
        elif grown and be == value_end and _split_building_number(text, bs, be):
            # "11834 Kvarngatan 3": a building number in front of a street that has its own
            yield from _split_street(text, bs, be)
        elif grown:
            yield Span(
                bs,
                be,
                "LOCATION_ADDRESS",
                0.85,
                "pattern",
                parts=((s, value_end, "LOCATION_ADDRESS_STREET"),),
            )
        elif _split_building_number(text, s, value_end):
            yield from _split_street(text, s, value_end)
        else:
            yield Span(s, value_end, "LOCATION_ADDRESS_STREET", 0.85, "pattern")


TOWN_AFTER_STREET = re.compile(r",[ \t]*")
TOWN_END = re.compile(r"[ \t]*(?:$|[.!?;)\"”](?:\s|$))")


def _town_after_street(text: str, start: int, street_end: int, end: int) -> Span | None:
    """The town of a one-line "building street, Town" address that has nothing else (no unit,
    state, postcode or country) and ends with the sentence."""
    comma = TOWN_AFTER_STREET.match(text, street_end, end)
    if comma is None or "\n" in text[start:end] or UNIT.search(text, start, street_end) is not None:
        return None
    place = PLACE.fullmatch(text, comma.end(), end)
    if place is None or TOWN_END.match(text, end) is None:
        return None
    from veil.text.gazetteer import location_subtype

    value = place.group()
    if STATE_CODE.fullmatch(value) or location_subtype(value) != "LOCATION_CITY":
        return None
    return Span(place.start(), place.end(), "LOCATION_CITY", 0.8, "pattern")


LEAD_NUMBER = re.compile(r"(\d{3,6})[ \t]+")
HAS_HOUSE_NUMBER = re.compile(r"(?<![\w.,/-])\d{1,5}[A-Za-z]?\.?(?![\w-])")


def _split_building_number(text: str, start: int, end: int) -> bool:
    """Whether a street starts with a separate number before a street that carries its own house
    number ("30418 1175 Maple St", "41276 Kaasiku 9"): two numbers, two address fields."""
    lead = LEAD_NUMBER.match(text, start, end)
    if lead is None:
        return False
    rest = text[lead.end() : end]
    return any(ch.isalpha() for ch in rest) and HAS_HOUSE_NUMBER.search(rest) is not None


def _split_street(text: str, start: int, end: int) -> Iterator[Span]:
    """The building number and the street after it, as two street fields."""
    lead = LEAD_NUMBER.match(text, start, end)
    if lead is None:
        yield Span(start, end, "LOCATION_ADDRESS_STREET", 0.85, "pattern")
        return
    yield Span(start, lead.end(1), "LOCATION_ADDRESS_STREET", 0.85, "pattern")
    yield Span(lead.end(), end, "LOCATION_ADDRESS_STREET", 0.85, "pattern")


def _is_field_block(text: str, start: int, end: int) -> bool:
    """A postal block laid out one field per line on lines of its own (a letterhead or a
    signature, not an address inside a sentence) and without "Town, ST" parts: each line is
    reported as its own field (street, unit, town, country, postcode)."""
    value = text[start:end]
    if "\n" not in value or "," in value:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : line_end if line_end >= 0 else len(text)]
    if after.strip(" \t."):
        return False
    if value.count("\n") >= 2:
        return LINE_MARK_AT_START.fullmatch(before) is not None
    # two lines after a name, and nothing else in the text: "Mrs. Ann Lee Apt. 6 12 Elm Rd\nOdense NO 9100"
    return text[:line_start].strip() == "" and text[end:].strip(" \t.") == "" and NAME_PREFIX.fullmatch(before) is not None


NAME_PREFIX = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*(?:[ \t]+(?:[A-Z]\.?|[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*)){1,3}[ \t]+"
)
LEADING_UNIT = re.compile(rf"({UNIT.pattern})[ \t]+(?=\d)")
TRAILING_STATE = re.compile(r"[ \t]+([A-Z]{2,3})$")


TRAILING_UNIT = re.compile(rf"[ \t]+({UNIT.pattern})$")


def _block_fields(text: str, start: int, end: int) -> Iterator[Span]:
    from veil.text.gazetteer import location_subtype

    pos = start
    first = True
    for line in text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        mark = LINE_MARK_AT_START.match(line) if not first else None
        lead = mark.end() if mark is not None else len(line) - len(line.lstrip())
        stripped = line[lead:].strip()
        if not stripped:
            continue
        a = line_start + lead
        b = a + len(stripped)
        if first:
            first = False
            # "31764 Kuusitie 19 Apt. 207": the unit is a field of its own, as on a line of its own
            lead_unit = LEADING_UNIT.match(stripped)
            if lead_unit is not None:  # "Apt. 118 40517 Skovvej 27": the unit written first
                yield Span(a, a + lead_unit.end(1), "LOCATION_ADDRESS_STREET", 0.85, "pattern")
                a += lead_unit.end()
                stripped = text[a:b]
            unit = TRAILING_UNIT.search(stripped)
            street_end = a + unit.start() if unit is not None and unit.start() > 0 else b
            if _split_building_number(text, a, street_end):
                yield from _split_street(text, a, street_end)
            else:
                yield Span(a, street_end, "LOCATION_ADDRESS_STREET", 0.85, "pattern")
            if street_end < b and unit is not None:
                yield Span(a + unit.start(1), b, "LOCATION_ADDRESS_STREET", 0.85, "pattern")
            continue
        if UNIT.fullmatch(stripped) or PO_BOX.fullmatch(stripped):
            yield Span(a, b, "LOCATION_ADDRESS_STREET", 0.85, "pattern")
            continue
        code = re.search(r"[ \t]+((?:[A-Z]{1,2}-)?\d{3,6}(?:[ -]\d{2,4})?)$", stripped)
        if code is not None:
            yield Span(a + code.start(1), a + code.end(1), "LOCATION_ZIP", 0.85, "pattern")
            b = a + code.start()
        elif POSTCODE_SEGMENT.fullmatch(stripped):
            yield Span(a, b, "LOCATION_ZIP", 0.85, "pattern")
            continue
        place = text[a:b]
        state = TRAILING_STATE.search(place)
        if state is not None and state.start() > 0:  # "Odense NO": the town, then its region code
            yield Span(a + state.start(1), b, "LOCATION_STATE", 0.8, "pattern")
            b = a + state.start()
            place = text[a:b]
        if STATE_CODE.fullmatch(place):
            yield Span(a, b, "LOCATION_STATE", 0.8, "pattern")
        elif place:
            yield Span(a, b, location_subtype(place), 0.8, "pattern")


@recognizer("zip", "LOCATION_ZIP")
def find_zips(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in values_after_cues(text, ZIP_CUE, ZIP_VALUE, 8):
        yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.9, "context")
    for m in US_ZIP.finditer(text):
        yield Span(m.start(1), m.end(1), "LOCATION_ZIP", 0.85, "pattern")
    for m in UK_POSTCODE.finditer(text):
        if len(m.group()) >= 5:
            yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.8, "pattern")
    for m in CA_POSTCODE.finditer(text):
        yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.8, "pattern")


@recognizer("coordinate", "LOCATION_COORDINATE", languages=ALL_LANGUAGES)
def find_coordinates(text: str) -> Iterator[Span]:
    if "." not in text and "°" not in text:
        return
    for m in COORDINATE.finditer(text):
        yield Span(m.start(), m.end(), "LOCATION_COORDINATE", 0.9, "pattern")
