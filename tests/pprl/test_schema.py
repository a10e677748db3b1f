"""Linkage schema parsing: v1/v2/v3 into one model, errors naming the JSON path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from veil.errors import InvalidInputError
from veil.pprl import ClkEncoder, parse_schema

SEED_SCHEMA: dict[str, Any] = json.loads((Path(__file__).with_name("data") / "seed_schema.json").read_text())

V3: dict[str, Any] = {
    "version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}},
    "features": [
        {"identifier": "id", "ignored": True},
        {
            "identifier": "name",
            "format": {"type": "string", "encoding": "utf-8", "case": "lower", "maxLength": 30},
            "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}},
        },
        {
            "identifier": "age",
            "format": {"type": "integer", "minimum": 0, "maximum": 130},
            "hashing": {
                "comparison": {"type": "numeric", "thresholdDistance": 3, "resolution": 2},
                "strategy": {"bitsPerFeature": 100},
                "hash": {"type": "doubleHash", "prevent_singularity": True},
                "missingValue": {"sentinel": "", "replaceWith": "0"},
            },
        },
        {
            "identifier": "sex",
            "format": {"type": "enum", "values": ["m", "f"]},
            "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 50}},
        },
    ],
}


def test_v1_is_converted_like_clkhash() -> None:
    schema = parse_schema(SEED_SCHEMA)
    assert schema.version == 1 and schema.l == 1024 and schema.xor_folds == 0
    name, dob, gender = schema.features
    assert name.strategy is not None and name.strategy.bits_per_token == 10  # round(0.5 * 20)
    assert dob.comparison is not None and dob.comparison.positional and dob.comparison.n == 1
    assert gender.strategy is not None and gender.strategy.bits_per_token == 40
    assert {f.hash_type for f in schema.features} == {"doubleHash"}
    assert schema.kdf.salt is not None and schema.kdf.info == b"schema_example"


def test_v1_weight_zero_means_ignored_and_rounding_is_bankers() -> None:
    s = copy.deepcopy(SEED_SCHEMA)
    s["clkConfig"]["k"] = 5
    s["features"][0]["hashing"]["weight"] = 0
    s["features"][1]["hashing"]["weight"] = 0.5  # 2.5 rounds to 2 (Python's round)
    parsed = parse_schema(s)
    assert parsed.features[0].ignored
    assert parsed.features[1].strategy is not None and parsed.features[1].strategy.bits_per_token == 2


def test_v2_strategies_and_default_hash() -> None:
    s = {
        "version": 2,
        "clkConfig": {"l": 512, "kdf": {"type": "HKDF", "hash": "SHA512", "keySize": 32}, "xor_folds": 1},
        "features": [
            {"identifier": "a", "format": {"type": "string"},
             "hashing": {"ngram": 2, "strategy": {"numBits": 100}}},
            {"identifier": "b", "format": {"type": "date", "format": "%Y"},
             "hashing": {"ngram": 1, "positional": True, "strategy": {"k": 7}, "hash": {"type": "doubleHash"}}},
        ],
    }
    parsed = parse_schema(s)
    a, b = parsed.features
    assert a.hash_type == "blakeHash" and a.strategy is not None and a.strategy.bits_per_feature == 100
    assert b.hash_type == "doubleHash" and b.strategy is not None and b.strategy.bits_per_token == 7
    assert parsed.hash_bits == 1024 and parsed.kdf.hash == "SHA512" and parsed.kdf.key_size == 32


def test_v3_full_model_and_json_text() -> None:
    parsed = parse_schema(json.dumps(V3))
    assert [f.ignored for f in parsed.features] == [True, False, False, False]
    age = parsed.features[2]
    assert age.comparison is not None and age.comparison.type == "numeric"
    assert age.prevent_singularity and age.missing_value is not None and age.missing_value.replace_with == "0"
    assert parsed.summary()["features"][3]["comparison"] == "exact"


def test_xorfolds_key_is_ignored_like_clkhash() -> None:
    s = copy.deepcopy(V3)
    s["clkConfig"]["xorFolds"] = 2
    assert parse_schema(s).xor_folds == 0
    s["clkConfig"]["xor_folds"] = 1
    assert parse_schema(s).xor_folds == 1


def _mutate(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    s = copy.deepcopy(base)
    node: Any = s
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return s


_DELETE = object()

BAD_V3 = [
    ("version", 4, "version"),
    ("version", True, "version"),
    ("clkConfig", _DELETE, "clkConfig"),
    ("clkConfig.l", 0, "clkConfig.l"),
    ("clkConfig.l", 1000, "clkConfig.l"),  # blakeHash needs a power of two
    ("clkConfig.l", "1024", "clkConfig.l"),
    ("clkConfig.kdf.type", "PBKDF2", "clkConfig.kdf.type"),
    ("clkConfig.kdf.hash", "MD5", "clkConfig.kdf.hash"),
    ("clkConfig.kdf.keySize", 0, "clkConfig.kdf.keySize"),
    ("clkConfig.kdf.salt", "abc", "clkConfig.kdf.salt"),  # bad padding
    ("clkConfig.xor_folds", -1, "clkConfig.xor_folds"),
    ("features", [], "features"),
    ("features", {}, "features"),
    ("features[1].identifier", 3, "features[1].identifier"),
    ("features[1].format.type", "float", "features[1].format.type"),
    ("features[1].format.encoding", "latin-1", "features[1].format.encoding"),
    ("features[1].format.case", "title", "features[1].format.case"),
    ("features[1].format.pattern", "(", "features[1].format.case"),  # pattern cannot mix with case
    ("features[1].format.minLength", -1, "features[1].format.minLength"),
    ("features[1].format.maxLength", 0, "features[1].format.maxLength"),
    ("features[1].format.extra", 1, "features[1].format.extra"),
    ("features[1].hashing.comparison.type", "soundex", "features[1].hashing.comparison.type"),
    ("features[1].hashing.comparison.n", 0, "features[1].hashing.comparison.n"),
    ("features[1].hashing.strategy", {"bitsPerToken": 1, "bitsPerFeature": 2}, "features[1].hashing.strategy"),
    ("features[1].hashing.strategy", {"k": 20}, "features[1].hashing.strategy"),
    ("features[1].hashing.strategy.bitsPerToken", 0, "features[1].hashing.strategy.bitsPerToken"),
    ("features[1].hashing.strategy.bitsPerToken", 2.5, "features[1].hashing.strategy.bitsPerToken"),
    ("features[1].hashing.hash", {"type": "sha3"}, "features[1].hashing.hash.type"),
    ("features[1].hashing.hash", {"type": "blakeHash", "prevent_singularity": True},
     "features[1].hashing.hash.prevent_singularity"),
    ("features[1].hashing.weight", 1, "features[1].hashing.weight"),
    ("features[2].format.minimum", "0", "features[2].format.minimum"),
    ("features[2].hashing.comparison.thresholdDistance", 0, "features[2].hashing.comparison.thresholdDistance"),
    ("features[2].hashing.comparison.resolution", 0, "features[2].hashing.comparison.resolution"),
    # like clkhash 0.18.3: 0.3 x 10**0 rounds to 0 ("not enough fractional precision")
    ("features[2].hashing.comparison.thresholdDistance", 0.3, "features[2].hashing.comparison.thresholdDistance"),
    ("features[2].hashing.missingValue", {"replaceWith": "x"}, "features[2].hashing.missingValue.sentinel"),
    ("features[3].format.values", "mf", "features[3].format.values"),
    ("features[3].format.values", ["m", 1], "features[3].format.values[1]"),
    ("features[0].extra", 1, "features[0].extra"),
]


@pytest.mark.parametrize(("path", "value", "field"), BAD_V3)
def test_bad_v3_schemas_name_the_json_path(path: str, value: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_schema(_mutate(V3, path, value))
    assert info.value.field == field
    assert info.value.code == "invalid_schema"


def test_bad_pattern_is_reported_on_the_pattern() -> None:
    s = copy.deepcopy(V3)
    s["features"][1]["format"] = {"type": "string", "pattern": "[a-"}
    with pytest.raises(InvalidInputError) as info:
        parse_schema(s)
    assert info.value.field == "features[1].format.pattern"


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("clkConfig.k", _DELETE, "clkConfig.k"),
        ("clkConfig.hash", {"type": "x"}, "clkConfig.hash.type"),
        ("features[0].hashing.ngram", 0, "features[0].hashing.ngram"),
        ("features[0].hashing.weight", -1, "features[0].hashing.weight"),
        ("features[0].hashing.weight", 0.01, "features[0].hashing.weight"),  # rounds to 0 bits
        ("features[0].hashing.positional", "yes", "features[0].hashing.positional"),
        ("features[2].format.values", _DELETE, "features[2].format.values"),
        ("features[1].format.pattern", 5, "features[1].format.pattern"),
    ],
)
def test_bad_v1_schemas(path: str, value: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_schema(_mutate(SEED_SCHEMA, path, value))
    assert info.value.field == field


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", b"\xff\xfe"])
def test_not_json_or_not_an_object(text: str | bytes) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_schema(text)
    assert info.value.field == "schema"


def test_mode_specific_limits() -> None:
    v3_exact = copy.deepcopy(V3)
    with pytest.raises(InvalidInputError) as info:  # clkhash 0.14 had no exact/numeric comparisons
        ClkEncoder(v3_exact, key1="a", key2="b")
    assert info.value.field == "features[2].hashing.comparison.type"
    trigram = {
        "version": 2,
        "clkConfig": {"l": 64, "kdf": {"type": "HKDF"}},
        "features": [{"identifier": "a", "format": {"type": "string"},
                      "hashing": {"ngram": 3, "strategy": {"k": 2}}}],
    }
    ClkEncoder(trigram, secret="s")
    with pytest.raises(InvalidInputError):
        ClkEncoder(trigram, key1="a", key2="b")
    many = {"version": 3, "clkConfig": {"l": 64, "kdf": {"type": "HKDF", "keySize": 64}},
            "features": [{"identifier": f"f{i}", "ignored": True} for i in range(70)]}
    with pytest.raises(InvalidInputError) as info:  # 2 x 70 x 64 bytes > 255 x 32 for HKDF-SHA256
        ClkEncoder(many, secret="s")
    assert info.value.field == "clkConfig.kdf.keySize"


@pytest.mark.parametrize(
    "keys",
    [{}, {"key1": "a"}, {"secret": "s", "key1": "a", "key2": "b"}, {"secret": ""}, {"key1": "", "key2": "b"}],
)
def test_key_arguments(keys: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError):
        ClkEncoder(V3, **keys)


def test_keys_never_in_repr() -> None:
    encoder = ClkEncoder(V3, secret="very-secret-value")
    assert "very-secret-value" not in repr(encoder) and "very-secret-value" not in repr(encoder.keys)
