"""Bounded parameter types: every integer a client can send has limits, so 2**80 is a 4xx, not a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: Largest value a BIGINT column holds; offsets/ids above it are refused with 422.
MAX_INT = 2**63 - 1

Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="Number of items to skip.")]
PathIndex = Annotated[int, Path(ge=0, le=MAX_INT)]
PathCount = Annotated[int, Path(ge=0, le=10_000_000)]
PathId = Annotated[str, Path(min_length=1, max_length=128)]


def limit_query(default: int = 100, maximum: int = 1000) -> object:
    return Query(default, ge=1, le=maximum, description=f"Page size (1-{maximum}).")
