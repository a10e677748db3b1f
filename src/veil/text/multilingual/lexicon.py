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


def _hashes(values: set[int]) -> np.ndarray:
    return np.unique(np.fromiter(values, dtype=np.int64, count=len(values)))


def _raw(lang: str) -> dict[bytes, bytes] | None:
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk
    except ImportError:
        return None
    table: dict[bytes, bytes] = _load_dictionary_from_disk(lang)
    return table


@lru_cache(maxsize=8)
def _tables(lang: str) -> tuple[np.ndarray, np.ndarray]:
    """(hashes of every word form and lemma, hashes of German common-noun forms; see
    :func:`is_german_noun`). Empty arrays when simplemma is not installed."""
    with _lock:
        raw = _raw(lang)
        if raw is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        values: set[int] = set()
        by_lemma: dict[str, set[str]] = {}
        for key_bytes, lemma_bytes in raw.items():
            key = key_bytes.decode("utf-8", "replace")
            lemma = lemma_bytes.decode("utf-8", "replace")
            values.add(hash(key))
            values.add(hash(lemma))
            if lang == "de" and key[:1].isupper():
                by_lemma.setdefault(lemma, set()).add(key)
        del raw
        nouns: set[int] = set()
        for lemma, forms in by_lemma.items():
            # A common noun inflects beyond the genitive that names also take (Partei/Parteien,
            # Tor/Tore); a proper noun in the lists ("Kurdistan", "Picasso") has at most "-s".
            if forms - {lemma, lemma + "s", lemma + "es", lemma + "'", lemma + "ens"}:
                nouns.update(hash(f) for f in forms)
                nouns.add(hash(lemma))
        return _hashes(values), _hashes(nouns)


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
    table = _tables(lang)[0]
    return _member(table, word) if lang == "de" else _member(table, word.lower())


def is_german_noun(word: str) -> bool:
    """Whether a capitalised word is a form of a German common noun (or nominalised adjective)
    that inflects beyond the genitive "-s" ("Parteien", "Tore", "Allgemeine"); proper nouns of
    the German lists mostly do not ("Kurdistan", "Picasso") and are not reported."""
    return _member(_tables("de")[1], word)


def available() -> bool:
    try:
        import simplemma  # noqa: F401
    except ImportError:
        return False
    return True


# Languages whose word frequencies tell a proper noun shared across languages ("Tibet",
# "Rihanna", "Mitsubishi") from a German common noun ("Jugend", "Klub", "Herbst").
OTHER_LANGUAGES = ("en", "fr", "it", "es", "pt", "nl")


@lru_cache(maxsize=1)
def _german_frequencies() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted hashes of the German word list, their German Zipf frequency, the highest Zipf
    frequency of the same word in :data:`OTHER_LANGUAGES`), from wordfreq's large lists
    (Zipf = log10 of occurrences per billion words; 0 = not listed). Empty without wordfreq."""
    empty = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32), np.empty(0, dtype=np.float32)
    with _lock:
        try:
            from wordfreq import available_languages, read_cBpack
        except ImportError:
            return empty
        files = available_languages("large")
        if "de" not in files:
            return empty
        hashes, zipf = _bucket_arrays(read_cBpack(files["de"]))
        order = np.argsort(hashes, kind="stable")
        hashes, zipf = hashes[order], zipf[order]
        keep = np.concatenate(([True], hashes[1:] != hashes[:-1]))  # first (most frequent) entry
        hashes, zipf = hashes[keep], zipf[keep]
        other = np.zeros(len(hashes), dtype=np.float32)
        for lang in OTHER_LANGUAGES:
            if lang not in files:
                continue
            h, z = _bucket_arrays(read_cBpack(files[lang]))
            idx = np.searchsorted(hashes, h)
            idx[idx >= len(hashes)] = 0
            hit = hashes[idx] == h
            np.maximum.at(other, idx[hit], z[hit])
        return hashes, zipf, other


def _bucket_arrays(pack: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """wordfreq's cBpack: bucket ``i`` (after the header) holds the words at -i centibels."""
    hashes = [np.fromiter(map(hash, bucket), dtype=np.int64, count=len(bucket)) for bucket in pack[1:]]
    zipf = [np.full(len(bucket), 9.0 - i / 100.0, dtype=np.float32) for i, bucket in enumerate(pack[1:])]
    if not hashes:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    return np.concatenate(hashes), np.concatenate(zipf)


def german_frequency(word: str) -> tuple[float, float]:
    """(Zipf frequency of ``word`` in German, highest Zipf frequency in the other languages),
    looked up lower-cased as wordfreq stores words; (0, 0) when unknown."""
    hashes, zipf, other = _german_frequencies()
    if not len(hashes):
        return 0.0, 0.0
    h = hash(word.lower())
    i = int(np.searchsorted(hashes, h))
    if i < len(hashes) and int(hashes[i]) == h:
        return float(zipf[i]), float(other[i])
    return 0.0, 0.0


def warm(lang: str) -> None:
    """Load every table the rules of ``lang`` use, at once on first use (German about 5 s:
    simplemma's German and English forms and wordfreq's frequencies; Italian/Portuguese < 1 s),
    rather than piecemeal in the middle of a request."""
    if lang not in SUPPORTED:
        return
    _tables(lang)
    _tables("en")
    if lang == "de":
        _german_frequencies()
