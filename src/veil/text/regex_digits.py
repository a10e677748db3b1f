"""Whether a regular expression can only match in a text that holds a digit.

Most built-in declarative recognizers (money, VIN, card expiry, IP addresses, ...) match
numbers, and most texts of a chat or a note have no digit at all: for those the patterns need
not be read. :func:`needs_digit` proves it from the parsed pattern, conservatively (anything it
does not understand counts as "may match without a digit"):

- a character class needs a digit when every member is ``\\d`` or a character ``0``-``9``;
- a sequence needs one when any of its mandatory items does (a repeat with ``min >= 1``, a
  group, a positive look-around: what a look-around sees is in the text too);
- an alternation needs one when every branch does.

A text "holds a digit" in the sense of :func:`veil.text.recognizers.base.has_digit` (a
superset of what ``\\d`` and the characters ``0``-``9`` match).
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse

_DIGITS = range(ord("0"), ord("9") + 1)


def needs_digit(source: str, verbose: bool = False) -> bool:
    """True when no match of the pattern ``source`` (parsed by the standard library's parser,
    ``re.VERBOSE`` if ``verbose``) is possible in a text without a digit. Meant for the
    built-in patterns: a ``regex``-module construct that ``re`` would read differently (fuzzy
    ``{e<=1}``) is not accounted for."""
    try:
        parsed = sre_parse.parse(source, re.VERBOSE if verbose else 0)
    except (re.error, TypeError, ValueError, RecursionError):
        return False
    return _sequence(list(parsed))


def _sequence(items: list[tuple[Any, Any]]) -> bool:
    return any(_item(op, av) for op, av in items)


def _item(op: Any, av: Any) -> bool:
    c = sre_constants
    if op is c.LITERAL:
        return av in _DIGITS
    if op is c.IN:
        return bool(av) and all(_set_member(o, a) for o, a in av)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        return bool(low >= 1 and _sequence(list(sub)))
    if op is c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op is c.BRANCH:
        _, branches = av
        return bool(branches) and all(_sequence(list(b)) for b in branches)
    if op is c.ASSERT:
        _direction, sub = av
        return _sequence(list(sub))
    return False


def _set_member(op: Any, av: Any) -> bool:
    c = sre_constants
    if op is c.LITERAL:
        return av in _DIGITS
    if op is c.RANGE:
        low, high = av
        return bool(low in _DIGITS and high in _DIGITS)
    if op is c.CATEGORY:
        return av is c.CATEGORY_DIGIT
    return False
