"""Street addresses, postal codes and coordinates.

Street patterns are built from street-type words of common address formats (English
suffixes such as Street/Ave, continental suffixes such as -straße/-vej/-laan/-vägen,
prefixes such as Rue/Via/Calle/ul.), not from any evaluation data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import recognizer, values_after_cues
from veil.text.spans import Span

CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*"
WORD = r"[\w'’.-]+"
EN_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
    r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Row|Crescent|Cres|Close|Grove|Alley|Plaza|"
    r"Walk|Mews|Hill|Gardens|Park|Point|Pike|Loop|Run|Path|Heights|Green|Broadway|Expressway|Freeway)"
)
UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Bldg|Building|#)\.?\s*#?[\w-]{1,6})?"
CONT_SUFFIX = (
    r"(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|vej|gade|allé|gatan|vägen|väg|gränd|gata|"
    r"gate|gaten|veien|vegen|veg|stien|sti|laan|straat|plein|dreef|singel|gracht|kade|kuja|katu|tie|polku|"
    r"kaari|rinne|utca|út|tér|körút|ulica|ulice|cesta|trg|sokak|sokağı|caddesi|bulvarı|odos)"
)
CONT_PREFIX = (
    r"(?:Rue|rue|Avenue|avenue|Av\.|Avda\.?|Boulevard|Bd|Bld|Chemin|chemin|Impasse|Allée|Place|Quai|Route|"
    r"Via|via|Viale|viale|Piazza|piazza|Corso|corso|Vicolo|Largo|Calle|calle|Avenida|avenida|Plaza|Paseo|"
    r"Carrer|Camino|Rua|rua|Travessa|Praça|Estrada|ul\.|Ul\.|ulica|Ulica|al\.|Aleja|Odos|Leoforos)"
)
HOUSE = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
STREET_PATTERNS = [
    # 123 [N.] Main Street [, Apt 4]
    re.compile(rf"(?<![\w-]){HOUSE}\s+(?:[NSEW]\.?\s+)?(?:{CAP}\s+){{0,3}}{EN_SUFFIX}\.?(?!\w){UNIT}"),
    # Hammarvägen 15, Alte Dorfstraße 3a, Mellem vej 32
    re.compile(rf"(?<![\w-])(?:{CAP}\s+){{0,2}}[\w'’-]+{CONT_SUFFIX}(?<!\s{{2}})\s+{HOUSE}(?![\w-]){UNIT}", re.IGNORECASE),
    # Rue de Piétrain 371, ul. Więckowskiego Stefana 28, Via Roma 5
    re.compile(rf"(?<![\w-]){CONT_PREFIX}\s+(?:{WORD}\s+){{0,4}}?{HOUSE}(?![\w-]){UNIT}"),
    # 12 rue de la Paix, 5 Via Roma
    re.compile(rf"(?<![\w-]){HOUSE},?\s+{CONT_PREFIX}\s+(?:{WORD}\s+){{0,3}}?{CAP}(?![\w-])"),
    # P.O. Box 123
    re.compile(r"(?<!\w)(?:P\.?\s?O\.?\s?Box|Post Office Box|Postfach|Apartado|Caixa Postal)\s+\d{1,7}(?!\w)", re.IGNORECASE),
    # Suite 727, Apt. 5B on their own
    re.compile(r"(?<!\w)(?:Apt|Apartment|Suite|Ste|Unit)\.?\s*#?\d{1,5}[A-Za-z]?(?!\w)"),
]
ZIP_CUE = re.compile(r"(?i)\b(?:zip(?:\s*code)?|postal\s*code|postcode|post\s*code|plz|cap|cep|code postal)\b\s*(?:is|:|#)?\s*")
ZIP_VALUE = re.compile(r"(?<![\w-])(?=[A-Z0-9 -]*\d)[A-Z0-9]{2,5}(?:[ -][A-Z0-9]{2,4})?(?![\w-])", re.IGNORECASE)
US_STATE_ABBR = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    r"ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)"
)
US_ZIP = re.compile(rf"(?<=[\s,]){US_STATE_ABBR},?\s+(\d{{5}}(?:-\d{{4}})?)(?![\w-])")
UK_POSTCODE = re.compile(r"(?<![A-Z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![A-Z0-9])")
CA_POSTCODE = re.compile(r"(?<![A-Z0-9])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d(?![A-Z0-9])")
# A bare postcode written next to a place (city, country, street): used by the engine's address pass.
POSTCODE_SHAPE = re.compile(r"(?<![\w-])(?:\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{5}-\d{4})(?![\w-])")
COORDINATE = re.compile(
    r"(?<![\w.])[-+]?(?:[1-8]?\d\.\d{3,}|90\.0{3,})\s*°?\s*[NS]?\s*,\s*[-+]?(?:1[0-7]\d|\d{1,2})\.\d{3,}\s*°?\s*[EW]?(?![\w.])"
    r"|(?<!\w)\d{1,3}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[NSEW],?\s*\d{1,3}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[NSEW]"
)


@recognizer("street", "LOCATION_ADDRESS_STREET")
def find_streets(text: str) -> Iterator[Span]:
    for pattern in STREET_PATTERNS:
        for m in pattern.finditer(text):
            value = m.group().rstrip(" ,")
            yield Span(m.start(), m.start() + len(value), "LOCATION_ADDRESS_STREET", 0.85, "pattern")


@recognizer("zip", "LOCATION_ZIP")
def find_zips(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, ZIP_CUE, ZIP_VALUE, 8):
        yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.9, "context")
    for m in US_ZIP.finditer(text):
        yield Span(m.start(1), m.end(1), "LOCATION_ZIP", 0.85, "pattern")
    for m in UK_POSTCODE.finditer(text):
        if any(c.isdigit() for c in m.group()) and len(m.group()) >= 5:
            yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.8, "pattern")
    for m in CA_POSTCODE.finditer(text):
        yield Span(m.start(), m.end(), "LOCATION_ZIP", 0.8, "pattern")


@recognizer("coordinate", "LOCATION_COORDINATE")
def find_coordinates(text: str) -> Iterator[Span]:
    for m in COORDINATE.finditer(text):
        yield Span(m.start(), m.end(), "LOCATION_COORDINATE", 0.9, "pattern")
