"""The two output checks of the seed, computed on the produced output."""

from __future__ import annotations

import unicodedata

from veil.text.results import PiiEntity


def _is_boundary(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in ("P", "S")


def _is_korean_particle_start(ch: str) -> bool:
    """Korean particles attach to the word before them (김철수는 -> [NAME_1]는): a boundary there."""
    return "\uac00" <= ch <= "\ud7a3"


def output_checks(original: str, result: str, pii: list[PiiEntity], marker_format: str) -> bool:
    """(1) putting each entity back in place of its marker gives the input exactly;
    (2) every marker is bounded by whitespace, punctuation or the ends of the text."""
    rebuilt: list[str] = []
    pos = 0
    for entity in pii:
        marker = marker_format.replace("CLASS_NAME", entity.marker)
        idx = result.find(marker, pos)
        if idx < 0:
            return False
        end = idx + len(marker)
        if idx > 0 and not _is_boundary(result[idx - 1]):
            return False
        if end < len(result) and not (_is_boundary(result[end]) or _is_korean_particle_start(result[end])):
            return False
        rebuilt.append(result[pos:idx])
        rebuilt.append(entity.text)
        pos = end
    rebuilt.append(result[pos:])
    return "".join(rebuilt) == original
