"""The recognizer registry: declarative recognizer specs, named validators, and the registry
that holds every recognizer per language.

A recognizer is either *declarative*, a :class:`RecognizerSpec` (an entity type, regex
patterns with a score each, context words, languages and an optional validator; the built-in
ones are the entries of ``veil/text/data/recognizers.yaml``, users write their own), or
*code*, a function decorated with :func:`veil.text.recognizers.base.recognizer` where the
logic does not fit a pattern. Both become a :class:`~veil.text.recognizers.base.Recognizer`
and live in one :class:`RecognizerRegistry`.

How a declarative recognizer scores a match (see :mod:`veil.text.context`):

1. every pattern is matched; an empty match is ignored;
2. with a ``validator``, a match the validator rejects is dropped, and one it accepts ranks
   as ``validated`` in the overlap resolution (above any unvalidated pattern);
3. a context word near the match raises its score by ``CONTEXT_BOOST``;
4. a match whose score stays below ``min_score`` is dropped; one kept only thanks to its
   context word ranks as ``context``, the others as ``pattern``.

User patterns go through the same limits as ``block_list`` patterns
(:func:`veil.text.blocklist.compile_user_regex`, a matching-time budget per request).
"""

from __future__ import annotations

import ipaddress
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import phonenumbers
import yaml
from stdnum import iban, luhn
from stdnum.ca import sin
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar, pan
from stdnum.it import codicefiscale
from stdnum.kr import rrn
from stdnum.pt import nif as pt_nif
from stdnum.us import itin, rtn, ssn

from veil.errors import InvalidInputError
from veil.text.blocklist import DEFAULT_TIME_BUDGET_SECONDS, LABEL_PATTERN, MatchBudget, compile_user_regex
from veil.text.context import ContextWords, enhance
from veil.text.recognizers.base import ALL_LANGUAGES, Recognizer, digits, has_digit
from veil.text.regex_digits import needs_digit
from veil.text.spans import Span

MAX_PATTERNS_PER_RECOGNIZER = 20
MAX_CONTEXT_WORDS = 50
MAX_CONTEXT_WORD_LENGTH = 64
MAX_RECOGNIZERS_PER_FILE = 500
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
BUILTIN_FILE = "recognizers.yaml"


@dataclass(frozen=True)
class PatternSpec:
    """One regular expression of a recognizer and the score of its matches (0-1)."""

    regex: str
    score: float


@dataclass(frozen=True)
class RecognizerSpec:
    """A declarative recognizer (see the module docstring for how its matches are scored)."""

    name: str
    entity_type: str
    patterns: tuple[PatternSpec, ...]
    context: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    validator: str | None = None
    min_score: float = 0.0

    @classmethod
    def from_dict(cls, data: object, field: str = "") -> RecognizerSpec:
        """A spec from its JSON/YAML form; ``InvalidInputError`` naming the bad field (under
        ``field``, e.g. ``recognizers[3]``). Values are checked by :func:`build_recognizer`."""
        if not isinstance(data, Mapping):
            raise InvalidInputError("a recognizer is an object {name, entity_type, patterns, ...}", field=field or None)
        unknown = sorted(set(data) - _SPEC_KEYS, key=str)
        if unknown:
            raise InvalidInputError(
                f"unknown recognizer field '{unknown[0]}'; fields are {', '.join(sorted(_SPEC_KEYS))}",
                field=_join(field, str(unknown[0])),
            )
        for key in ("name", "entity_type", "patterns"):
            if key not in data:
                raise InvalidInputError(f"a recognizer needs '{key}'", field=_join(field, key))
        raw_patterns = data["patterns"]
        if not isinstance(raw_patterns, list | tuple):
            raise InvalidInputError("patterns is a list of {regex, score}", field=_join(field, "patterns"))
        patterns = []
        for i, p in enumerate(raw_patterns):
            pfield = _join(field, f"patterns[{i}]")
            if isinstance(p, PatternSpec):
                patterns.append(p)
                continue
            if not isinstance(p, Mapping):
                raise InvalidInputError("a pattern is an object {regex, score}", field=pfield)
            extra = sorted(set(p) - {"regex", "score"}, key=str)
            if extra:
                raise InvalidInputError(f"unknown pattern field '{extra[0]}'", field=f"{pfield}.{extra[0]}")
            if "regex" not in p:
                raise InvalidInputError("a pattern needs 'regex'", field=f"{pfield}.regex")
            patterns.append(PatternSpec(p["regex"], p.get("score", 0.5)))
        return cls(
            name=data["name"],
            entity_type=data["entity_type"],
            patterns=tuple(patterns),
            context=_str_tuple(data.get("context", ()), _join(field, "context")),
            languages=_str_tuple(data.get("languages", ("en",)), _join(field, "languages")),
            validator=data.get("validator"),
            min_score=data.get("min_score", 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON/YAML form (what :meth:`from_dict` reads)."""
        return {
            "name": self.name,
            "entity_type": self.entity_type,
            "patterns": [{"regex": p.regex, "score": p.score} for p in self.patterns],
            "context": list(self.context),
            "languages": list(self.languages),
            "validator": self.validator,
            "min_score": self.min_score,
        }


_SPEC_KEYS = frozenset({"name", "entity_type", "patterns", "context", "languages", "validator", "min_score"})


def _join(prefix: str, key: str) -> str:
    if not key:
        return prefix
    if not prefix:
        return key
    return f"{prefix}.{key}"


def _str_tuple(value: object, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise InvalidInputError("must be a list of strings", field=field)
    if not isinstance(value, list | tuple):
        raise InvalidInputError("must be a list of strings", field=field)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise InvalidInputError("must be a list of strings", field=f"{field}[{i}]")
    return tuple(value)


def coerce_spec(item: object, field: str) -> RecognizerSpec:
    """A :class:`RecognizerSpec` as it is, or one read from its dict form."""
    if isinstance(item, RecognizerSpec):
        return item
    return RecognizerSpec.from_dict(item, field)


# --- validators ---------------------------------------------------------------------------


def _stdnum(module: Any, *, digits_only: bool = False) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        v = digits(value) if digits_only else value
        return bool(module.is_valid(v))

    return check


def _luhn(value: str) -> bool:
    number = digits(value)
    return 12 <= len(number) <= 19 and len(set(number)) > 1 and bool(luhn.is_valid(number))


def _ssn(value: str) -> bool:
    number = digits(value)
    return len(number) == 9 and bool(ssn.is_valid(number))


def _phone(value: str) -> bool:
    raw = value.strip()
    try:
        parsed = phonenumbers.parse(raw, None if raw.startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def _ip(version: int | None) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            return False
        return version is None or address.version == version

    return check


EMAIL_SHAPE = re.compile(r"^[^@\s]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$")


def _email(value: str) -> bool:
    return len(value) <= 254 and EMAIL_SHAPE.match(value) is not None and ".." not in value


def _vin(value: str) -> bool:
    from veil.text.recognizers.identifiers import vin_check_digit_ok

    v = value.upper()
    return len(v) == 17 and any(c.isalpha() for c in v) and vin_check_digit_ok(v)


# Named validators a spec may use (``validator: "luhn"``). Each takes the matched text and
# says whether it is a valid value of its kind; python-stdnum and phonenumbers do the work.
VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": _luhn,  # payment cards: 12-19 digits (separators ignored), Luhn checksum
    "iban": _stdnum(iban),  # IBAN: country format and mod-97 checksum
    "ssn": _ssn,  # US social security number: 9 digits, no 000/666/9xx area, no 00 group, no 0000
    "phone": _phone,  # phonenumbers: a valid number (national numbers read as US)
    "us_itin": _stdnum(itin, digits_only=True),
    "us_rtn": _stdnum(rtn, digits_only=True),  # ABA routing number checksum
    "ca_sin": _stdnum(sin, digits_only=True),  # Canadian social insurance number (Luhn)
    "gb_nhs": _stdnum(nhs, digits_only=True),  # NHS number (mod 11)
    "in_pan": _stdnum(pan),  # Indian PAN
    "in_aadhaar": _stdnum(aadhaar, digits_only=True),  # Aadhaar (Verhoeff)
    "es_dni": _stdnum(dni),
    "es_nie": _stdnum(nie),
    "fr_nir": _stdnum(nir),  # French social security number
    "it_codice_fiscale": _stdnum(codicefiscale),
    "pt_nif": _stdnum(pt_nif, digits_only=True),
    "kr_rrn": _stdnum(rrn, digits_only=True),  # Korean resident registration number
    "vin": _vin,  # vehicle identification number check digit (ISO 3779)
    "ip": _ip(None),
    "ipv4": _ip(4),
    "ipv6": _ip(6),
    "email": _email,  # length limits and a domain with a TLD
}


# --- building a recognizer ---------------------------------------------------------------


class PatternRecognizer:
    """The ``find`` of a declarative recognizer (see the module docstring)."""

    def __init__(
        self,
        spec: RecognizerSpec,
        compiled: Sequence[Any],
        check: Callable[[str], bool] | None,
        field: str,
        time_budget: float | None,
    ) -> None:
        self.spec = spec
        self.compiled = [(pattern, p.score) for pattern, p in zip(compiled, spec.patterns, strict=True)]
        self.check = check
        self.context = ContextWords(spec.context)
        self.field = field
        self.budget = MatchBudget(time_budget) if time_budget is not None else None
        # every match needs a context word: a text without one anywhere is skipped unread
        self.needs_context = all(p.score < spec.min_score for p in spec.patterns)
        # a built-in recognizer whose every pattern needs a digit skips texts without one (a
        # user's pattern is always matched: the match-time budget must see it as before)
        self.needs_digit = time_budget is None and all(
            needs_digit(p.pattern, bool(p.flags & re.VERBOSE)) for p in compiled
        )

    def __call__(self, text: str) -> Iterator[Span]:
        spec = self.spec
        if self.needs_digit and not has_digit(text):
            return
        if self.needs_context and not self.context.anywhere(text):
            return
        for i, (pattern, base) in enumerate(self.compiled):
            if self.budget is not None:
                matches: Iterable[Any] = self.budget.finditer(
                    pattern, text, _join(self.field, f"patterns[{i}].regex"), "recognizer pattern"
                )
            else:
                matches = pattern.finditer(text)
            for m in matches:
                start, end = m.start(), m.end()
                if end <= start:
                    continue
                validated = False
                if self.check is not None:
                    if not self.check(m.group()):
                        continue
                    validated = True
                near = bool(self.context) and self.context.near(text, start, end)
                score = enhance(base, near)
                if score < spec.min_score:
                    continue
                if validated:
                    source = "validated"
                elif base < spec.min_score:
                    source = "context"
                else:
                    source = "pattern"
                yield Span(start, end, spec.entity_type, round(score, 4), source)


def build_recognizer(
    spec: RecognizerSpec, *, field: str = "", time_budget: float | None = DEFAULT_TIME_BUDGET_SECONDS
) -> Recognizer:
    """Check a spec and compile it into a recognizer; ``InvalidInputError`` names the bad
    field (``patterns[0].regex``, ``validator``, ... under ``field``). ``time_budget``: the
    seconds all matching of each pattern may use over the recognizer's life (build one per
    request, as the engine does); None for trusted patterns (the packaged ones)."""
    if not isinstance(spec, RecognizerSpec):
        raise InvalidInputError("a recognizer spec is expected", field=field or None)
    if not isinstance(spec.name, str) or not NAME_PATTERN.match(spec.name):
        raise InvalidInputError(
            "name is 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit",
            field=_join(field, "name"),
        )
    if not isinstance(spec.entity_type, str) or not LABEL_PATTERN.match(spec.entity_type):
        raise InvalidInputError(
            "entity_type is 1-64 letters, digits or underscores, starting with a letter",
            field=_join(field, "entity_type"),
        )
    if not spec.patterns:
        raise InvalidInputError("a recognizer needs at least one pattern", field=_join(field, "patterns"))
    if len(spec.patterns) > MAX_PATTERNS_PER_RECOGNIZER:
        raise InvalidInputError(
            f"a recognizer has at most {MAX_PATTERNS_PER_RECOGNIZER} patterns", field=_join(field, "patterns")
        )
    compiled = []
    for i, p in enumerate(spec.patterns):
        pfield = _join(field, f"patterns[{i}]")
        if not isinstance(p, PatternSpec):
            raise InvalidInputError("a pattern is {regex, score}", field=pfield)
        if isinstance(p.score, bool) or not isinstance(p.score, int | float) or not 0 <= p.score <= 1:
            raise InvalidInputError("score is a number from 0 to 1", field=f"{pfield}.score")
        compiled.append(compile_user_regex(p.regex, f"{pfield}.regex", "regex"))
    if len(spec.context) > MAX_CONTEXT_WORDS:
        raise InvalidInputError(f"at most {MAX_CONTEXT_WORDS} context words", field=_join(field, "context"))
    for i, word in enumerate(spec.context):
        if not isinstance(word, str) or not word.strip() or len(word) > MAX_CONTEXT_WORD_LENGTH:
            raise InvalidInputError(
                f"a context word is a non-empty string of at most {MAX_CONTEXT_WORD_LENGTH} characters",
                field=_join(field, f"context[{i}]"),
            )
    if not spec.languages:
        raise InvalidInputError("at least one language", field=_join(field, "languages"))
    for i, lang in enumerate(spec.languages):
        if lang not in ALL_LANGUAGES:
            raise InvalidInputError(
                f"languages are {', '.join(sorted(ALL_LANGUAGES))}", field=_join(field, f"languages[{i}]")
            )
    check = None
    if spec.validator is not None:
        if not isinstance(spec.validator, str) or spec.validator not in VALIDATORS:
            raise InvalidInputError(
                f"validator is null or one of {', '.join(sorted(VALIDATORS))}", field=_join(field, "validator")
            )
        check = VALIDATORS[spec.validator]
    if isinstance(spec.min_score, bool) or not isinstance(spec.min_score, int | float) or not 0 <= spec.min_score <= 1:
        raise InvalidInputError("min_score is a number from 0 to 1", field=_join(field, "min_score"))
    finder = PatternRecognizer(spec, compiled, check, field, time_budget)
    return Recognizer(
        name=spec.name,
        labels=frozenset({spec.entity_type}),
        find=finder,
        languages=frozenset(spec.languages),
        patterns=tuple((p.regex, float(p.score)) for p in spec.patterns),
        context=tuple(spec.context),
        validator=spec.validator,
    )


# --- YAML ----------------------------------------------------------------------------------


def load_recognizers_yaml(text_or_path: str | os.PathLike[str]) -> list[RecognizerSpec]:
    """Recognizer specs from YAML: a list of entries, or ``{recognizers: [entries]}``. The
    argument is a path (``Path``, or a one-line string naming an existing ``.yaml``/``.yml``
    file) or the YAML text itself. Every entry is checked (patterns compiled); errors name
    the entry (``recognizers[2].patterns[0].regex``) and its name."""
    if isinstance(text_or_path, os.PathLike) or _looks_like_path(text_or_path):
        path = Path(text_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"cannot read the recognizers file: {exc.strerror}", field="path") from None
        except UnicodeDecodeError:
            raise InvalidInputError("the recognizers file is not UTF-8 text", field="path") from None
    else:
        text = str(text_or_path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidInputError(f"the recognizers YAML does not parse{where}", field="recognizers") from None
    if isinstance(data, Mapping) and set(data) == {"recognizers"}:
        data = data["recognizers"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise InvalidInputError("the YAML holds a list of recognizers (or {recognizers: [...]})", field="recognizers")
    if len(data) > MAX_RECOGNIZERS_PER_FILE:
        raise InvalidInputError(f"at most {MAX_RECOGNIZERS_PER_FILE} recognizers per file", field="recognizers")
    specs = []
    names: set[str] = set()
    for i, entry in enumerate(data):
        field = f"recognizers[{i}]"
        try:
            spec = RecognizerSpec.from_dict(entry, field)
            build_recognizer(spec, field=field, time_budget=None)
        except InvalidInputError as exc:
            name = entry.get("name") if isinstance(entry, Mapping) else None
            if isinstance(name, str) and NAME_PATTERN.match(name):
                raise InvalidInputError(f"recognizer '{name}': {exc.message}", field=exc.field) from None
            raise
        if spec.name in names:
            raise InvalidInputError(f"two recognizers are named '{spec.name}'", field=f"{field}.name")
        names.add(spec.name)
        specs.append(spec)
    return specs


def _looks_like_path(value: str) -> bool:
    return "\n" not in value and (value.endswith((".yaml", ".yml")) or os.path.isfile(value))


# --- the registry --------------------------------------------------------------------------


class RecognizerRegistry:
    """Recognizers by name, looked up per language (the registry is read-only once shared)."""

    def __init__(self, recognizers: Iterable[Recognizer] = ()) -> None:
        self._items: dict[str, Recognizer] = {}
        self._by_language: dict[str, tuple[Recognizer, ...]] = {}
        for r in recognizers:
            self.add(r)

    @classmethod
    def from_specs(
        cls,
        specs: Sequence[RecognizerSpec | Mapping[str, Any]],
        *,
        field: str = "custom_recognizers",
        time_budget: float | None = DEFAULT_TIME_BUDGET_SECONDS,
    ) -> RecognizerRegistry:
        registry = cls()
        for i, item in enumerate(specs):
            spec = coerce_spec(item, f"{field}[{i}]")
            if spec.name in registry:
                raise InvalidInputError(f"two recognizers are named '{spec.name}'", field=f"{field}[{i}].name")
            registry.add(build_recognizer(spec, field=f"{field}[{i}]", time_budget=time_budget))
        return registry

    def add(self, recognizer: Recognizer) -> None:
        if recognizer.name in self._items:
            raise ValueError(f"a recognizer named '{recognizer.name}' is already registered")
        self._items[recognizer.name] = recognizer
        self._by_language.clear()

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[Recognizer]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def get(self, name: str) -> Recognizer | None:
        return self._items.get(name)

    def for_language(self, language: str) -> tuple[Recognizer, ...]:
        """The recognizers that read ``language``, in registration order."""
        found = self._by_language.get(language)
        if found is None:
            found = tuple(r for r in self._items.values() if language in r.languages)
            self._by_language[language] = found
        return found

    def entity_types(self) -> frozenset[str]:
        return frozenset(label for r in self._items.values() for label in r.labels)

    def find(self, text: str, language: str = "en") -> list[Span]:
        """Every candidate span of the recognizers of ``language`` in ``text``."""
        out: list[Span] = []
        for r in self.for_language(language):
            out.extend(r.find(text))
        return out


def builtin_specs() -> list[RecognizerSpec]:
    """The declarative built-in recognizers (``veil/text/data/recognizers.yaml``)."""
    text = resources.files("veil.text").joinpath("data", BUILTIN_FILE).read_text(encoding="utf-8")
    return load_recognizers_yaml(text)


_default: RecognizerRegistry | None = None
_default_lock = threading.Lock()


def default_registry() -> RecognizerRegistry:
    """The built-in recognizers: the packaged YAML entries, then the code recognizers of
    :data:`veil.text.recognizers.RECOGNIZERS`."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                from veil.text.recognizers import RECOGNIZERS

                registry = RecognizerRegistry(build_recognizer(s, time_budget=None) for s in builtin_specs())
                for r in RECOGNIZERS:
                    registry.add(r)
                _default = registry
    return _default
