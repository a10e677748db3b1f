"""National identity and tax numbers of the engine's languages' countries (US, DE, ES, FR, IT,
PT, KR) and India, validated with python-stdnum.

Every kind is a shape (a precompiled regex), a validator and the cue words that name it.
A value whose shape matches:

- passes its validator: reported as ``SSN`` (the type of social security and other national
  identity numbers), ``validated`` (it beats a longer unvalidated span). Kinds whose shape is
  too common to stand alone (an 11-digit German tax id, a 9-digit Portuguese NIF) need a cue
  within ``CUE_WINDOW`` characters before them;
- fails it, but is still an identifier by its shape (a distinctive shape such as a codice
  fiscale, or any shape after its cue): reported as ``NUMERICAL_PII`` (a leak costs more than
  a false alarm; a bad checksum is never reported as the validated type itself);
- otherwise nothing.

UK National Insurance numbers are checked by their prefix rules (they have no check digit).
US social security numbers themselves are found by :mod:`veil.text.recognizers.identifiers`;
the US kind here is the ITIN and the SSN-shaped values that fail both checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar, pan
from stdnum.it import codicefiscale
from stdnum.kr import rrn
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif
from stdnum.us import itin, ssn

from veil.text.recognizers.base import ALL_LANGUAGES, cue_before, digits, has_digit, recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

CUE_WINDOW = 50
FAILED_LABEL = "NUMERICAL_PII"


def _stdnum(module: object, *, digits_only: bool = False) -> Callable[[str], bool]:
    check: Callable[[str], bool] = module.is_valid  # type: ignore[attr-defined]

    def valid(value: str) -> bool:
        try:
            return bool(check(digits(value) if digits_only else value))
        except Exception:  # stdnum raises several error types on odd input
            return False

    return valid


def _icao_check(value: str) -> bool:
    """ICAO 9303 check digit (weights 7-3-1, letters A=10 ... Z=35) over all but the last
    character: German identity card and passport serial numbers."""
    body, check = value[:-1], value[-1]
    if not check.isdigit():
        return False
    total = 0
    for i, ch in enumerate(body):
        v = int(ch) if ch.isdigit() else ord(ch) - 55
        total += v * (7, 3, 1)[i % 3]
    return total % 10 == int(check)


@dataclass(frozen=True)
class IdKind:
    name: str
    shape: re.Pattern[str]
    valid: Callable[[str], bool]
    cue: re.Pattern[str]
    needs_cue: bool  # a valid value without its cue is not reported (the shape is too common)
    distinctive: bool  # a failing value is reported as NUMERICAL_PII even without a cue
    triggers: frozenset[str] = frozenset()  # the cue's words: without one, the cue cannot match


def _cue(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)(?<![\w])(?:{words})(?![\w])")


# Generic cues for any national id, in the seven languages.
GENERIC = (
    r"national\s+id(?:entity)?(?:\s+(?:number|no\.?|card))?|id\s+(?:number|no\.?|card)|identity\s+(?:number|card)|"
    r"tax\s+(?:id|number|code)|tin|personal\s+(?:id|number)"
)
GENERIC_WORDS = frozenset({"national", "id", "identity", "tax", "tin", "personal"})
B = r"(?<![\w-])"
E = r"(?![\w-])"

KINDS: tuple[IdKind, ...] = (
    IdKind(
        "us_itin",
        re.compile(rf"{B}9\d{{2}}([- ]?)(?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])\1\d{{4}}{E}"),
        _stdnum(itin, digits_only=True),
        _cue(rf"itin|taxpayer\s+identification(?:\s+number)?|{GENERIC}"),
        needs_cue=False,
        distinctive=False,
        triggers=frozenset({"itin", "taxpayer"}) | GENERIC_WORDS,
    ),
    IdKind(
        "in_pan",
        re.compile(rf"{B}[A-Z]{{5}}\d{{4}}[A-Z]{E}"),
        _stdnum(pan),
        _cue(rf"pan(?:\s+(?:card|number|no\.?))?|permanent\s+account\s+number|{GENERIC}"),
        needs_cue=False,
        distinctive=True,
        triggers=frozenset({"pan", "permanent"}) | GENERIC_WORDS,
    ),
    IdKind(
        "in_aadhaar",
        re.compile(rf"{B}[2-9]\d{{3}}([ :-]?)\d{{4}}\1\d{{4}}{E}"),
        _stdnum(aadhaar, digits_only=True),
        _cue(rf"aadhaa?r(?:\s+(?:card|number|no\.?))?|uidai|uid(?:\s+number)?|{GENERIC}"),
        needs_cue=True,
        distinctive=False,
        triggers=frozenset({"aadhaar", "aadhar", "uidai", "uid"}) | GENERIC_WORDS,
    ),
    IdKind(
        "de_idnr",
        re.compile(rf"{B}[1-9]\d(?: ?\d{{3}}){{3}}{E}"),
        _stdnum(idnr, digits_only=True),
        _cue(
            r"steuer-?id(?:entifikationsnummer)?|steuerliche\s+identifikationsnummer|identifikationsnummer|"
            rf"idnr|steuernummer|tax\s+id|{GENERIC}"
        ),
        needs_cue=True,
        distinctive=False,
        triggers=frozenset({"steuer", "id", "steuerliche", "identifikationsnummer", "idnr", "steuernummer", "tax"}) | GENERIC_WORDS,
    ),
    IdKind(
        "de_id_card",
        re.compile(rf"{B}[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{{8}}\d{E}"),
        _icao_check,
        _cue(r"personalausweis(?:nummer)?|ausweis(?:nummer)?|ausweis-nr\.?|id\s+card(?:\s+number)?|" + GENERIC),
        needs_cue=True,
        distinctive=False,
        triggers=frozenset({"personalausweis", "personalausweisnummer", "ausweis", "ausweisnummer", "nr", "id", "card"}) | GENERIC_WORDS,
    ),
    IdKind(
        "es_dni",
        re.compile(rf"{B}\d{{8}}-?[A-HJ-NP-TV-Z]{E}"),
        _stdnum(dni),
        _cue(r"dni|nif|documento\s+nacional(?:\s+de\s+identidad)?|n[úu]mero\s+de\s+identidad|" + GENERIC),
        needs_cue=False,
        distinctive=True,
        triggers=frozenset({"dni", "nif", "documento", "número", "numero"}) | GENERIC_WORDS,
    ),
    IdKind(
        "es_nie",
        re.compile(rf"{B}[XYZ]-?\d{{7}}-?[A-HJ-NP-TV-Z]{E}"),
        _stdnum(nie),
        _cue(r"nie|n[úu]mero\s+de\s+identidad\s+de\s+extranjero|" + GENERIC),
        needs_cue=False,
        distinctive=True,
        triggers=frozenset({"nie", "número", "numero", "extranjero"}) | GENERIC_WORDS,
    ),
    IdKind(
        "fr_nir",
        re.compile(rf"{B}[1-478] ?\d{{2}} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{{2}}|2[AB]) ?\d{{3}} ?\d{{3}}(?: ?\d{{2}})?{E}"),
        _stdnum(nir),
        _cue(
            r"nir|insee|s[ée]cu(?:rit[ée]\s+sociale)?|num[ée]ro\s+de\s+s[ée]curit[ée]\s+sociale|carte\s+vitale|"
            + GENERIC
        ),
        needs_cue=False,
        distinctive=False,
        triggers=frozenset({"nir", "insee", "sécu", "secu", "sécurité", "securite", "sociale", "numéro", "numero", "carte", "vitale"}) | GENERIC_WORDS,
    ),
    IdKind(
        "it_codice_fiscale",
        re.compile(rf"{B}[A-Z]{{6}}[0-9LMNPQRSTUV]{{2}}[A-EHLMPR-T][0-9LMNPQRSTUV]{{2}}[A-Z][0-9LMNPQRSTUV]{{3}}[A-Z]{E}"),
        _stdnum(codicefiscale),
        _cue(r"codice\s+fiscale|cod\.?\s*fisc\.?|c\.\s?f\.|" + GENERIC),
        needs_cue=False,
        distinctive=True,
        triggers=frozenset({"codice", "fiscale", "cod", "fisc", "c", "f"}) | GENERIC_WORDS,
    ),
    IdKind(
        "pt_cc",
        re.compile(rf"{B}\d{{8}} ?\d ?[A-Z0-9]{{2}}\d{E}"),
        _stdnum(pt_cc),
        _cue(r"cart[ãa]o\s+de\s+cidad[ãa]o|cc|n\.?[ºo]\s+do\s+documento|" + GENERIC),
        needs_cue=False,
        distinctive=False,
        triggers=frozenset({"cartão", "cartao", "cidadão", "cidadao", "cc", "documento", "n"}) | GENERIC_WORDS,
    ),
    IdKind(
        "pt_nif",
        re.compile(rf"{B}[125689]\d{{2}} ?\d{{3}} ?\d{{3}}{E}"),
        _stdnum(pt_nif, digits_only=True),
        _cue(r"nif|contribuinte|n[úu]mero\s+de\s+identifica[çc][ãa]o\s+fiscal|" + GENERIC),
        needs_cue=True,
        distinctive=False,
        triggers=frozenset({"nif", "contribuinte", "número", "numero", "fiscal"}) | GENERIC_WORDS,
    ),
    IdKind(
        "kr_rrn",
        re.compile(rf"{B}\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-?[1-8]\d{{6}}{E}"),
        _stdnum(rrn, digits_only=True),
        re.compile(r"(?i)주민(?:등록)?번호|\brrn\b|resident\s+registration(?:\s+number)?|" + GENERIC),
        needs_cue=False,
        distinctive=True,
        triggers=frozenset({"주민등록번호", "주민번호", "rrn", "resident", "registration"}) | GENERIC_WORDS,
    ),
)

NINO = re.compile(
    r"(?i)(?<![\w-])(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D](?![\w-])|"
    r"(?<![\w-])(?P<prefix2>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ ]?\d{6}[ ]?[A-D](?![\w-])"
)
NINO_CUE = _cue(r"ni(?:no)?|national\s+insurance(?:\s+(?:number|no\.?))?|" + GENERIC)
NINO_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
# the value right after a national-id cue, whatever its shape ("my PAN card number is A1111DFSFS"):
# masked as NUMERICAL_PII when no kind's own shape took it
AFTER_CUE = re.compile(
    r"(?i)(?:[ \t]+(?:number|no\.?|num|card|id|is|was|reads|:))*[ \t]*[:#=]?[ \t]*"
    r"(?P<value>(?=[A-Za-z0-9*:./-]*\d)[A-Za-z0-9][A-Za-z0-9*:./-]{4,24}[A-Za-z0-9])(?![\w*-])"
)
SSN_SHAPE = re.compile(rf"{B}\d{{3}}-\d{{2}}-\d{{4}}{E}")


@recognizer("national_ids", "SSN", FAILED_LABEL, languages=ALL_LANGUAGES)
def find_national_ids(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return
    taken: list[tuple[int, int]] = []
    words = lowercase_words(text)
    cued = [kind for kind in KINDS if not words.isdisjoint(kind.triggers)]
    for kind in KINDS:
        if kind.needs_cue and not kind.distinctive and kind not in cued:
            continue  # neither a valid nor a failing value can be reported without the cue
        for m in kind.shape.finditer(text):
            taken.append((m.start(), m.end()))
            cue = cue_before(text, m.start(), kind.cue, CUE_WINDOW)
            if kind.valid(m.group()):
                if cue or not kind.needs_cue:
                    yield Span(m.start(), m.end(), "SSN", 0.95 if cue else 0.85, "validated")
                    continue
            elif cue or kind.distinctive:
                yield Span(m.start(), m.end(), FAILED_LABEL, 0.6 if cue else 0.5, "pattern")
    for kind in cued:
        for c in kind.cue.finditer(text):
            v = AFTER_CUE.match(text, c.end())
            if v is None or v.start("value") - c.end() > 30:
                continue
            a, b = v.start("value"), v.end("value")
            if not any(x < b and a < y for x, y in taken):
                taken.append((a, b))
                yield Span(a, b, FAILED_LABEL, 0.55, "context")
    # UK National Insurance numbers (no checksum: prefix rules); lowercase ones need the cue
    for m in NINO.finditer(text):
        value = m.group()
        prefix = (m.group("prefix") or m.group("prefix2") or "").upper()
        cue = cue_before(text, m.start(), NINO_CUE, CUE_WINDOW)
        if prefix in NINO_BAD_PREFIXES:
            continue
        if value.isupper() or cue:
            yield Span(m.start(), m.end(), "SSN", 0.9 if cue else 0.8, "validated")
    # an SSN-shaped value that is neither a valid SSN nor a valid ITIN: still masked
    for m in SSN_SHAPE.finditer(text):
        number = digits(m.group())
        if not ssn.is_valid(number) and not itin.is_valid(number):
            yield Span(m.start(), m.end(), FAILED_LABEL, 0.5, "pattern")
