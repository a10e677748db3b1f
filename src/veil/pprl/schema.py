"""Linkage schemas v1, v2 and v3 (clkhash's public formats) parsed into one v3-like model.

Every error is an :class:`~veil.errors.InvalidInputError` whose ``field`` is the JSON path of
the offending value (``features[1].format.pattern``). The rules follow clkhash's master
schemas plus the checks clkhash performs while building its field specs; where clkhash reads a
key that its master schema does not declare (``xor_folds``) or ignores one it declares
(``xorFolds``), this module does the same (see docs/pprl.md, "Quirks").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from veil.errors import InvalidInputError

DEFAULT_KEY_SIZE = 64
MAX_HASH_BITS = 1 << 20  # l * 2**xor_folds; a CLK larger than 128 KiB is refused
MAX_BITS_PER_TOKEN = 1 << 16
MAX_FEATURES = 10_000
ENCODINGS = ("ascii", "utf-8", "utf-16", "utf-32")

HashType = Literal["doubleHash", "blakeHash"]
ComparisonType = Literal["ngram", "exact", "numeric"]


@dataclass(frozen=True)
class KdfConfig:
    hash: str = "SHA256"
    salt: bytes | None = None
    info: bytes | None = None
    key_size: int = DEFAULT_KEY_SIZE


@dataclass(frozen=True)
class StringFormat:
    encoding: str = "utf-8"
    case: str = "mixed"
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    type: Literal["string"] = "string"


@dataclass(frozen=True)
class IntegerFormat:
    minimum: int | None = None
    maximum: int | None = None
    type: Literal["integer"] = "integer"


@dataclass(frozen=True)
class DateFormat:
    format: str = "%Y-%m-%d"
    type: Literal["date"] = "date"


@dataclass(frozen=True)
class EnumFormat:
    values: tuple[str, ...] = ()
    type: Literal["enum"] = "enum"


FeatureFormat = StringFormat | IntegerFormat | DateFormat | EnumFormat


@dataclass(frozen=True)
class Comparison:
    type: ComparisonType = "ngram"
    n: int = 2
    positional: bool = False
    threshold_distance: float = 0.0
    resolution: int = 0
    fractional_precision: int = 0


@dataclass(frozen=True)
class Strategy:
    """Exactly one of the two is set."""

    bits_per_token: int | None = None
    bits_per_feature: int | None = None


@dataclass(frozen=True)
class MissingValue:
    sentinel: str
    replace_with: str


@dataclass(frozen=True)
class Feature:
    identifier: str
    ignored: bool = False
    format: FeatureFormat | None = None
    comparison: Comparison | None = None
    strategy: Strategy | None = None
    hash_type: HashType = "blakeHash"
    prevent_singularity: bool = False
    missing_value: MissingValue | None = None
    encoding: str = "utf-8"
    path: str = ""  # JSON path of the feature in the original schema, for later errors


@dataclass(frozen=True)
class LinkageSchema:
    """A parsed linkage schema (any version), in the v3 model clkhash 0.15+ uses internally."""

    version: int
    l: int
    xor_folds: int
    kdf: KdfConfig
    features: tuple[Feature, ...]
    source: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def hash_bits(self) -> int:
        """Length of the Bloom filter before XOR folding."""
        return self.l * (1 << self.xor_folds)

    @property
    def identifiers(self) -> list[str]:
        return [f.identifier for f in self.features]

    def summary(self) -> dict[str, Any]:
        """A JSON-safe description (no keys, no salts) for CLIs and APIs."""
        return {
            "version": self.version,
            "l": self.l,
            "xor_folds": self.xor_folds,
            "kdf_hash": self.kdf.hash,
            "key_size": self.kdf.key_size,
            "features": [
                {
                    "identifier": f.identifier,
                    "ignored": f.ignored,
                    "type": None if f.format is None else f.format.type,
                    "comparison": None if f.comparison is None else f.comparison.type,
                    "hash": None if f.ignored else f.hash_type,
                }
                for f in self.features
            ],
        }


# --------------------------------------------------------------------------- helpers


def _err(message: str, path: str) -> InvalidInputError:
    return InvalidInputError(message, field=path, code="invalid_schema")


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _err(f"expected a JSON object, got {_json_type(value)}", path)
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _only(d: dict[str, Any], allowed: set[str], path: str) -> None:
    for key in d:
        if key not in allowed:
            raise _err(f"unknown property '{key}' (allowed: {', '.join(sorted(allowed))})", _join(path, key))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _required(d: dict[str, Any], key: str, path: str) -> Any:
    if key not in d:
        raise _err(f"'{key}' is required", _join(path, key))
    return d[key]


def _int(value: Any, path: str, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _err(f"expected an integer, got {_json_type(value)}", path)
    if isinstance(value, float):
        if not value.is_integer():
            raise _err("expected an integer", path)
        value = int(value)
    if minimum is not None and value < minimum:
        raise _err(f"must be at least {minimum}", path)
    if maximum is not None and value > maximum:
        raise _err(f"must be at most {maximum}", path)
    return int(value)


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _err(f"expected a number, got {_json_type(value)}", path)
    if value != value or value in (float("inf"), float("-inf")):
        raise _err("expected a finite number", path)
    return float(value)


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _err(f"expected a string, got {_json_type(value)}", path)
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _err(f"expected true or false, got {_json_type(value)}", path)
    return value


def _opt_int(d: dict[str, Any], key: str, path: str, minimum: int | None = None) -> int | None:
    return _int(d[key], _join(path, key), minimum) if key in d else None


def _b64(d: dict[str, Any], key: str, path: str) -> bytes | None:
    if key not in d:
        return None
    text = _str(d[key], _join(path, key))
    try:
        # clkhash uses base64.b64decode without validation: stray characters are skipped.
        return base64.b64decode(text)
    except (binascii.Error, ValueError) as exc:
        raise _err("is not valid base64", _join(path, key)) from exc


# --------------------------------------------------------------------------- parsing


def load_schema_json(data: str | bytes) -> dict[str, Any]:
    """Decode a schema document; errors name the position, never echo the content."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _err(f"the schema is not valid JSON ({type(exc).__name__})", "schema") from exc
    if not isinstance(value, dict):
        raise _err(f"the top level of the schema must be an object, got {_json_type(value)}", "schema")
    return value


def parse_schema(schema: dict[str, Any] | str | bytes | LinkageSchema) -> LinkageSchema:
    """Validate a linkage schema of version 1, 2 or 3 and return the internal model.

    Raises :class:`InvalidInputError` (``code="invalid_schema"``) naming the JSON path.
    """
    if isinstance(schema, LinkageSchema):
        return schema
    if isinstance(schema, str | bytes):
        schema = load_schema_json(schema)
    top = _obj(schema, "schema")
    version_raw = _required(top, "version", "")
    if isinstance(version_raw, bool) or version_raw not in (1, 2, 3):
        raise _err("schema version must be 1, 2 or 3", "version")
    version = int(version_raw)
    clk = _obj(_required(top, "clkConfig", ""), "clkConfig")
    features_raw = _required(top, "features", "")
    if not isinstance(features_raw, list):
        raise _err(f"expected an array, got {_json_type(features_raw)}", "features")
    if not features_raw:
        raise _err("at least one feature is required", "features")
    if len(features_raw) > MAX_FEATURES:
        raise _err(f"at most {MAX_FEATURES} features are supported", "features")

    l_bits = _int(_required(clk, "l", "clkConfig"), "clkConfig.l", minimum=1)
    # clkhash reads 'xor_folds' (all versions); the documented 'xorFolds' is validated but unused.
    if "xorFolds" in clk:
        _int(clk["xorFolds"], "clkConfig.xorFolds", minimum=0)
    xor_folds = _int(clk.get("xor_folds", 0), "clkConfig.xor_folds", minimum=0, maximum=20)
    if l_bits * (1 << xor_folds) > MAX_HASH_BITS:
        raise _err(f"l * 2**xor_folds must be at most {MAX_HASH_BITS} bits", "clkConfig.l")
    kdf = _parse_kdf(_required(clk, "kdf", "clkConfig"))

    global_k: int | None = None
    global_hash: tuple[HashType, bool] | None = None
    if version == 1:
        global_k = _int(_required(clk, "k", "clkConfig"), "clkConfig.k", minimum=1)
        global_hash = _parse_hash(_required(clk, "hash", "clkConfig"), "clkConfig.hash")

    features = tuple(
        _parse_feature(raw, f"features[{i}]", version, global_k, global_hash)
        for i, raw in enumerate(features_raw)
    )
    hash_bits = l_bits * (1 << xor_folds)
    if any(not f.ignored and f.hash_type == "blakeHash" for f in features):
        if hash_bits & (hash_bits - 1):
            raise _err(
                "blakeHash needs l * 2**xor_folds to be a power of two", "clkConfig.l"
            )
        if kdf.key_size > 64:
            raise _err("blakeHash keys are at most 64 bytes", "clkConfig.kdf.keySize")
    return LinkageSchema(version, l_bits, xor_folds, kdf, features, source=dict(top))


def _parse_kdf(raw: Any) -> KdfConfig:
    path = "clkConfig.kdf"
    d = _obj(raw, path)
    kdf_type = _required(d, "type", path)
    if kdf_type != "HKDF":
        raise _err("only 'HKDF' is supported", f"{path}.type")
    hash_name = d.get("hash", "SHA256")
    if hash_name not in ("SHA256", "SHA512"):
        raise _err("must be 'SHA256' or 'SHA512'", f"{path}.hash")
    key_size = _int(d.get("keySize", DEFAULT_KEY_SIZE), f"{path}.keySize", minimum=1, maximum=4096)
    return KdfConfig(hash_name, _b64(d, "salt", path), _b64(d, "info", path), key_size)


def _parse_hash(raw: Any, path: str) -> tuple[HashType, bool]:
    d = _obj(raw, path)
    hash_type = _required(d, "type", path)
    if hash_type not in ("doubleHash", "blakeHash"):
        raise _err("must be 'doubleHash' or 'blakeHash'", f"{path}.type")
    if "prevent_singularity" in d:
        value = _bool(d["prevent_singularity"], f"{path}.prevent_singularity")
        if hash_type != "doubleHash":
            raise _err("prevent_singularity is only allowed with doubleHash", f"{path}.prevent_singularity")
        return "doubleHash", value
    return hash_type, False


def _parse_feature(
    raw: Any,
    path: str,
    version: int,
    global_k: int | None,
    global_hash: tuple[HashType, bool] | None,
) -> Feature:
    d = _obj(raw, path)
    identifier = _str(_required(d, "identifier", path), f"{path}.identifier")
    if "description" in d:
        _str(d["description"], f"{path}.description")
    ignored = False
    if "ignored" in d:
        ignored = _bool(d["ignored"], f"{path}.ignored")
    if ignored:
        if version == 3:
            if "format" not in d and "hashing" not in d:
                _only(d, {"identifier", "ignored", "description"}, path)
        elif "format" in d or "hashing" in d:
            raise _err("an ignored feature has no 'format' or 'hashing'", path)
        return Feature(identifier, ignored=True, path=path)

    fmt_raw = _obj(_required(d, "format", path), f"{path}.format")
    hashing = _obj(_required(d, "hashing", path), f"{path}.hashing")
    fmt = _parse_format(fmt_raw, f"{path}.format")
    encoding = fmt.encoding if isinstance(fmt, StringFormat) else "utf-8"
    hpath = f"{path}.hashing"

    if version == 1:
        assert global_k is not None and global_hash is not None
        _only(hashing, {"ngram", "positional", "weight", "missingValue"}, hpath)
        # v1 allows 0, but every clkhash release validates the converted schema, which needs >= 1
        n = _int(_required(hashing, "ngram", hpath), f"{hpath}.ngram", minimum=1)
        positional = _bool(hashing.get("positional", False), f"{hpath}.positional")
        weight = _number(hashing.get("weight", 1.0), f"{hpath}.weight")
        if weight < 0:
            raise _err("must be at least 0", f"{hpath}.weight")
        missing = _parse_missing(hashing, hpath)
        if weight == 0:  # clkhash turns a zero weight into an ignored feature
            return Feature(identifier, ignored=True, path=path)
        k = round(weight * global_k)
        if k < 1:
            raise _err(f"weight * k = {weight * global_k} rounds to 0 bits per token", f"{hpath}.weight")
        if k > MAX_BITS_PER_TOKEN:
            raise _err(f"weight * k must be at most {MAX_BITS_PER_TOKEN}", f"{hpath}.weight")
        hash_type, singular = global_hash
        return Feature(
            identifier,
            format=fmt,
            comparison=Comparison("ngram", n=n, positional=positional),
            strategy=Strategy(bits_per_token=k),
            hash_type=hash_type,
            prevent_singularity=singular,
            missing_value=missing,
            encoding=encoding,
            path=path,
        )

    if version == 2:
        _only(hashing, {"hash", "strategy", "ngram", "positional", "missingValue"}, hpath)
        n = _int(_required(hashing, "ngram", hpath), f"{hpath}.ngram", minimum=1)
        positional = _bool(hashing.get("positional", False), f"{hpath}.positional")
        comparison = Comparison("ngram", n=n, positional=positional)
        strategy = _parse_strategy(_required(hashing, "strategy", hpath), f"{hpath}.strategy", v2=True)
    else:
        _only(hashing, {"hash", "strategy", "comparison", "missingValue"}, hpath)
        comparison = _parse_comparison(_required(hashing, "comparison", hpath), f"{hpath}.comparison")
        strategy = _parse_strategy(_required(hashing, "strategy", hpath), f"{hpath}.strategy", v2=False)
    hash_type, singular = (
        _parse_hash(hashing["hash"], f"{hpath}.hash") if "hash" in hashing else ("blakeHash", False)
    )
    return Feature(
        identifier,
        format=fmt,
        comparison=comparison,
        strategy=strategy,
        hash_type=hash_type,
        prevent_singularity=singular,
        missing_value=_parse_missing(hashing, hpath),
        encoding=encoding,
        path=path,
    )


def _parse_missing(hashing: dict[str, Any], hpath: str) -> MissingValue | None:
    if "missingValue" not in hashing:
        return None
    path = f"{hpath}.missingValue"
    d = _obj(hashing["missingValue"], path)
    sentinel = _str(_required(d, "sentinel", path), f"{path}.sentinel")
    replace = _str(d["replaceWith"], f"{path}.replaceWith") if "replaceWith" in d else sentinel
    return MissingValue(sentinel, replace)


def _parse_strategy(raw: Any, path: str, *, v2: bool) -> Strategy:
    d = _obj(raw, path)
    token_key, feature_key = ("k", "numBits") if v2 else ("bitsPerToken", "bitsPerFeature")
    has_token, has_feature = token_key in d, feature_key in d
    if has_token == has_feature:
        raise _err(f"exactly one of '{token_key}' or '{feature_key}' is required", path)
    key = token_key if has_token else feature_key
    _only(d, {key}, path)
    value = _int(d[key], f"{path}.{key}", minimum=1, maximum=MAX_BITS_PER_TOKEN)
    return Strategy(bits_per_token=value) if has_token else Strategy(bits_per_feature=value)


def _parse_comparison(raw: Any, path: str) -> Comparison:
    d = _obj(raw, path)
    ctype = _required(d, "type", path)
    if ctype == "ngram":
        n = _int(_required(d, "n", path), f"{path}.n", minimum=1, maximum=1000)
        positional = _bool(d.get("positional", False), f"{path}.positional")
        return Comparison("ngram", n=n, positional=positional)
    if ctype == "exact":
        return Comparison("exact")
    if ctype == "numeric":
        td = _number(_required(d, "thresholdDistance", path), f"{path}.thresholdDistance")
        if td <= 0:
            raise _err("must be greater than 0", f"{path}.thresholdDistance")
        resolution = _int(_required(d, "resolution", path), f"{path}.resolution", minimum=1, maximum=10_000)
        fp = _int(d.get("fractional_precision", 0), f"{path}.fractional_precision", minimum=0, maximum=100)
        if round(td * pow(10, fp)) == 0:
            raise _err(
                "not enough fractional precision to encode thresholdDistance", f"{path}.thresholdDistance"
            )
        return Comparison("numeric", threshold_distance=td, resolution=resolution, fractional_precision=fp)
    raise _err("must be 'ngram', 'exact' or 'numeric'", f"{path}.type")


def _parse_format(d: dict[str, Any], path: str) -> FeatureFormat:
    ftype = _required(d, "type", path)
    if "description" in d:
        _str(d["description"], f"{path}.description")
    if ftype == "string":
        encoding = d.get("encoding", "utf-8")
        if encoding not in ENCODINGS:
            raise _err(f"must be one of {', '.join(ENCODINGS)}", f"{path}.encoding")
        if "pattern" in d:
            _only(d, {"type", "encoding", "pattern", "description"}, path)
            pattern = _str(d["pattern"], f"{path}.pattern")
            try:
                re.compile(pattern)
            except (re.error, RecursionError, OverflowError) as exc:
                raise _err(f"invalid regular expression: {exc}", f"{path}.pattern") from exc
            return StringFormat(encoding=encoding, pattern=pattern)
        _only(d, {"type", "encoding", "case", "minLength", "maxLength", "description"}, path)
        case = d.get("case", "mixed")
        if case not in ("upper", "lower", "mixed"):
            raise _err("must be 'upper', 'lower' or 'mixed'", f"{path}.case")
        min_length = _opt_int(d, "minLength", path, minimum=0)
        max_length = _opt_int(d, "maxLength", path, minimum=1)
        return StringFormat(encoding=encoding, case=case, min_length=min_length, max_length=max_length)
    if ftype == "integer":
        _only(d, {"type", "minimum", "maximum", "description"}, path)
        return IntegerFormat(_opt_int(d, "minimum", path), _opt_int(d, "maximum", path))
    if ftype == "date":
        _only(d, {"type", "format", "description"}, path)
        return DateFormat(_str(_required(d, "format", path), f"{path}.format"))
    if ftype == "enum":
        _only(d, {"type", "values", "description"}, path)
        values = _required(d, "values", path)
        if not isinstance(values, list):
            raise _err(f"expected an array, got {_json_type(values)}", f"{path}.values")
        for i, v in enumerate(values):
            _str(v, f"{path}.values[{i}]")
        return EnumFormat(tuple(values))
    raise _err("must be 'string', 'integer', 'date' or 'enum'", f"{path}.type")
