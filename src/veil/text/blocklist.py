"""User-supplied ``block_list`` regexes, compiled and run so that no request can hang.

Patterns go through the ``regex`` module, which supports a per-call ``timeout``: a
catastrophic pattern (``(a+)+$`` on a long run of ``a``) stops after the budget and the
request fails with a 400 naming the label, instead of pinning a worker.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from veil.errors import InvalidInputError
from veil.text.spans import Span

MAX_PATTERNS = 50
MAX_PATTERN_LENGTH = 2000
LABEL_PATTERN = regex.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# Total matching time one pattern may use over all texts of a request.
DEFAULT_TIME_BUDGET_SECONDS = 1.0


def compile_user_regex(pattern: object, field: str, what: str = "pattern") -> regex.Pattern[str]:
    """Compile a caller's regular expression under the limits every user pattern has (block
    lists and user-defined recognizers): a non-empty string of at most ``MAX_PATTERN_LENGTH``
    characters that the ``regex`` module compiles. Raises ``InvalidInputError`` naming ``field``."""
    if not isinstance(pattern, str) or not pattern:
        raise InvalidInputError(f"{what} must be a non-empty string", field=field)
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidInputError(f"{what} is longer than {MAX_PATTERN_LENGTH} characters", field=field)
    try:
        return regex.compile(pattern, flags=regex.VERSION0)
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        raise InvalidInputError(f"invalid regular expression: {exc}", field=field) from None


class MatchBudget:
    """The matching time one user pattern may still use (over all texts of a request)."""

    def __init__(self, seconds: float = DEFAULT_TIME_BUDGET_SECONDS) -> None:
        self.seconds = seconds
        self.remaining = seconds

    def finditer(self, pattern: regex.Pattern[str], text: str, field: str, what: str) -> list[regex.Match[str]]:
        """Every match of ``pattern`` in ``text``; ``InvalidInputError`` naming ``field`` once
        the budget is spent (catastrophic backtracking)."""
        started = time.perf_counter()
        try:
            return list(pattern.finditer(text, timeout=max(self.remaining, 0.001)))
        except TimeoutError:
            raise InvalidInputError(
                f"{what} took longer than {self.seconds:g}s to match (catastrophic backtracking?); simplify it",
                field=field,
            ) from None
        finally:
            self.remaining -= time.perf_counter() - started


@dataclass(frozen=True)
class BlockPattern:
    label: str
    pattern: regex.Pattern[str]


def compile_block_list(block_list: dict[str, str] | None) -> list[BlockPattern]:
    if not block_list:
        return []
    if not isinstance(block_list, dict):
        raise InvalidInputError("block_list must be an object {LABEL: regex}", field="block_list")
    if len(block_list) > MAX_PATTERNS:
        raise InvalidInputError(f"block_list has more than {MAX_PATTERNS} patterns", field="block_list")
    out = []
    for label, pattern in block_list.items():
        field = f"block_list.{label}"
        if not isinstance(label, str) or not LABEL_PATTERN.match(label):
            raise InvalidInputError(
                "block_list labels are 1-64 letters, digits or underscores, starting with a letter",
                field=field,
            )
        out.append(BlockPattern(label, compile_user_regex(pattern, field, "block_list pattern")))
    return out


def find_blocked(
    patterns: list[BlockPattern],
    texts: Sequence[str],
    budget_seconds: float = DEFAULT_TIME_BUDGET_SECONDS,
) -> list[list[Span]]:
    """Non-overlapping matches of every pattern in every text, as spans with score 1."""
    found: list[list[Span]] = [[] for _ in texts]
    for bp in patterns:
        budget = MatchBudget(budget_seconds)
        for i, text in enumerate(texts):
            for m in budget.finditer(bp.pattern, text, f"block_list.{bp.label}", "block_list pattern"):
                if m.end() > m.start():
                    found[i].append(Span(m.start(), m.end(), bp.label, 1.0, source="block_list"))
    return found
