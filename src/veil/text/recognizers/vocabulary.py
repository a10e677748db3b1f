"""Word-list entity types (religion, gender, occupation, conditions, drugs, ...).

The lists live in ``veil/text/data/vocabulary.json``; the occupation list is extended
with Faker's job titles (the part before a comma: "Accountant, chartered" -> "Accountant").
Matching is phrase lookup over word n-grams, which stays fast with thousands of terms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from veil.text.recognizers.base import cue_near, recognizer
from veil.text.spans import Span

TOKEN = re.compile(r"[\w'’]+(?:[-.][\w'’]+)*")
BLOOD = re.compile(r"(?<![\w+-])(?:AB|A|B|O)(?:[+-](?![\w+-])|\s(?:positive|negative|pos|neg)\b)")
BLOOD_CUE = re.compile(r"(?i)\bblood\b")
MAX_WORDS = 5
SCORES = {"ORIGIN": 0.75, "OCCUPATION": 0.7, "CONDITION": 0.8, "DRUG": 0.85, "LANGUAGE": 0.8}


@dataclass(frozen=True)
class Term:
    label: str
    surface: str | None  # exact capitalisation required, or None for any case
    cue: re.Pattern[str] | None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[Term, ...]]:
    raw = json.loads(resources.files("veil.text").joinpath("data/vocabulary.json").read_text("utf-8"))
    table: dict[str, list[Term]] = {}

    def add(phrase: str, term: Term) -> None:
        key = " ".join(phrase.lower().split())
        if len(key.split()) <= MAX_WORDS and term not in table.get(key, []):
            table.setdefault(key, []).append(term)

    for label, spec in raw.items():
        if label.startswith("_") or label == "BLOOD_TYPE":
            continue
        cue = re.compile(spec["cue"], re.IGNORECASE) if "cue" in spec else None
        for phrase in spec.get("any_case", []):
            add(phrase, Term(label, None, None))
        for phrase in spec.get("cased", []):
            add(phrase, Term(label, phrase, None))
        for phrase in spec.get("cue_cased", []):
            add(phrase, Term(label, phrase, cue))
        if spec.get("faker_jobs"):
            from faker.providers.job import Provider as JobProvider

            for job in JobProvider.jobs:
                title = job.split(",")[0].strip()
                if len(title) > 3:
                    add(title, Term(label, None, None))
    return {k: tuple(v) for k, v in table.items()}


# past participles describe the person ("driven", "experienced"), unless the job list uses them
# ("licensed", "chartered")
PARTICIPLE = re.compile(r"..(?:ed|en)$")
MODIFIER = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ][\w'’-]*)[ \t]+$")
NOT_MODIFIER = frozenset(
    ["a", "an", "the", "my", "your", "his", "her", "our", "their", "its", "this", "that", "these", "those", "is", "was", "are", "were", "be", "been", "as", "at", "in", "on", "of", "for", "to", "from", "by", "with", "and", "or", "but", "not", "i", "we", "you", "he", "she", "they", "it", "me", "him", "us", "them", "who", "which", "what", "please", "have", "has", "had", "call", "called", "ask", "asked", "tell", "told", "our", "new", "old"]
)


def _occupation_start(text: str, start: int, end: int) -> int:
    """Where a job title ending in the matched head noun starts: the whole line when the line is
    just the title (a signature block), else up to three modifier words before it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    stripped = line.strip(" \t/>-*")
    if (
        text[end:line_end].strip(" \t.,") == ""
        and 0 < len(stripped.split()) <= 6
        and not any(ch.isdigit() or ch in ":@" for ch in stripped)
        and not any(w.lower() in NOT_MODIFIER - {"and", "of", "for"} for w in stripped.split())
    ):
        return line_start + line.index(stripped)
    s = start
    words_of_titles = title_words()
    for _ in range(3):
        m = MODIFIER.search(text, max(line_start, s - 30), s)
        word = m.group(1).lower() if m is not None else ""
        if m is None or word in NOT_MODIFIER or (PARTICIPLE.search(word) and word not in words_of_titles):
            break  # "motivated salesperson", "Named Salesperson": a description, not the title
        s = m.start(1)
    return s


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every word of the occupation lexicon ("assistant", "chartered", "licensed")."""
    return frozenset(
        w
        for key, terms in _lexicon().items()
        if any(t.label == "OCCUPATION" for t in terms)
        for w in key.replace(",", " ").split()
    )


def _accept(term: Term, surface: str, text: str, start: int, end: int) -> bool:
    if term.surface is not None and " ".join(surface.split()) != term.surface:
        return False
    return term.cue is None or cue_near(text, start, end, term.cue, 40)


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """First word of a lexicon entry -> the most words an entry starting with it has (most
    tokens start no multi-word entry, so most positions need one look-up, not five)."""
    out: dict[str, int] = {}
    for key in _lexicon():
        tokens = TOKEN.findall(key)
        if len(tokens) > 1 and TOKEN.match(key) is not None:
            out[tokens[0]] = max(out.get(tokens[0], 1), len(tokens))
    return out


PEOPLE_LABELS = frozenset({"ORIGIN", "RELIGION"})


def _plural_of_people(lexicon: dict[str, tuple[Term, ...]], key: str) -> tuple[Term, ...] | None:
    """"ecuadorians", "bruneians": the plural of a nationality or a religion's follower."""
    for singular in (key[:-1], key[:-2] if key.endswith("es") else ""):
        terms = tuple(t for t in lexicon.get(singular, ()) if t.label in PEOPLE_LABELS and t.surface is None)
        if terms:
            return terms
    return None


@recognizer(
    "vocabulary",
    "GENDER", "MARITAL_STATUS", "SEXUALITY", "ZODIAC_SIGN", "RELIGION", "POLITICAL_AFFILIATION",
    "LANGUAGE", "PHYSICAL_ATTRIBUTE", "CONDITION", "DRUG", "INJURY", "MEDICAL_PROCESS", "OCCUPATION", "ORIGIN",
)
def find_terms(text: str) -> Iterator[Span]:
    lexicon = _lexicon()
    longest = _longest_from()
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    lowered = text.lower()
    i = 0
    while i < len(tokens):
        matched = False
        first = lowered[tokens[i][0] : tokens[i][1]]
        for n in range(min(longest.get(first, 1), len(tokens) - i), 0, -1):
            start, end = tokens[i][0], tokens[i + n - 1][1]
            key = " ".join(lowered[start:end].split()) if n > 1 else lowered[start:end]
            terms = lexicon.get(key)
            if not terms and n == 1 and len(key) > 4 and key.endswith("s"):
                terms = _plural_of_people(lexicon, key)
            if not terms:
                continue
            surface = text[start:end]
            for term in terms:
                if _accept(term, surface, text, start, end):
                    s = _occupation_start(text, start, end) if term.label == "OCCUPATION" else start
                    yield Span(s, end, term.label, SCORES.get(term.label, 0.85), "context")
                    matched = True
            if matched:
                i += n
                break
        if not matched:
            i += 1


@recognizer("blood_type", "BLOOD_TYPE")
def find_blood_types(text: str) -> Iterator[Span]:
    for m in BLOOD.finditer(text):
        if cue_near(text, m.start(), m.end(), BLOOD_CUE, 40):
            yield Span(m.start(), m.end(), "BLOOD_TYPE", 0.9, "context")
