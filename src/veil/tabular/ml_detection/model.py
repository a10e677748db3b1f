"""The shipped column classifier: multinomial logistic regression stored as JSON
coefficients (``data/qi_model.json``, no pickle) and evaluated with numpy.

``apply_model`` overlays the model's decision on the heuristic classification of each column:

- known identifiers / sensitive columns and custom patterns are the user's word and stay;
  constant, empty and free-text columns keep the rule's class (see ``_scored``);
- every column a built-in pattern calls DI or QI stays at least QI, and a column the value
  recognizers call DI stays DI; where the model agrees with such a rule the rule's method and
  reason stay (the model's probabilities are appended);
- ``ml`` takes the model's class for every other column; ``auto`` only where the model's
  probability is at least the artifact's ``confidence_threshold``, the heuristic elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.detection import (
    ColumnClassification,
    DetectionPattern,
    builtin_patterns,
    name_matches,
    value_match_ratio,
)
from veil.tabular.hierarchy import column_text
from veil.tabular.ml_detection.features import FEATURE_NAMES, column_features

ARTIFACT = "data/qi_model.json"
CARD = "data/qi_model_card.md"
CLASSES = ("DI", "QI", "SI", "NSI")


@dataclass(frozen=True)
class QIModel:
    version: str
    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    confidence_threshold: float
    metrics: dict[str, Any]
    trained_at: str

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "veil-qi-logreg/1",
            "version": self.version,
            "trained_at": self.trained_at,
            "classes": list(self.classes),
            "features": list(self.features),
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "weights": [[round(float(v), 8) for v in row] for row in self.weights],
            "bias": [round(float(v), 8) for v in self.bias],
            "confidence_threshold": self.confidence_threshold,
            "metrics": self.metrics,
        }


def parse_model(doc: dict[str, Any]) -> QIModel:
    if doc.get("format") != "veil-qi-logreg/1":
        raise ValueError("unknown model format")
    feats = tuple(doc["features"])
    if feats != FEATURE_NAMES:
        raise ValueError("the model's features do not match this version of the feature extractor")
    weights = np.asarray(doc["weights"], dtype=float)
    if weights.shape != (len(feats), len(doc["classes"])):
        raise ValueError("weights have the wrong shape")
    return QIModel(
        version=str(doc["version"]), classes=tuple(doc["classes"]), features=feats,
        mean=np.asarray(doc["mean"], dtype=float), scale=np.asarray(doc["scale"], dtype=float),
        weights=weights, bias=np.asarray(doc["bias"], dtype=float),
        confidence_threshold=float(doc["confidence_threshold"]), metrics=dict(doc.get("metrics") or {}),
        trained_at=str(doc.get("trained_at", "")),
    )


@lru_cache(maxsize=1)
def load_model() -> QIModel:
    try:
        text = resources.files("veil.tabular").joinpath(ARTIFACT).read_text(encoding="utf-8")
        return parse_model(json.loads(text))
    except (OSError, ValueError, KeyError) as exc:
        raise InvalidInputError(f"the detection model could not be loaded ({exc}); use mode 'heuristic'",
                                field="mode") from None


def _name_patterns() -> list[DetectionPattern]:
    return [p for p in sorted(builtin_patterns(), key=lambda p: p.priority) if p.column_patterns != ["*"]]


def name_class(column: str) -> str | None:
    """Class of the first built-in pattern whose name glob matches (value checks aside)."""
    return next((p.classification for p in _name_patterns() if name_matches(p, column)), None)


def value_ratio(pattern_name: str, present: np.ndarray) -> float:
    pat = next((p for p in builtin_patterns() if p.name == pattern_name), None)
    if pat is None or present.size == 0:
        return 0.0
    return value_match_ratio(pat, present[:1000])


def frame_features(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    rows = []
    for col in columns:
        text = column_text(frame[col])
        present = text[text != ""]
        rows.append(column_features(str(col), np.asarray(present, dtype=object), int(text.shape[0]),
                                    name_class, value_ratio))
    return np.vstack(rows) if rows else np.zeros((0, len(FEATURE_NAMES)))


_FLOORED_METHODS = frozenset({"pattern", "values"})
_KEPT_METHODS = frozenset({"known", "custom_pattern"})


FREE_TEXT_LENGTH = 60  # mean characters per value above which a column is free text (as the rule)


def _is_free_text(column: pd.Series) -> bool:
    text = column_text(column)
    present = text[text != ""][:2000]
    return bool(present.shape[0]) and float(pd.Series(present).astype(str).str.len().mean()) > FREE_TEXT_LENGTH


def _scored(info: ColumnClassification, frame: pd.DataFrame) -> bool:
    """Columns the model classifies. Not: the user's own classes (known columns, custom
    patterns); constant and empty columns (nothing in them identifies anyone: the rule's NSI
    stays); free text (any sentence may name someone, so no column classifier vouches for it:
    the rule's class stays, a unique text column DI, another a low-confidence NSI, which
    anonymization treats as unsafe to keep)."""
    if info.method in _KEPT_METHODS or info.cardinality <= 1:
        return False
    return not _is_free_text(frame[info.name])


def apply_model(frame: pd.DataFrame, infos: list[ColumnClassification], mode: str) -> dict[str, Any]:
    """Overlay the model on the heuristic ``infos`` (in place); returns ``model_metrics``."""
    model = load_model()
    todo = [i for i in infos if _scored(i, frame)]
    probs = model.predict_proba(frame_features(frame, [i.name for i in todo])) if todo else np.zeros((0, 4))
    decided = 0
    for info, p in zip(todo, probs, strict=True):
        best = int(np.argmax(p))
        label, conf = model.classes[best], float(p[best])
        dist = ", ".join(f"{c} {v:.2f}" for c, v in zip(model.classes, p, strict=True))
        if mode == "auto" and conf < model.confidence_threshold:
            info.reason += f"; model not confident ({dist})"
            continue
        floor = info.method in _FLOORED_METHODS and info.classification in ("DI", "QI")
        if floor and label == info.classification:
            # the model agrees with the rule: keep the rule's evidence, add the model's word
            info.confidence = round(max(conf, info.confidence), 4)
            info.reason += f"; model agrees ({dist})"
        elif floor and info.method == "values" and info.classification == "DI":
            # the recognizers validated the values themselves: stronger evidence than the model
            info.reason += f"; model says {label} ({dist}), kept DI"
        elif floor and label not in ("DI", "QI"):
            info.classification = "QI"
            info.confidence = round(conf, 4)
            info.reason = f"model says {label} ({dist}), kept QI: {info.reason}"
            info.method = "ml+pattern"
        else:
            info.classification = label
            info.confidence = round(conf, 4)
            info.reason = f"model: {dist}"
            info.method = "ml"
        decided += 1
    headline = model.metrics.get("generated", {}).get(mode if mode in ("ml", "auto") else "ml", {})
    per = headline.get("per_class", {})

    def macro(key: str) -> float | None:
        vals = [float(v[key]) for v in per.values() if v.get("support")]
        return round(sum(vals) / len(vals), 4) if vals else None

    return {
        "accuracy": headline.get("accuracy"),
        "precision": macro("precision"),
        "recall": macro("recall"),
        "f1": headline.get("macro_f1"),
        "per_class": per,
        "model": "veil-qi-logreg",
        "version": model.version,
        "trained_at": model.trained_at,
        "training_data_card": f"veil/tabular/{CARD}",
        "confidence_threshold": model.confidence_threshold,
        "columns_scored": len(todo),
        "columns_decided_by_model": decided,
        "held_out": model.metrics,
    }
