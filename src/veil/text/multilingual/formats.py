"""Local formats per language: phone numbers, national ids with checksums, dates, postcodes, streets.

- phones: ``phonenumbers.PhoneNumberMatcher`` with the language's regions (DE/AT/CH for German,
  PT/BR for Portuguese, ...), leniency VALID, so a number must be a real number of its region;
- national ids (reported as SSN, the engine's class for national identity numbers), validated by
  python-stdnum: DE Steuer-ID (``de.idnr``), IT codice fiscale, ES DNI and NIE, FR NIR, PT NIF and
  Cartão de Cidadão, KR resident registration number; two that python-stdnum lacks are checked
  here: the German Personalausweis serial (ICAO 9303 7-3-1 check digit) and the Portuguese NISS
  (weights 29, 23, 19, 17, 13, 11, 7, 5, 3, 2; check = 9 - sum mod 10);
- dates written the local way ("12. März 2024", "12 de março de 2024", "le 1er mars 2024",
  "12 marzo 2024", "2024년 3월 12일") and numeric d.m.y / d/m/y; with a birth cue they are DOB;
- postcodes: Portuguese ``NNNN-NNN`` always, five digits before a place name or after a postcode
  cue (PLZ, CP, CAP, code postal, 우편번호);
- street addresses: the street-type word of each language with a house number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from stdnum.es import dni, nie
from stdnum.exceptions import ValidationError
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.kr import rrn
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif

from veil.text.spans import Span

REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB"), "fr": ("FR", "BE", "CH"), "es": ("ES", "MX"), "it": ("IT",), "de": ("DE", "AT", "CH"),
    "pt": ("PT", "BR"), "ko": ("KR",),
}

MONTHS: dict[str, tuple[str, ...]] = {
    "de": ("Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember", "Jan", "Feb", "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Okt", "Nov", "Dez"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
           "octubre", "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
}
BIRTH_CUE = re.compile(
    r"(?i)(?:geboren|geb\.|geburtsdatum|geburtstag|né|née|naissance|nacid[oa]|nacimiento|nat[oa]\b|nascita|"
    r"nascid[oa]|nascimento|born|birth|생년월일|출생|태어)"
)


@lru_cache(maxsize=8)
def _date_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    numeric = re.compile(r"(?<![\d.,/-])(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})(?![\d/-]|\.\d)")
    iso = re.compile(r"(?<![\d-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])")
    if lang == "ko":
        return (
            re.compile(r"(?<!\d)\d{4}\s*년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?"),
            re.compile(r"(?<!\d)\d{1,2}\s*월\s*\d{1,2}\s*일"),
            re.compile(r"(?<!\d)\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?(?!\d)"),
            iso,
        )
    months = MONTHS.get(lang)
    if not months:
        return (numeric, iso)
    alt = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    day = r"(?:0?[1-9]|[12]\d|3[01])"
    if lang == "de":
        word = rf"(?<!\d){day}\.\s?(?:{alt})\.?(?:\s+\d{{4}})?(?!\w)"
    elif lang == "fr":
        word = rf"(?i:(?<!\d)(?:1er|{day})\s+(?:{alt})\.?(?:\s+\d{{4}})?(?!\w))"
    elif lang in ("es", "pt"):
        word = rf"(?i:(?<!\d){day}\s+de\s+(?:{alt})(?:\s+(?:de|del)\s+\d{{4}})?(?!\w))"
    else:
        word = rf"(?i:(?<!\d){day}\s+(?:{alt})(?:\s+\d{{4}})?(?!\w))"
    month_year = rf"(?i:(?<!\w)(?:{alt})\s+(?:de\s+)?\d{{4}}(?!\d))"
    return (re.compile(word), re.compile(month_year), numeric, iso)


def find_dates(text: str, lang: str) -> Iterator[Span]:
    taken: list[tuple[int, int]] = []
    for pattern in _date_patterns(lang):
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            span = Span(m.start(), m.end(), "DATE", 0.85, "pattern")
            if BIRTH_CUE.search(text, max(0, m.start() - 40), m.start()):
                span = Span(m.start(), m.end(), "DOB", 0.9, "pattern")
                span.labels = {"DOB": 0.9, "DATE": 0.85}
            yield span


def find_phones(text: str, lang: str) -> Iterator[Span]:
    seen: set[tuple[int, int]] = set()
    for region in REGIONS.get(lang, ("US",)):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            key = (match.start, match.end)
            if key not in seen:
                seen.add(key)
                yield Span(match.start, match.end, "PHONE_NUMBER", 0.9, "validated")


# ---- national ids -------------------------------------------------------------------------------

def _valid(module: object, value: str) -> bool:
    try:
        module.validate(value)  # type: ignore[attr-defined]
    except ValidationError:
        return False
    return True


PERSONALAUSWEIS_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def personalausweis_valid(value: str) -> bool:
    """German identity card serial (since 2010): 9 characters + check digit, ICAO 9303 weights 7-3-1."""
    value = value.strip().upper()
    if not re.fullmatch(r"[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d", value):
        return False
    weights = (7, 3, 1)
    total = sum(PERSONALAUSWEIS_CHARS.index(ch) * weights[i % 3] for i, ch in enumerate(value[:9]))
    return total % 10 == int(value[9])


def niss_valid(value: str) -> bool:
    """Portuguese social security number: 11 digits starting 1 or 2, weighted check digit."""
    value = re.sub(r"\s", "", value)
    if not re.fullmatch(r"[12]\d{10}", value):
        return False
    weights = (29, 23, 19, 17, 13, 11, 7, 5, 3, 2)
    total = sum(int(d) * w for d, w in zip(value[:10], weights, strict=True))
    return 9 - total % 10 == int(value[10])


def steuer_id_valid(value: str) -> bool:
    from stdnum.de import idnr

    return _valid(idnr, value)


# Boundaries exclude Latin letters and digits only: Korean particles follow ids directly ("...입니다").
ID_PATTERNS: tuple[tuple[str, re.Pattern[str], object], ...] = (
    ("de", re.compile(r"(?<![0-9A-Za-z-])\d{2} ?\d{3} ?\d{3} ?\d{3}(?![0-9A-Za-z-])"), steuer_id_valid),
    ("de", re.compile(r"(?<![0-9A-Za-z-])[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d(?![0-9A-Za-z-])"), personalausweis_valid),
    ("it", re.compile(r"(?<![0-9A-Za-z-])[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z](?![0-9A-Za-z-])"), codicefiscale),
    ("es", re.compile(r"(?<![0-9A-Za-z-])\d{8}-?[A-Za-z](?![0-9A-Za-z-])"), dni),
    ("es", re.compile(r"(?<![0-9A-Za-z-])[XYZxyz]-?\d{7}-?[A-Za-z](?![0-9A-Za-z-])"), nie),
    ("fr", re.compile(r"(?<![0-9A-Za-z-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![0-9A-Za-z-])"), nir),
    ("pt", re.compile(r"(?<![0-9A-Za-z-])\d{3} ?\d{3} ?\d{3}(?![0-9A-Za-z-])"), pt_nif),
    ("pt", re.compile(r"(?<![0-9A-Za-z-])\d{8} ?\d ?[A-Za-z0-9]{2}\d(?![0-9A-Za-z-])"), pt_cc),
    ("pt", re.compile(r"(?<![0-9A-Za-z-])[12]\d{10}(?![0-9A-Za-z-])"), niss_valid),
    ("ko", re.compile(r"(?<![0-9A-Za-z-])\d{6}-?[1-8]\d{6}(?![0-9A-Za-z-])"), rrn),
)


def find_national_ids(text: str, lang: str) -> Iterator[Span]:
    """Checksum-valid national ids. Every language's ids are looked for (a German text may quote
    an Italian codice fiscale); ids of the text's own language score higher."""
    for id_lang, pattern, check in ID_PATTERNS:
        for m in pattern.finditer(text):
            value = m.group()
            ok = check(value) if callable(check) and not hasattr(check, "validate") else _valid(check, value)
            if ok:
                yield Span(m.start(), m.end(), "SSN", 0.95 if id_lang == lang else 0.85, "validated")


# ---- postcodes and streets ----------------------------------------------------------------------

PT_POSTCODE = re.compile(r"(?<![0-9A-Za-z-])\d{4}-\d{3}(?![0-9A-Za-z-])")
POSTCODE_BEFORE_PLACE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}-)?\d{5}(?=\s+[A-ZÀ-Ý][\w'’-]+)")
POSTCODE_CUE = re.compile(r"(?i)(?:\bPLZ|\bCP\b|\bCAP\b|code postal|código postal|codice postale|우편번호)[\s:.]*(\d{4,5}(?:-\d{3})?)")
STREET_WORDS: dict[str, str] = {
    "de": r"[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|allee|gasse|platz|ring|damm|ufer|chaussee)",
    "fr": r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s+(?:d[eu']\s?|des\s+|de\s+la\s+|la\s+|le\s+)?[\w'’ -]{2,40}?",
    "es": r"(?:[Cc]alle|C/|[Aa]venida|Avda\.?|[Pp]aseo|[Pp]laza|[Cc]amino|[Cc]arretera|[Rr]onda)\s+(?:de\s+(?:la\s+|los\s+|las\s+)?|del\s+)?[\w'’ -]{2,40}?",
    "it": r"(?:[Vv]ia|[Vv]iale|[Pp]iazza|[Cc]orso|[Vv]icolo|[Ll]argo|[Pp]iazzale|[Ll]ungomare)\s+(?:d[ei]l?l?[a']?\s?)?[\w'’ -]{2,40}?",
    "pt": r"(?:[Rr]ua|[Aa]venida|Av\.|[Tt]ravessa|[Ll]argo|[Pp]raça|[Aa]lameda|[Ee]strada|[Rr]odovia)\s+(?:d[aoe]s?\s+)?[\w'’ -]{2,40}?",
}


@lru_cache(maxsize=8)
def _street_pattern(lang: str) -> re.Pattern[str] | None:
    word = STREET_WORDS.get(lang)
    if word is None:
        return None
    number = r"\d{1,4}(?:[a-zA-Z](?!\w))?(?:[-/]\d{1,4})?"
    if lang == "fr":
        return re.compile(rf"(?<!\w){number}(?:\s?(?:bis|ter))?,?\s+{word}(?=[,.;\n]|\s+\d{{5}}|$)")
    if lang == "de":
        return re.compile(rf"(?<!\w){word}\s+{number}(?!\w)")
    return re.compile(rf"(?<!\w){word},?\s+(?:n\.?º?\s?|nº\s?)?{number}(?!\w)")


KO_STREET = re.compile(r"[가-힣]{1,10}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?(?:번길\s?\d{1,4})?")


def find_postcodes_and_streets(text: str, lang: str) -> Iterator[Span]:
    if lang == "pt":
        for m in PT_POSTCODE.finditer(text):
            yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.85, "pattern")
    if lang in ("de", "fr", "es", "it"):
        for m in POSTCODE_BEFORE_PLACE.finditer(text):
            yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.75, "context")
    for m in POSTCODE_CUE.finditer(text):
        yield Span(m.start(1), m.end(1), "LOCATION_ZIP", 0.85, "context")
    pattern = _street_pattern(lang)
    if pattern is not None:
        for m in pattern.finditer(text):
            yield Span(m.start(), m.end(), "LOCATION_ADDRESS_STREET", 0.8, "pattern")
    if lang == "ko":
        from veil.text.multilingual.korean import is_road_name

        for m in KO_STREET.finditer(text):
            # "테헤란로 123" is a street; "기준으로 9" is the particle 로 before a number
            if is_road_name(text, m.start(), m.end()):
                yield Span(m.start(), m.end(), "LOCATION_ADDRESS_STREET", 0.8, "pattern")


def find_formats(text: str, lang: str) -> list[Span]:
    """Every local-format span of ``text`` read as language ``lang``."""
    out: list[Span] = []
    out.extend(find_phones(text, lang))
    out.extend(find_national_ids(text, lang))
    out.extend(find_dates(text, lang))
    out.extend(find_postcodes_and_streets(text, lang))
    return out
