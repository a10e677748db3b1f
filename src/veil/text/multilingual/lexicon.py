"""Common words per language, to tell capitalised common nouns from names.

The word lists are simplemma's lemmatisation dictionaries (``simplemma`` 2.0.0, code MIT; data
from lemmatisation lists under ODbL, Wiktionary via Kaikki, FreeLing, spaCy lookups, UniMorph,
Wikinflection; see its ``licenses`` folder), read from the installed package, never modified or
redistributed. Only the set of inflected forms is kept, as a sorted array of 64-bit string
hashes (the process's own ``hash``), so a language costs a few megabytes instead of the
dictionary's ~100 MB; lookups are a binary search. Each language loads lazily once (German
about 2 s, Italian about 0.5 s).

- German (``de``): the forms are case-sensitive and nouns are capitalised ("Parteien",
  "Ministerpräsident"), so a capitalised word is looked up as written. The lists also hold some
  proper nouns ("Berlin", "Hans"): callers check the name and place gazetteers first.
- Other languages: the forms are lower case; a word is looked up lower-cased. Names are
  almost absent ("socrate", "milano" are not in the Italian list).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

SUPPORTED = ("de", "it", "pt", "es", "fr", "en")
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _forms(lang: str) -> np.ndarray:
    """Sorted hashes of the language's word forms (empty when simplemma is not installed)."""
    with _lock:
        try:
            from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk
        except ImportError:
            return np.empty(0, dtype=np.int64)
        raw = _load_dictionary_from_disk(lang)
        values: set[int] = set()
        for key, lemma in raw.items():
            values.add(hash(key.decode("utf-8", "replace")))
            values.add(hash(lemma.decode("utf-8", "replace")))
        del raw
        return np.unique(np.fromiter(values, dtype=np.int64, count=len(values)))


def _member(table: np.ndarray, word: str) -> bool:
    if not len(table):
        return False
    h = hash(word)
    i = int(np.searchsorted(table, h))
    return i < len(table) and int(table[i]) == h


def is_word(lang: str, word: str) -> bool:
    """Whether ``word`` is a known form of the language (German: as written; others: lower-cased)."""
    if lang not in SUPPORTED:
        return False
    table = _forms(lang)
    return _member(table, word) if lang == "de" else _member(table, word.lower())


def available() -> bool:
    try:
        import simplemma  # noqa: F401
    except ImportError:
        return False
    return True
