"""Cell validation, normalisation and tokenisation, following clkhash's field formats.

Error reasons never contain the cell's value (it is personal data); they name the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from veil.pprl.keys import Mode
from veil.pprl.schema import (
    Comparison,
    DateFormat,
    EnumFormat,
    Feature,
    IntegerFormat,
    StringFormat,
)

DATE_OUTPUT_FORMAT = "%Y%m%d"


class CellError(ValueError):
    """A cell does not conform to its feature; ``reason`` is safe to show (no value)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Preparer = Callable[[str], str]
Tokenizer = Callable[[str], list[str]]

# strptime is slow; these formats (the common ones) are parsed by a regex with identical results.
_FAST_DATES = {
    "%Y-%m-%d": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "%Y/%m/%d": re.compile(r"(\d{4})/(\d{2})/(\d{2})"),
    "%Y%m%d": re.compile(r"(\d{4})(\d{2})(\d{2})"),
    "%d/%m/%Y": re.compile(r"(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})"),
    "%m/%d/%Y": re.compile(r"(?P<m>\d{2})/(?P<d>\d{2})/(?P<y>\d{4})"),
    "%d-%m-%Y": re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})"),
}


def make_preparer(feature: Feature) -> Preparer:
    """Validate a non-missing cell like clkhash and return its normalised form (``format_value``).

    Integers become ``str(int(cell))``; dates become ``%Y%m%d``; other values are unchanged.
    """
    fmt = feature.format
    encoding = feature.encoding

    def check_encoding(value: str) -> None:
        if value.isascii():  # every supported encoding represents ASCII
            return
        try:
            value.encode(encoding)
        except UnicodeEncodeError as exc:
            raise CellError(f"Expected entry that can be encoded in {encoding}.") from exc

    if isinstance(fmt, StringFormat):
        if fmt.pattern is not None:
            regex = re.compile(fmt.pattern)
            pattern = fmt.pattern

            def check_pattern(value: str) -> str:
                check_encoding(value)
                if regex.fullmatch(value) is None:
                    raise CellError(f"Expected entry that conforms to regular expression '{pattern}'.")
                return value

            return check_pattern
        min_len, max_len, case = fmt.min_length, fmt.max_length, fmt.case

        def check_string(value: str) -> str:
            if not value.isascii():
                check_encoding(value)
            n = len(value)
            if min_len is not None and n < min_len:
                raise CellError(f"Expected string length of at least {min_len}. Read a string of length {n}.")
            if max_len is not None and n > max_len:
                raise CellError(f"Expected string length of at most {max_len}. Read a string of length {n}.")
            if case == "upper" and value.upper() != value:
                raise CellError("Expected upper case string.")
            if case == "lower" and value.lower() != value:
                raise CellError("Expected lower case string.")
            return value

        return check_string
    if isinstance(fmt, IntegerFormat):
        minimum, maximum = fmt.minimum, fmt.maximum

        def check_integer(value: str) -> str:
            check_encoding(value)
            number = _parse_int(value)
            if minimum is not None and number < minimum:
                raise CellError(f"Expected integer value of at least {minimum}.")
            if maximum is not None and number > maximum:
                raise CellError(f"Expected integer value of at most {maximum}.")
            return str(number)

        return check_integer
    if isinstance(fmt, DateFormat):
        date_format = fmt.format
        fast = _FAST_DATES.get(date_format)

        def check_date(value: str) -> str:
            if not value.isascii():
                check_encoding(value)
            if fast is not None:
                m = fast.fullmatch(value)
                if m is not None:
                    y, mo, d = (int(x) for x in (m.group("y", "m", "d") if m.re.groupindex else m.groups()))
                    if y >= 1000:  # below 1000, '%Y' output is platform-dependent: use strftime
                        try:
                            date(y, mo, d)
                        except ValueError as exc:
                            raise CellError(
                                f"Validation error for date type: expected the format '{date_format}'."
                            ) from exc
                        return f"{y:04d}{mo:02d}{d:02d}"
            return _parse_date(value, date_format).strftime(DATE_OUTPUT_FORMAT)

        return check_date
    if isinstance(fmt, EnumFormat):
        allowed = frozenset(fmt.values)
        shown = list(fmt.values)

        def check_enum(value: str) -> str:
            if not value.isascii():
                check_encoding(value)
            if value not in allowed:
                raise CellError(f"Expected enum value to be one of {shown}.")
            return value

        return check_enum
    raise TypeError(f"feature {feature.identifier!r} has no format")


def _parse_int(value: str) -> int:
    try:
        return int(value, base=10)
    except ValueError as exc:
        raise CellError("Invalid integer.") from exc


def _parse_date(value: str, date_format: str) -> datetime:
    try:
        return datetime.strptime(value, date_format)
    except ValueError as exc:
        raise CellError(f"Validation error for date type: expected the format '{date_format}'.") from exc


def make_tokenizer(comparison: Comparison, mode: Mode) -> Tokenizer:
    if comparison.type == "ngram":
        n, positional = comparison.n, comparison.positional
        # clkhash <= 0.14 pads with one space for any n > 1; 0.15+ pads with n - 1 spaces.
        pad = " " * ((1 if n > 1 else 0) if mode == "two-key" else max(n - 1, 0))

        def ngrams(word: str) -> list[str]:
            if not word:
                return []
            if pad:
                word = f"{pad}{word}{pad}"
            count = len(word) - n + 1
            if positional:
                return [f"{i + 1} {word[i:i + n]}" for i in range(count)]
            return [word[i:i + n] for i in range(count)]

        return ngrams
    if comparison.type == "exact":
        return lambda word: [word] if word else []
    return _numeric_tokenizer(comparison)


def _numeric_tokenizer(comparison: Comparison) -> Tokenizer:
    """Vatsalan and Christen's neighbourhood tokens, computed as clkhash 0.18.3 does."""
    precision = comparison.fractional_precision
    resolution = comparison.resolution
    interval = round(comparison.threshold_distance * pow(10, precision))

    def numeric(word: str) -> list[str]:
        if not word:
            return []
        try:
            try:
                v = int(word, base=10)
                if precision > 0:
                    v *= pow(10, precision)
            except ValueError:
                v_float = float(word)
                v = round(v_float * pow(10, precision)) if precision > 0 else int(v_float)
        except (ValueError, OverflowError) as exc:
            raise CellError("Expected a number for the numeric comparison.") from exc
        v = v * 2 * resolution
        residue = v % interval
        if residue == 0:
            pass
        elif residue < interval / 2:
            v = v - residue
        else:
            v = v + (interval - residue)
        return [str(v + i * interval) for i in range(-resolution, resolution + 1)]

    return numeric


def bits_per_token(feature: Feature, num_tokens: int) -> list[int]:
    strategy = feature.strategy
    assert strategy is not None
    if strategy.bits_per_token is not None:
        return [strategy.bits_per_token] * num_tokens
    total = strategy.bits_per_feature
    assert total is not None
    k = int(total / num_tokens)
    residue = total % num_tokens
    return [k + 1] * residue + [k] * (num_tokens - residue)
