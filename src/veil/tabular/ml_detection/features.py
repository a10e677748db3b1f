"""Column features for the ML detector: name concepts, value shapes, uniqueness, entropy,
built-in pattern hits and rule-recognizer hits from ``veil.text``.

Every feature is a finite float; ``FEATURE_NAMES`` fixes their order (the model artifact
stores it and the loader checks it).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from veil.tabular.ml_detection.lexicon import CONCEPTS, OPAQUE_TOKENS

RECOGNIZER_SAMPLE = 40  # distinct values per column given to the text recognizers
STATS_SAMPLE = 2000  # values per column for the shape statistics

RECOGNIZER_KINDS = (
    "EMAIL_ADDRESS", "URL", "IP_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "BANK_ACCOUNT", "SSN",
    "DATE", "ZIP", "STREET", "NAME", "MONEY",
)
PATTERN_CLASSES = ("DI", "QI", "SI", "NSI")
VALUE_PATTERNS = ("email_values", "ssn_values", "phone_values", "iban_values", "ip_address", "url")

STAT_NAMES = (
    "null_ratio", "uniqueness", "log_cardinality", "log_rows", "entropy", "top_share", "numeric",
    "integer", "decimal", "negative", "bool_like", "date_shape", "mean_len", "std_len", "fixed_len",
    "digit_share", "alpha_share", "upper_share", "space_share", "punct_share", "mean_words",
    "small_int_range", "age_range", "sequential", "log_range", "leading_zero", "mixed_alnum",
    "capitalised_words", "year_range",
)
FEATURE_NAMES: tuple[str, ...] = (
    *(f"name_{c}" for c in CONCEPTS),
    "name_opaque",
    "name_tokens",
    *(f"pattern_{c}" for c in PATTERN_CLASSES),
    *(f"value_{p}" for p in VALUE_PATTERNS),
    *(f"rec_{k}" for k in RECOGNIZER_KINDS),
    *(f"stat_{s}" for s in STAT_NAMES),
    "x_unique_text",
    "x_unique_int",
    "x_lowcard",
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_DATE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?.*|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}.*"
)
_BOOL = frozenset({"true", "false", "yes", "no", "y", "n", "0", "1", "t", "f", "ja", "nein", "oui", "non", "si"})


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def name_tokens(column: str) -> list[str]:
    """``patientDOB_2`` -> ``['patient', 'dob', '2']``; accents folded to ASCII."""
    spaced = _CAMEL.sub(" ", fold(str(column)))
    return [t for t in _SPLIT.split(spaced.lower()) if t]


@lru_cache(maxsize=1)
def _concept_index() -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    exact: dict[str, set[str]] = {}
    inside: list[tuple[str, str]] = []
    for concept, words in CONCEPTS.items():
        for w in words:
            exact.setdefault(w, set()).add(concept)
            if len(w) >= 5:
                inside.append((w, concept))
    return exact, inside


def name_features(column: str) -> dict[str, float]:
    tokens = name_tokens(column)
    compact = "".join(tokens)
    exact, inside = _concept_index()
    out = {f"name_{c}": 0.0 for c in CONCEPTS}
    for t in tokens:
        for c in exact.get(t, ()):
            out[f"name_{c}"] = 1.0
    for w, c in inside:
        if w in compact:
            out[f"name_{c}"] = 1.0
    alpha = [t for t in tokens if not t.isdigit()]
    out["name_opaque"] = 1.0 if not alpha or all(t in OPAQUE_TOKENS or len(t) == 1 for t in alpha) else 0.0
    out["name_tokens"] = float(min(len(tokens), 6))
    return out


# e-mail addresses, IPs and money are declarative entries of the text registry now; the
# value_* pattern features cover the first two (the shipped model was trained without them)
_RECOGNIZER_NAMES = ("find_urls", "find_phones", "find_cards", "find_ibans",
                     "find_ssn", "find_dates", "find_zips", "find_streets", "find_gazetteer_names")


@lru_cache(maxsize=1)
def _recognizers() -> tuple[Any, ...]:
    """The cheap code rule recognizers of ``veil.text`` (no spaCy model); e-mail addresses and
    IPs are also covered by the ``value_*`` pattern features."""
    import veil.text.recognizers as rec

    # a renamed recognizer must fail loudly, not turn its feature into a silent 0
    return tuple(getattr(rec, n) for n in _RECOGNIZER_NAMES)


def recognizer_features(values: Sequence[str]) -> dict[str, float]:
    """Share of the sampled values that one recognizer covers (>= 90 % of the characters)."""
    out = {f"rec_{k}": 0.0 for k in RECOGNIZER_KINDS}
    if not values:
        return out
    counts = dict.fromkeys(RECOGNIZER_KINDS, 0)
    for text in values:
        n = len(text)
        seen: set[str] = set()
        for rec in _recognizers():
            for sp in rec.find(text):
                if sp.label in counts and sp.end - sp.start >= 0.9 * n:
                    seen.add(sp.label)
        for label in seen:
            counts[label] += 1
    for k, v in counts.items():
        out[f"rec_{k}"] = v / len(values)
    return out


def pattern_features(
    column: str, present: np.ndarray, name_class: Callable[[str], str | None],
    value_ratio: Callable[[str, np.ndarray], float],
) -> dict[str, float]:
    cls = name_class(column)
    out = {f"pattern_{c}": 1.0 if cls == c else 0.0 for c in PATTERN_CLASSES}
    for p in VALUE_PATTERNS:
        out[f"value_{p}"] = value_ratio(p, present)
    return out


def _share(s: pd.Series, rx: str) -> float:
    lengths = s.str.len().clip(lower=1)
    return float((s.str.count(rx) / lengths).mean())


def stat_features(present: np.ndarray, n_rows: int) -> dict[str, float]:
    out = {f"stat_{s}": 0.0 for s in STAT_NAMES}
    n = int(present.shape[0])
    out["stat_null_ratio"] = 1.0 - n / n_rows if n_rows else 1.0
    out["stat_log_rows"] = math.log10(max(n_rows, 1))
    if n == 0:
        return out
    counts = pd.Series(present).value_counts(sort=True)
    card = int(counts.shape[0])
    probs = counts.to_numpy(dtype=float) / n
    out["stat_uniqueness"] = card / n
    out["stat_log_cardinality"] = math.log10(card)
    out["stat_entropy"] = float(-(probs * np.log(probs)).sum() / math.log(n)) if n > 1 else 0.0
    out["stat_top_share"] = float(probs[0])
    s = pd.Series(present[:STATS_SAMPLE], dtype=object).astype(str).str.strip()
    nums = pd.to_numeric(s, errors="coerce")
    numeric = nums.notna()
    out["stat_numeric"] = float(numeric.mean())
    if numeric.any():
        v = nums[numeric].to_numpy(dtype=float)
        finite = v[np.isfinite(v)]
        if finite.size:
            integer = np.isclose(finite, np.round(finite))
            out["stat_integer"] = float(integer.mean())
            out["stat_decimal"] = float(s[numeric].str.contains(r"[.,]\d", regex=True).mean())
            out["stat_negative"] = float((finite < 0).mean())
            lo, hi = float(finite.min()), float(finite.max())
            out["stat_small_int_range"] = 1.0 if integer.all() and hi - lo <= 20 else 0.0
            out["stat_age_range"] = 1.0 if integer.mean() > 0.9 and lo >= 0 and hi <= 120 and hi - lo > 10 else 0.0
            out["stat_year_range"] = 1.0 if integer.all() and lo >= 1900 and hi <= 2100 else 0.0
            spread = hi - lo
            out["stat_log_range"] = math.log10(1.0 + spread) if math.isfinite(spread) and spread > 0 else 0.0
            if integer.all() and finite.size > 2:
                d = np.diff(np.sort(finite))
                out["stat_sequential"] = float((d == 1).mean())
    lower = s.str.lower()
    out["stat_bool_like"] = float(lower.isin(_BOOL).mean()) if card <= 3 else 0.0
    out["stat_date_shape"] = float(s.str.fullmatch(_DATE.pattern).fillna(False).mean())
    lengths = s.str.len()
    out["stat_mean_len"] = min(float(lengths.mean()), 200.0) / 20.0
    out["stat_std_len"] = min(float(lengths.std(ddof=0)), 100.0) / 10.0
    out["stat_fixed_len"] = 1.0 if int(lengths.nunique()) == 1 else 0.0
    out["stat_digit_share"] = _share(s, r"\d")
    out["stat_alpha_share"] = _share(s, r"[^\W\d_]")
    out["stat_upper_share"] = _share(s, r"[A-Z]")
    out["stat_space_share"] = _share(s, r"\s")
    out["stat_punct_share"] = _share(s, r"[^\w\s]")
    out["stat_mean_words"] = min(float(s.str.split().str.len().mean()), 50.0) / 5.0
    out["stat_leading_zero"] = float(s.str.match(r"0\d").mean())
    out["stat_mixed_alnum"] = float((s.str.contains(r"\d") & s.str.contains(r"[A-Za-z]")).mean())
    out["stat_capitalised_words"] = float(s.str.fullmatch(r"([A-Z][a-z'\-]+)( [A-Z][a-z'\-]+)*").fillna(False).mean())
    return out


def column_features(
    column: str, present: np.ndarray, n_rows: int, name_class: Callable[[str], str | None],
    value_ratio: Callable[[str, np.ndarray], float],
) -> np.ndarray:
    """The feature vector of one column (``present`` = its non-empty values as strings)."""
    feats: dict[str, float] = {}
    feats.update(name_features(column))
    feats.update(pattern_features(column, present, name_class, value_ratio))
    distinct = [str(v) for v in pd.unique(present[:STATS_SAMPLE])[:RECOGNIZER_SAMPLE]]
    feats.update(recognizer_features(distinct))
    feats.update(stat_features(present, n_rows))
    uniq = feats["stat_uniqueness"]
    feats["x_unique_text"] = uniq * (1.0 - feats["stat_numeric"])
    feats["x_unique_int"] = uniq * feats["stat_integer"] * feats["stat_numeric"]
    feats["x_lowcard"] = 1.0 if 1 < 10 ** feats["stat_log_cardinality"] <= 12 and present.shape[0] > 0 else 0.0
    vec = np.array([feats[f] for f in FEATURE_NAMES], dtype=float)
    return np.nan_to_num(vec, nan=0.0, posinf=0.0, neginf=0.0)
