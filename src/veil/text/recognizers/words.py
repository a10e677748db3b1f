"""The lowercase words of a text, computed once per text and shared by the recognizers that
only run when one of their trigger words occurs (a set intersection instead of a regex scan)."""

from __future__ import annotations

import re
from functools import lru_cache

LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=64)
def lowercase_words(text: str) -> frozenset[str]:
    """Every maximal run of letters in ``text``, lowercased ("500mg" -> "mg", "MRN_12" -> "mrn")."""
    return frozenset(w.lower() for w in LETTERS.findall(text))
