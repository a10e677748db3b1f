"""Quasi-identifier detection: classify columns as DI / QI / SI / NSI.

Order of decisions for every column (first match wins):

1. ``ignore_columns`` are skipped; ``known_identifiers`` -> DI, ``known_sensitive`` -> SI;
2. patterns, custom ones first then the built-in ones (``data/qi_patterns.yaml``), each by
   ascending ``priority``: a pattern matches when a column-name glob matches
   (case-insensitive; ``-``, ``_`` and spaces are alike) and, if it has value regexes,
   at least ``min_match_ratio`` of the sampled non-empty values fully match one of them;
3. values: an optional ``value_detector`` (the service passes the text engine's
   recognizers: e-mail, phone, SSN, payment card, IBAN, IP, URL, person names) gets up to
   300 sampled values, at the position of the first built-in value-regex pattern (the
   regexes remain the fallback without a detector); when at least 80 % are recognised as
   one kind -> DI;
4. uniqueness: distinct non-empty values / non-empty values ``>= uniqueness_threshold``
   -> DI (a column that singles out almost every record is an identifier);
5. every other column is a QI candidate, except free text (long values) and constant
   columns (NSI).

QI candidates (from patterns and from step 5) are ranked by **importance**: a column's
average marginal contribution (over 24 fixed column orders, a Shapley-value estimate)
to the number of distinct quasi-identifier combinations per record, i.e. to the average
prosecutor re-identification risk ``classes / records``, normalised to sum to 1.
Columns are ``selected`` in rank order while the cumulative importance before them is
below ``cumulative_importance_threshold`` and at most ``max_quasi_identifiers`` are
selected; the others stay QIs (the ranking orders, it never declassifies a column:
auto-anonymization generalizes every QI) with the reason saying they are past the cutoff.

Modes: ``heuristic`` is the procedure above. ``ml`` runs the shipped column classifier
(``veil.tabular.ml_detection``: logistic regression over name, value, pattern and
recognizer features) on every column the user did not classify (known columns and custom
patterns stay), keeping every column a built-in pattern calls DI or QI at least QI;
``auto`` takes the model's class where its probability reaches the artifact's confidence
threshold and the heuristic class elsewhere. ``model_metrics`` then carries the model
version, its training data card and its held-out per-class precision / recall / F1.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from veil.errors import InvalidInputError
from veil.tabular.config import as_frame
from veil.tabular.hierarchy import column_text

CLASSIFICATIONS = ("DI", "QI", "SI", "NSI")
MODES = ("auto", "heuristic", "ml")
SAMPLING_METHODS = ("fast", "full", "adaptive")
FAST_SAMPLE = 10_000
VALUE_SAMPLE = 300  # values per column handed to the value detector
VALUE_MATCH_RATIO = 0.8


@dataclass
class DetectionPattern:
    name: str
    classification: str
    column_patterns: list[str]
    priority: int = 50
    value_patterns: list[str] = field(default_factory=list)
    min_match_ratio: float = 0.8
    description: str | None = None
    builtin: bool = False

    def __post_init__(self) -> None:
        self._regexes: list[re.Pattern[str]] = []

    def compiled(self) -> list[re.Pattern[str]]:
        if not self._regexes and self.value_patterns:
            self._regexes = [re.compile(p) for p in self.value_patterns]
        return self._regexes


def validate_pattern(data: Mapping[str, Any], *, field: str = "pattern", partial: bool = False) -> dict[str, Any]:
    """Check a pattern's fields; returns the cleaned fields. Used by the service too."""
    out: dict[str, Any] = {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise InvalidInputError("name must be a non-empty string (at most 200 characters)", field=f"{field}.name")
        out["name"] = name.strip()
    if "classification" in data or not partial:
        cls = str(data.get("classification", "")).upper()
        if cls not in CLASSIFICATIONS:
            raise InvalidInputError("classification must be DI, QI, SI or NSI", field=f"{field}.classification")
        out["classification"] = cls
    if "column_patterns" in data or not partial:
        cps = data.get("column_patterns")
        if not isinstance(cps, list) or not cps or not all(isinstance(c, str) and c for c in cps):
            raise InvalidInputError("column_patterns must be a non-empty list of globs", field=f"{field}.column_patterns")
        out["column_patterns"] = list(cps)
    if data.get("priority") is not None or not partial:
        pr = data.get("priority", 50)
        if isinstance(pr, bool) or not isinstance(pr, int) or not 1 <= pr <= 1000:
            raise InvalidInputError("priority must be an integer from 1 to 1000", field=f"{field}.priority")
        out["priority"] = pr
    if data.get("value_patterns") is not None or not partial:
        vps = data.get("value_patterns") or []
        if not isinstance(vps, list) or not all(isinstance(v, str) for v in vps):
            raise InvalidInputError("value_patterns must be a list of regexes", field=f"{field}.value_patterns")
        for i, v in enumerate(vps):
            try:
                re.compile(v)
            except re.error as exc:
                raise InvalidInputError(f"invalid regex: {exc.msg}", field=f"{field}.value_patterns[{i}]") from None
        out["value_patterns"] = list(vps)
    if data.get("min_match_ratio") is not None or not partial:
        r = data.get("min_match_ratio", 0.8)
        if isinstance(r, bool) or not isinstance(r, int | float) or not 0.0 <= float(r) <= 1.0:
            raise InvalidInputError("min_match_ratio must be between 0 and 1", field=f"{field}.min_match_ratio")
        out["min_match_ratio"] = float(r)
    if "description" in data:
        d = data.get("description")
        if d is not None and not isinstance(d, str):
            raise InvalidInputError("description must be a string", field=f"{field}.description")
        out["description"] = d
    return out


def load_builtin_patterns(text: str | None = None) -> list[DetectionPattern]:
    """Parse the packaged patterns file (or the given YAML text)."""
    if text is None:
        text = resources.files("veil.tabular").joinpath("data/qi_patterns.yaml").read_text(encoding="utf-8")
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise InvalidInputError("the patterns file is not valid YAML", field="patterns") from None
    out: list[DetectionPattern] = []
    for i, raw in enumerate(doc.get("patterns", [])):
        clean = validate_pattern(raw, field=f"patterns[{i}]")
        out.append(DetectionPattern(**clean, builtin=True))
    return out


@lru_cache(maxsize=1)
def builtin_patterns() -> tuple[DetectionPattern, ...]:
    return tuple(load_builtin_patterns())


def reload_builtin_patterns() -> int:
    builtin_patterns.cache_clear()
    return len(builtin_patterns())


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def name_matches(pattern: DetectionPattern, column: str) -> bool:
    col = _norm(column)
    return any(fnmatch.fnmatchcase(col, _norm(g)) for g in pattern.column_patterns)


def value_match_ratio(pattern: DetectionPattern, values: np.ndarray) -> float:
    regexes = pattern.compiled()
    if not regexes or values.size == 0:
        return 0.0
    s = pd.Series(values, dtype=object).astype(str)
    hit = np.zeros(s.shape[0], dtype=bool)
    for rx in regexes:
        hit |= s.str.fullmatch(rx.pattern).fillna(False).to_numpy(dtype=bool)
    return float(hit.mean())


@dataclass
class ColumnClassification:
    name: str
    classification: str
    confidence: float
    reason: str
    method: str
    pattern: str | None = None
    uniqueness: float = 0.0
    cardinality: int = 0
    null_ratio: float = 0.0
    dtype: str = ""
    importance: float | None = None
    rank: int | None = None
    selected: bool | None = None  # QIs: within the importance cutoff (all QIs are generalized)


@dataclass
class Detection:
    quasi_identifiers: list[str]
    direct_identifiers: list[str]
    sensitive_attributes: list[str]
    insensitive_attributes: list[str]
    attributes: list[ColumnClassification]
    mode: str
    sampling: dict[str, Any]
    model_metrics: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d


def sample_frame(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    """Deterministic samples: fast = 10,000 rows; adaptive = grows with the table
    (10,000 + 10 % of the rest, at most 100,000); full = everything."""
    n = frame.shape[0]
    if method == "full" or n <= FAST_SAMPLE:
        return frame
    size = FAST_SAMPLE if method == "fast" else min(100_000, FAST_SAMPLE + (n - FAST_SAMPLE) // 10)
    if size >= n:
        return frame
    return frame.sample(n=size, random_state=0).reset_index(drop=True)


def _importance(frame: pd.DataFrame, candidates: list[str], permutations: int = 24) -> dict[str, float]:
    """Shapley-style contributions to ``classes / records`` (see module doc)."""
    if not candidates:
        return {}
    n = frame.shape[0]
    codes = {c: pd.factorize(column_text(frame[c]), sort=False)[0].astype(np.int64) for c in candidates}
    cards = {c: int(codes[c].max()) + 1 if n else 1 for c in candidates}
    rng = np.random.default_rng(0)
    gains = dict.fromkeys(candidates, 0.0)
    orders = [list(candidates), list(reversed(candidates))]
    orders += [list(rng.permutation(candidates)) for _ in range(max(0, permutations - 2))]
    for order in orders:
        key = np.zeros(n, dtype=np.int64)
        current = 1
        for c in order:
            k2, uniq = pd.factorize(key * cards[c] + codes[c], sort=False)
            classes = len(uniq)
            gains[c] += (classes - current) / n
            current = classes
            key = k2.astype(np.int64)
    total = sum(gains.values())
    if total <= 0:
        return dict.fromkeys(candidates, 0.0)
    return {c: g / total for c, g in gains.items()}


def detect_qi(
    data: Any,
    *,
    mode: str = "auto",
    sampling_method: str = "fast",
    cumulative_importance_threshold: float = 0.8,
    max_quasi_identifiers: int = 10,
    uniqueness_threshold: float = 0.95,
    known_identifiers: Sequence[str] | None = None,
    known_sensitive: Sequence[str] | None = None,
    ignore_columns: Sequence[str] | None = None,
    custom_patterns: Sequence[DetectionPattern] | None = None,
    value_detector: Callable[[list[str]], tuple[str, float] | None] | None = None,
) -> Detection:
    mode = str(mode).lower()
    if mode not in MODES:
        raise InvalidInputError("mode must be auto, heuristic or ml", field="mode")
    sampling_method = str(sampling_method).lower()
    if sampling_method not in SAMPLING_METHODS:
        raise InvalidInputError("sampling_method must be fast, full or adaptive", field="sampling_method")
    for name, v in (("cumulative_importance_threshold", cumulative_importance_threshold),
                    ("uniqueness_threshold", uniqueness_threshold)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= float(v) <= 1.0:
            raise InvalidInputError(f"{name} must be between 0 and 1", field=name)
    if isinstance(max_quasi_identifiers, bool) or not isinstance(max_quasi_identifiers, int) or max_quasi_identifiers < 0:
        raise InvalidInputError("max_quasi_identifiers must be a whole number >= 0", field="max_quasi_identifiers")
    frame = as_frame(data)
    columns = list(frame.columns)
    for fname, lst in (("known_identifiers", known_identifiers), ("known_sensitive", known_sensitive),
                       ("ignore_columns", ignore_columns)):
        for i, c in enumerate(lst or []):
            if c not in columns:
                raise InvalidInputError(f"unknown column '{c}'", field=f"{fname}[{i}]")
    ignore = set(ignore_columns or [])
    known_di = set(known_identifiers or [])
    known_si = set(known_sensitive or [])
    sample = sample_frame(frame, sampling_method)
    patterns = sorted(custom_patterns or [], key=lambda p: p.priority) + sorted(
        builtin_patterns(), key=lambda p: p.priority
    )
    results: list[ColumnClassification] = []
    candidates: list[str] = []
    for col in columns:
        if col in ignore:
            continue
        text = column_text(sample[col])
        present = text[text != ""]
        n_present = present.shape[0]
        cardinality = int(pd.unique(present).shape[0]) if n_present else 0
        uniqueness = cardinality / n_present if n_present else 0.0
        info = ColumnClassification(
            name=col, classification="NSI", confidence=0.5, reason="", method="heuristic",
            uniqueness=round(uniqueness, 6), cardinality=cardinality,
            null_ratio=round(1 - n_present / max(text.shape[0], 1), 6), dtype=str(frame[col].dtype),
        )
        if col in known_di:
            info.classification, info.confidence, info.reason, info.method = "DI", 1.0, "known identifier", "known"
        elif col in known_si:
            info.classification, info.confidence, info.reason, info.method = "SI", 1.0, "known sensitive", "known"
        else:
            matched = _match_patterns(patterns, col, present, value_detector)
            if matched is not None and matched[0].name == _RECOGNISED:
                label = matched[0].description or "identifier"
                info.classification, info.confidence, info.method = "DI", round(0.6 + 0.4 * matched[1], 4), "values"
                info.reason = f"{matched[1]:.0%} of the values are recognised as {label}"
            elif matched is not None:
                pat, ratio = matched
                info.classification = pat.classification
                info.pattern = pat.name
                info.method = "custom_pattern" if not pat.builtin else "pattern"
                if pat.value_patterns:
                    info.confidence = round(0.6 + 0.4 * ratio, 4)
                    info.reason = f"values match pattern '{pat.name}' ({ratio:.0%})"
                else:
                    info.confidence = 0.9
                    info.reason = f"column name matches pattern '{pat.name}'"
            elif n_present and uniqueness >= uniqueness_threshold and cardinality > 1:
                info.classification, info.confidence = "DI", round(min(1.0, uniqueness), 4)
                info.reason, info.method = f"{uniqueness:.0%} of the values are unique", "uniqueness"
            elif cardinality <= 1:
                info.classification, info.confidence, info.reason = "NSI", 0.9, "constant column"
            elif n_present and float(pd.Series(present[:2000]).astype(str).str.len().mean()) > 60:
                info.classification, info.confidence, info.reason = "NSI", 0.6, "free text"
            else:
                info.classification, info.confidence, info.reason = "QI", 0.6, "candidate quasi-identifier"
        if info.classification == "QI":
            candidates.append(col)
        results.append(info)
    model_metrics: dict[str, Any] | None = None
    if mode in ("ml", "auto"):
        from veil.tabular.ml_detection import apply_model

        model_metrics = apply_model(sample, results, mode)
        candidates = [r.name for r in results if r.classification == "QI"]
    importance = _importance(sample, candidates)
    ranked = sorted(candidates, key=lambda c: (-importance.get(c, 0.0), columns.index(c)))
    kept: list[str] = []
    cumulative = 0.0
    for rank, col in enumerate(ranked, start=1):
        info = next(r for r in results if r.name == col)
        info.importance = round(importance.get(col, 0.0), 6)
        info.rank = rank
        # the ranking orders the QIs, it never declassifies one: a QI past the cutoff is
        # still a QI (generalized by auto-anonymization), only ``selected`` is False
        if len(kept) < max_quasi_identifiers and cumulative < cumulative_importance_threshold and (
            importance.get(col, 0.0) > 0 or info.method != "heuristic"
        ):
            kept.append(col)
            cumulative += importance.get(col, 0.0)
            info.selected = True
        else:
            info.selected = False
            info.reason += "; ranked past the cutoff (cumulative importance / max_quasi_identifiers), still a QI"
    by_class = {c: [r.name for r in results if r.classification == c] for c in CLASSIFICATIONS}
    return Detection(
        quasi_identifiers=ranked,
        direct_identifiers=by_class["DI"],
        sensitive_attributes=by_class["SI"],
        insensitive_attributes=by_class["NSI"],
        attributes=results,
        mode=mode,
        sampling={"method": sampling_method, "rows_sampled": int(sample.shape[0]), "rows_total": int(frame.shape[0])},
        model_metrics=model_metrics,
    )


_RECOGNISED = "__value_detector__"


def _match_patterns(
    patterns: Sequence[DetectionPattern],
    column: str,
    present: np.ndarray,
    value_detector: Callable[[list[str]], tuple[str, float] | None] | None = None,
) -> tuple[DetectionPattern, float] | None:
    """First matching pattern; the value detector takes the place of the first built-in pattern
    with value regexes (custom patterns, and built-in patterns of lower priority, come first)."""
    detector_done = value_detector is None or present.size == 0
    for pat in patterns:
        if not detector_done and pat.builtin and pat.value_patterns:
            detector_done = True
            assert value_detector is not None
            hit = value_detector([str(v) for v in present[:VALUE_SAMPLE]])
            if hit is not None and hit[1] >= VALUE_MATCH_RATIO:
                return DetectionPattern(_RECOGNISED, "DI", ["*"], description=hit[0]), hit[1]
        if not name_matches(pat, column):
            continue
        if pat.value_patterns:
            ratio = value_match_ratio(pat, present[:5000])
            if present.size and ratio >= pat.min_match_ratio:
                return pat, ratio
            continue
        return pat, 1.0
    return None
