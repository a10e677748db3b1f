"""Text de-identification (seed 002): detect personal data in text and replace it with markers or fakes.

    from veil.text import deidentify, DeidentifyOptions
    [res] = deidentify("Hi John, my name is Grace.")
    res.result  # 'Hi [NAME_1], my name is [NAME_2].'
"""

from veil.text.engine import TextDeidentifier, default_engine, deidentify
from veil.text.entities import ENTITY_TYPES, list_entity_types
from veil.text.options import ENGLISH_MODES, MULTILINGUAL_MODES, DeidentifyOptions
from veil.text.registry import (
    VALIDATORS,
    PatternSpec,
    RecognizerRegistry,
    RecognizerSpec,
    build_recognizer,
    default_registry,
    load_recognizers_yaml,
)
from veil.text.results import DeidResult, PiiEntity

__all__ = [
    "ENGLISH_MODES",
    "ENTITY_TYPES",
    "MULTILINGUAL_MODES",
    "VALIDATORS",
    "DeidResult",
    "DeidentifyOptions",
    "PatternSpec",
    "PiiEntity",
    "RecognizerRegistry",
    "RecognizerSpec",
    "TextDeidentifier",
    "build_recognizer",
    "default_engine",
    "default_registry",
    "deidentify",
    "list_entity_types",
    "load_recognizers_yaml",
]
