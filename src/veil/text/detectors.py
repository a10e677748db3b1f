"""Detectors: what finds candidate spans for one accuracy mode.

The engine asks the detector registered for the request's ``accuracy_mode`` for candidate
spans, then applies block/allow lists, propagation, overlap resolution and markers. The
English modes are registered here; the multilingual modes (issue 5) register their own
detector with :func:`veil.text.engine.TextDeidentifier.register_mode`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from veil.text.entities import chain
from veil.text.gazetteer import (
    AMBIGUOUS_GIVEN,
    english_zipf,
    everyday_words,
    is_place,
    location_subtype,
    person_names,
    rare_word,
)
from veil.text.ner import FIELD_WORDS, NerPipeline
from veil.text.recognizers.capitalized import COMMON_CAPITALISED, find_capitalized, find_known_capitalized
from veil.text.registry import RecognizerRegistry, default_registry
from veil.text.spans import Span


class Detector(Protocol):
    def detect(
        self, texts: Sequence[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None = None
    ) -> list[list[Span]]:
        """Candidate spans per text; ``wanted`` (fine labels whose class is enabled) may prune work;
        ``custom``: the request's user-defined recognizers, run on top of the built-in ones."""
        ...

    def locales(self, texts: Sequence[str]) -> list[str]:
        """The Faker locale to use for each text's fakes."""
        ...


class EnglishDetector:
    """Rule recognizers plus a spaCy NER pipeline (None: rules only)."""

    def __init__(self, ner: NerPipeline | None) -> None:
        self.ner = ner
        # capitalised sequences typed by gazetteers: the stand-in for a statistical model when
        # there is none, otherwise hints that only fill gaps the model left
        self.recognizers = (
            *default_registry().for_language("en"),
            find_capitalized if ner is None else find_known_capitalized,
        )

    def detect(
        self, texts: Sequence[str], wanted: frozenset[str] | None, custom: RecognizerRegistry | None = None
    ) -> list[list[Span]]:
        recognizers = [r for r in self.recognizers if wanted is None or r.labels & wanted]
        if custom is not None:
            recognizers.extend(custom.for_language("en"))
        out: list[list[Span]] = []
        for text in texts:
            spans: list[Span] = []
            for r in recognizers:
                spans.extend(r.find(text))
            out.append(spans)
        if self.ner is not None and (wanted is None or wanted & NER_LABELS):
            known = self.ner.known_word()
            # the model only reads texts where it can find something the rules did not
            todo = [i for i, (text, spans) in enumerate(zip(texts, out, strict=True)) if needs_model(text, spans)]
            # all-lowercase texts (chat) are read by the model with names capitalised
            model_texts = {i: truecase(texts[i]) for i in todo}
            for i, ner_spans in zip(todo, self.ner.entities([model_texts[i] for i in todo]), strict=True):
                out[i].extend(drop_headings(model_texts[i], retype_people(model_texts[i], ner_spans)))
                if known is not None:
                    out[i].extend(unknown_word_hints(texts[i], known))
                retype_by_context(model_texts[i], out[i])
                extend_places(model_texts[i], out[i])
                out[i] = split_coordinated_names(texts[i], out[i])
        out = [
            [_tidy(text, s) for s in spans if not _street_word(text, s) and not (self.ner and _everyday_hint(text, s))]
            for text, spans in zip(texts, out, strict=True)
        ]
        if wanted is not None:
            out = [[s for s in spans if s.label in wanted] for spans in out]
        return out

    def locales(self, texts: Sequence[str]) -> list[str]:
        return ["en_US"] * len(texts)


STREET_WORDS = frozenset(
    {"st", "st.", "ave", "ave.", "rd", "rd.", "street", "avenue", "road", "blvd", "apt", "apt.", "suite"}
)


def _everyday_hint(text: str, span: Span) -> bool:
    """A capitalisation hint of very frequent English words in a title-cased headline ("... To
    Hate (But Secretly Love)"): capitals there say nothing, and neither the model nor a rule
    found a name. (Without a model, capitalisation is the name finder and such hints stay.)"""
    if span.source != "hint" or span.label != "NAME":
        return False
    value = text[span.start : span.end]
    return (
        TITLE_CASE_BEFORE.search(text, max(0, span.start - 40), span.start) is not None
        and everyday_words(value, names=False, zipf=COMMON_WORD_ZIPF)
    )


# a capitalised function word inside a line: a title-cased headline ("... To Hate (But Secretly Love)")
TITLE_CASE_BEFORE = re.compile(r"[\w,'’][ \t]+\(?(?:But|And|Or|Of|The|To|For|With|In|On|At|From|By)[ \t]+$")



def _street_word(text: str, span: Span) -> bool:
    """A model or a capitalisation rule taking a lone street-type word ("St.") for a name or place."""
    return span.source in ("ner", "hint", "context") and text[span.start : span.end].lower() in STREET_WORDS


TRUECASE_WORD = re.compile(r"(?<![\w@./'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w@/]|\.\w)")
SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|\"\s*)$")
NAME_ZIPF = 4.0  # a known given or family name at most this frequent is read as a name


def truecase(text: str) -> str:
    """An all-lowercase text with sentence starts, rare words and known names capitalised, so a
    model trained on edited text can read its names ("eva kleist lives at ..."). Same length and
    offsets as the input; texts with any capital letter are returned as they are."""
    if any(ch.isupper() for ch in text):
        return text
    given, family = person_names()
    chars = list(text)
    words = list(TRUECASE_WORD.finditer(text))
    caps: list[bool] = []
    for m in words:
        w = m.group()
        title = w[:1].upper() + w[1:]
        z = english_zipf(w)
        cap = (
            (len(w) > 2 and rare_word(w))
            or (len(w) > 2 and z < NAME_ZIPF and (title in given or title in family))
            or SENTENCE_START.search(text, max(0, m.start() - 3), m.start()) is not None
        )
        caps.append(cap)
    for k, m in enumerate(words):
        w = m.group()
        # a one-letter initial between two name words ("emidio p lombardo")
        if len(w) == 1 and 0 < k < len(words) - 1 and caps[k - 1] and caps[k + 1]:
            caps[k] = True
        # a known given name right before a capitalised name word ("tom hanks"), and "i"
        if (k + 1 < len(words) and caps[k + 1] and w[:1].upper() + w[1:] in given
                and text[m.end() : words[k + 1].start()] == " "):
            caps[k] = True
        if w == "i":
            caps[k] = True
        if caps[k]:
            first = w[0].upper()
            if len(first) == 1:
                chars[m.start()] = first
    return "".join(chars)


CAPITALISED_WORD = re.compile(r"(?<![\w'’@./-])[A-ZÀ-ÖØ-ÞĀ-ŽΑ-Ω][^\W\d_]*")
LOWER_WORDS = re.compile(r"\b[a-z]{3,}\b")


def needs_model(text: str, spans: list[Span]) -> bool:
    """Whether a text has anything for the NER: a capitalised word that is not a common
    sentence-opening word and not inside a span a rule already found (an e-mail, a street,
    a known full name, a city after its cue), or, in all-lowercase text, a few words in a
    row. Texts made only of numbers, codes, common words and what the rules explained skip
    the model, which is most of the time spent (on the Presidio set: 23 % less CPU for
    0.003 strict F1, docs/text.md)."""
    if not any(ch.isupper() for ch in text):
        return len(LOWER_WORDS.findall(text)) >= 3
    covered = [(s.start, s.end) for s in spans if s.source in ("pattern", "validated", "context")]
    for m in CAPITALISED_WORD.finditer(text):
        word = m.group()
        if word in COMMON_CAPITALISED or len(word) < 2 or _nothing_for_the_model(text, m.start(), word):
            continue
        if not any(a <= m.start() < b for a, b in covered):
            return True
    return False


SENTENCE_OPENING = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
OPENING_ZIPF = 4.5  # wordfreq: an everyday word ("Need", "Excuse", "Patient") at a sentence start


def _nothing_for_the_model(text: str, start: int, word: str) -> bool:
    """A capitalised word whose model entity would be thrown away anyway (a form-field acronym,
    a street-type word) or an everyday word opening a sentence that is no known name or place."""
    if word.upper() in FIELD_WORDS or word.lower() in STREET_WORDS:
        return True
    if SENTENCE_OPENING.search(text, max(0, start - 4), start) is None or is_place(word):
        return False
    return everyday_words(word, zipf=OPENING_ZIPF)


POSSESSIVE_IN_NAME = re.compile(r"['’]s[ \t]")
FIRST_WORD = re.compile(r"\S+[ \t]+")


def _tidy(text: str, span: Span) -> Span:
    """A possessive ending is not part of a name ("Bryan Maclean's" -> "Bryan Maclean"), nor
    what the person owns ("Yuri Bulgakov's Cautionary Tales" -> "Yuri Bulgakov"), nor what they
    used to be ("ex-Zombie Kastner" -> "Kastner")."""
    if span.label.startswith("NAME") and span.length > 3:
        if text[max(0, span.start - 3) : span.start].lower() == "ex-":
            # "ex-Zombie Kastner", "ex-Marine John Smith": what the person used to be, then the name
            first = FIRST_WORD.match(text[span.start : span.end])
            if first is not None:
                span.start += first.end()
        inside = POSSESSIVE_IN_NAME.search(text, span.start, span.end)
        if inside is not None and inside.start() > span.start:
            span.end = inside.start()
        elif text[span.end - 2 : span.end] in ("'s", "’s"):
            span.end -= 2
    return span


ORG_SUFFIX = re.compile(
    r"(?i)\b(?:inc|llc|ltd|gmbh|corp|company|group|bank|university|orchestra|agency|partners|associates)\b"
)


# Surname endings that are (almost) never the end of a place or company name: Slavic
# patronymics and surnames, Nordic and Icelandic patronymics, Georgian, Armenian, Greek,
# Romanian and Turkish forms.
SURNAME_ENDING = re.compile(
    r"[a-zà-ÿ](?:ovich|evich|ovna|evna|skaya|enko|chuk|shvili|idze|adze|opoulos|escu|oglu|oğlu|sdóttir|sdottir)$"
)
# endings that also end some place or company names ("Padova", "Geneva", "Ericsson"): only
# after a first word ("Mstislav Dolgorukova")
WEAK_SURNAME_ENDING = re.compile(r"\S[ \t]+\S+(?:ova|eva|ov|ev|yan|akis|ski|sky|sson)$")


DIRECTIONS = frozenset(
    [
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "North",
        "South",
        "East",
        "West",
        "Northeastern",
        "Northwestern",
        "Southeastern",
        "Southwestern",
    ]
)


def retype_people(text: str, spans: list[Span]) -> list[Span]:
    """An NER organisation or place that starts with a known given name is a person; a place
    written with a direction ("Southern Austria") is the known place it qualifies."""
    given, _ = person_names()
    for s in spans:
        if s.label.startswith("LOCATION"):
            words = text[s.start : s.end].split(" ", 1)
            if (
                len(words) == 2
                and words[0] in DIRECTIONS
                and is_place(words[1])
                and not is_place(text[s.start : s.end])
            ):
                s.start += len(words[0]) + 1
                s.label = location_subtype(words[1])
                continue
        if s.label == "NAME" or not (s.label.startswith("LOCATION") or s.label.startswith("ORGANIZATION")):
            continue
        value = text[s.start : s.end]
        first = value.split()[0].rstrip(".,")
        if (SURNAME_ENDING.search(value) or WEAK_SURNAME_ENDING.search(value)) and not is_place(value) and not ORG_SUFFIX.search(value) and "," not in value:
            s.label = "NAME"  # "Mstislav Dolgorukova", "Bekbolat Musliyevich": a surname's form
            s.labels = {}
            continue
        if (
            first in given
            and first not in AMBIGUOUS_GIVEN
            and not is_place(value)
            and not is_place(first)
            and not ORG_SUFFIX.search(value)
            and "," not in value
        ):
            s.label = "NAME"
            s.labels = {}
    return spans


COMMON_WORD_ZIPF = 4.0  # a lone word this frequent ("wisdom") is a word, not someone's name


def drop_headings(text: str, spans: list[Span]) -> list[Span]:
    """Title-cased everyday words the model takes for a person or an organisation: a field label
    before a colon ("Directed By:", "Mission Statement:"), an item of a list of categories
    ("Action & Adventure, Animation, Comedy, Kids & Family"), or one everyday word that no
    name list knows taken for a person ("words like Wisdom and Discipline")."""
    out = []
    for s in spans:
        if s.label == "NAME" or s.label.startswith("ORGANIZATION"):
            value = text[s.start : s.end]
            if s.label == "NAME" and " " not in value and everyday_words(value, zipf=COMMON_WORD_ZIPF):
                continue
            label_colon = text[s.end : s.end + 3].lstrip(" \t").startswith(":")
            if (label_colon or _in_category_list(text, s)) and everyday_words(value):
                continue
        out.append(s)
    return out


def _in_category_list(text: str, span: Span) -> bool:
    """The span's line is a comma-separated list of at least four short title-cased items."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    items = [i.strip() for i in text[line_start : line_end if line_end >= 0 else len(text)].split(",")]
    return len(items) >= 4 and all(
        0 < len(i.split()) <= 4 and i[:1].isupper() and not any(ch.isdigit() for ch in i) for i in items
    )


# What the words around a name say it is. Organisations: "work for X", "employed by X",
# "X is a design agency", "X's website"; people: "says X",
# "X lives at", "X said", "was called X", "named him X".
ORG_BEFORE = re.compile(
    r"(?i)(?:\bwork(?:s|ed|ing)?[ \t]+(?:for|at)|\bemployed[ \t]+by|\bhired[ \t]+by|\bsigned[ \t]+(?:to|with))[ \t]+$"
)
ORG_AFTER = re.compile(
    r"(?i)(?:['’]s)?[ \t]+(?:website|office|headquarters|employees|shares)\b|[ \t]+(?:is|was)[ \t]+an?[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:company|agency|firm|multinational|bank|corporation|start-?up|non-?profit|charity|"
    r"organi[sz]ation|501\(c\)|manufacturer|retailer|publisher|brand|provider|consultancy|business)\b"
)
PERSON_BEFORE = re.compile(r"(?i)(?:\b(?:says|said|asked|replied)|\b(?:is|was|were)[ \t]+called|\bnamed[ \t]+(?:him|her))[ \t]+$")
PERSON_AFTER = re.compile(
    r"(?i)[ \t]+(?:lives|lived|says|said|told|asked|explained|replied|wrote|is[ \t]+(?:a|an)[ \t]+\d{1,3}[ \t-]+years?[ \t-]+old)\b"
)
AS_ROLE = re.compile(r"[ \t]+as[ \t]+(?:(?:an?|the|its|their)[ \t]+)?")
EMPLOYER_BEFORE = re.compile(r"(?i)\b(?:at|for|with|joined)[ \t]+$")
IN_BEFORE = re.compile(r"(?<![\w'’-])in[ \t]+$")
CLAUSE_END = re.compile(r"[ \t]*(?:[,.;!?)]|$)")
NAME_OF = re.compile(r"[ \t]+of[ \t]+$")
LIST_GLUE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)")
RETYPABLE = ("ner", "hint")


TITLE_WORD = re.compile(r"[A-Za-z]+")


def _title_word_at(text: str, pos: int) -> bool:
    """Whether a word of the occupation lexicon starts at ``pos`` ("assistant", "manager")."""
    from veil.text.recognizers.vocabulary import title_words

    m = TITLE_WORD.match(text, pos)
    return m is not None and m.group().lower() in title_words()


def _relabel(span: Span, label: str) -> None:
    span.label = label
    span.labels = {}


def retype_by_context(text: str, spans: list[Span]) -> None:
    """Retype the model's people, organisations and places by the words around them (see
    above), by the other items of a list ("Marrero and Murphy were": a person, since Murphy is
    one), and in a letterhead by position (the line between a name and an address is the
    company)."""
    people = sorted((s for s in spans if s.label == "NAME"), key=lambda s: s.start)
    ends = {s.end for s in people}
    jobs = {s.start for s in spans if s.label == "OCCUPATION"}
    for s in spans:
        if s.source not in RETYPABLE or not (
            s.label in ("NAME", "ORGANIZATION") or s.label.startswith("LOCATION_") or s.label == "LOCATION"
        ):
            continue
        if s.label.startswith("LOCATION_ADDRESS") or s.label in ("LOCATION_ZIP", "LOCATION_COORDINATE"):
            continue
        before = text[max(0, s.start - 30) : s.start]
        if s.label != "ORGANIZATION" and (ORG_BEFORE.search(before) or ORG_AFTER.match(text, s.end)):
            _relabel(s, "ORGANIZATION")
        elif s.label != "ORGANIZATION" and (of := NAME_OF.search(before)) is not None and s.start - len(before) + of.start() in ends:
            _relabel(s, "ORGANIZATION")  # "Rościsław Dudek of Lexisnexis": a person of an organisation
        elif (
            s.label != "ORGANIZATION"
            and (role := AS_ROLE.match(text, s.end)) is not None
            and (role.end() in jobs or _title_word_at(text, role.end()))
            and EMPLOYER_BEFORE.search(before)
            # "at Paris as a student": a well-known place stays one
            and not (s.label.startswith("LOCATION") and everyday_words(text[s.start : s.end], names=False, zipf=3.5))
        ):
            _relabel(s, "ORGANIZATION")  # "a year at Mhealthcoach as the assistant": the employer
        elif s.label != "NAME" and not is_place(text[s.start : s.end]) and (
            PERSON_BEFORE.search(before) or PERSON_AFTER.match(text, s.end)
        ):
            _relabel(s, "NAME")
        elif (
            s.label in ("NAME", "ORGANIZATION")
            and IN_BEFORE.search(before)
            and CLAUSE_END.match(text, s.end)
            and not ORG_SUFFIX.search(text[s.start : s.end])
            and text[s.start : s.end].split()[0] not in person_names()[0]
        ):
            # "Celebrating its 10th year in Laax, ...": what one is in, at the end of a clause, is a place
            _relabel(s, location_subtype(text[s.start : s.end]))
    _retype_lists(text, spans)
    _retype_letterhead(text, spans)


NAME_COORDINATION = re.compile(r"[ \t]*,?[ \t]+(?:and|&)[ \t]+")


def split_coordinated_names(text: str, spans: list[Span]) -> list[Span]:
    """A model's person "Donald and Kristen" is two people: a name has no "and" inside ("Doe, Jane"
    keeps its comma)."""
    out = []
    for s in spans:
        if s.label == "NAME" and s.source == "ner" and NAME_COORDINATION.search(text, s.start, s.end):
            pos = s.start
            for m in NAME_COORDINATION.finditer(text, s.start, s.end):
                if m.start() > pos:
                    out.append(Span(pos, m.start(), "NAME", s.score, s.source))
                pos = m.end()
            if pos < s.end:
                out.append(Span(pos, s.end, "NAME", s.score, s.source))
            continue
        out.append(s)
    return out


PLACE_CONNECTED_AFTER = re.compile(
    r"[ \t]+(?:de[ \t]+la|de[ \t]+los|de[ \t]+las|del|de|do|da|dos|das|di|du|des|sur|nad|pod|upon|on[ \t]+the)"
    r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)?"
)
PLACE_CONNECTED_BEFORE = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+[ \t]+(?:de[ \t]+la|de[ \t]+los|de[ \t]+las|del|de|do|da|dos|das|di|du|des|sur|nad|pod)[ \t]+$"
)


def extend_places(text: str, spans: list[Span]) -> None:
    """A model place cut at a connector is the whole name: "Villafranca del Cid",
    "Chiclana de la Frontera", "Mora de Rubielos"."""
    for s in spans:
        if s.source not in RETYPABLE or not s.label.startswith("LOCATION") or s.label.startswith("LOCATION_ADDRESS"):
            continue
        after = PLACE_CONNECTED_AFTER.match(text, s.end)
        if after is not None and "\n" not in after.group():
            s.end = after.end()
        before = PLACE_CONNECTED_BEFORE.search(text, max(0, s.start - 30), s.start)
        if before is not None and "\n" not in before.group():
            s.start = before.start()


def _retype_lists(text: str, spans: list[Span]) -> None:
    """In "A, B and C" where some items are people, the model's one-word organisations and
    places among them are people too (unless they are known places)."""
    slots: list[list[Span]] = []  # spans on the same characters
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if slots and (slots[-1][0].start, slots[-1][0].end) == (s.start, s.end):
            slots[-1].append(s)
        else:
            slots.append([s])
    run: list[list[Span]] = []
    for slot in [*slots, None]:
        if slot is not None and run and LIST_GLUE.fullmatch(text, run[-1][0].end, slot[0].start):
            run.append(slot)
            continue
        named = [any(r.label == "NAME" for r in item) for item in run]
        for k, item in enumerate(run):
            if len(run) < 2 or not any(n for j, n in enumerate(named) if j != k):
                continue
            value = text[item[0].start : item[0].end]
            if len(value.split()) > 2 or is_place(value) or ORG_SUFFIX.search(value):
                continue
            for r in item:
                if r.source in RETYPABLE and (r.label == "ORGANIZATION" or r.label.startswith("LOCATION")):
                    _relabel(r, "NAME")
        run = [slot] if slot is not None else []


def _whole_line(text: str, span: Span) -> tuple[int, int] | None:
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : span.start].strip(" \t>*-?•") or text[span.end : line_end].strip(" \t.,"):
        return None
    return line_start, line_end


def _retype_letterhead(text: str, spans: list[Span]) -> None:
    """Name / company / address, one per line: the model's person or place on the line between
    a name line and an address is the company."""
    if text.count("\n") < 2:
        return
    names = {(s.start, s.end) for s in spans if s.label == "NAME"}
    by_line: dict[int, Span] = {}
    for s in spans:
        bounds = _whole_line(text, s)
        if bounds is not None:
            by_line[bounds[0]] = s
    address_starts = sorted(s.start for s in spans if s.label.startswith("LOCATION_ADDRESS"))
    if not address_starts:
        return
    for s in spans:
        if s.source not in RETYPABLE or s.label not in ("NAME", "LOCATION", "LOCATION_CITY", "ORIGIN"):
            continue
        bounds = _whole_line(text, s)
        if bounds is None or bounds[0] == 0:
            continue
        prev_start = text.rfind("\n", 0, bounds[0] - 1) + 1
        prev = by_line.get(prev_start)
        if prev is None or (prev.start, prev.end) not in names or prev is s:
            continue
        # an address within the next two lines
        nxt = bounds[1]
        for _ in range(2):
            nxt = text.find("\n", nxt + 1) if nxt < len(text) else -1
            if nxt < 0:
                nxt = len(text)
                break
        if any(bounds[1] < a <= nxt for a in address_starts):
            _relabel(s, "ORGANIZATION")


UNKNOWN_CAP = re.compile(
    r"(?<![\w'’@./-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,}(?:[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+){0,2}(?![\w@])"
)
PLACE_PREP = re.compile(r"(?i)\b(?:in|to|near|into)[ \t]+$")
POSSESSIVE_AFTER = re.compile(r"['’]s\b")


def unknown_word_hints(text: str, known: Callable[[str], bool]) -> list[Span]:
    """Capitalised words the model's vocabulary does not know ("Xignite", "Rohod"): gap-filling hints."""
    out = []
    for m in UNKNOWN_CAP.finditer(text):
        words = m.group().split()
        if all(known(w) for w in words) or any(not w.isalpha() for w in words):
            continue
        if POSSESSIVE_AFTER.match(text, m.end()):
            label = "NAME"  # "Mccullough's song": people own things far more often than places do
        elif PLACE_PREP.search(text, max(0, m.start() - 8), m.start()):
            label = "LOCATION"
        else:
            label = "ORGANIZATION"
        out.append(Span(m.start(), m.end(), label, 0.5, "hint"))
    return out


NER_LABELS = frozenset(
    {
        "NAME",
        "LOCATION",
        "LOCATION_CITY",
        "LOCATION_STATE",
        "LOCATION_COUNTRY",
        "ORGANIZATION",
        "ORGANIZATION_MEDICAL_FACILITY",
        "ORIGIN",
        "DATE",
        "TIME",
        "MONEY",
        "EVENT",
        "LANGUAGE",
        "DURATION",
    }
)


def wanted_labels(enabled: frozenset[str] | None, all_labels: Sequence[str]) -> frozenset[str] | None:
    """Fine labels whose chain meets an enabled class, plus the ancestors of enabled classes
    (a full NAME is detected, then split when NAME_GIVEN is asked for). None: every class is on."""
    if enabled is None:
        return None
    ancestors = {a for label in enabled for a in chain(label)[1:]}
    return frozenset(
        label for label in all_labels if any(c in enabled for c in chain(label)) or label in ancestors
    )
