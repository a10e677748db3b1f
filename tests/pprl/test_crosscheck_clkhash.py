"""Property-based cross-check against the real clkhash (0.14.0 two-key, 0.18.3 single-secret).

Hypothesis draws schema variants (versions, comparisons, strategies, hashes, l, folds, KDF
settings, missing values) and records (valid and invalid); each example sends its schemas and
rows to clkhash in one subprocess call. Veil must produce the same CLK for every row clkhash
hashes and an error for every row clkhash rejects.
"""

from __future__ import annotations

import base64
import datetime
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.pprl.peers import run_clkhash
from veil.pprl import ClkEncoder

pytestmark = pytest.mark.peer

EXAMPLES = 5
SCHEMAS_PER_EXAMPLE = 3
ROWS_PER_SCHEMA = 140  # 5 x 3 x 140 = 2,100 records per mode, well over 1,000 of them valid

TEXT = st.text(alphabet=string.ascii_letters + "  -'éÉßøñ中文", max_size=14)
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%Y%m%d", "%d %m %Y"]


def _b64(draw: st.DrawFn) -> str:
    return base64.b64encode(draw(st.binary(min_size=1, max_size=24))).decode()


@st.composite
def feature_kinds(draw: st.DrawFn) -> list[str]:
    kinds = draw(st.lists(st.sampled_from(["name", "pattern", "date", "enum", "int", "num", "ignored"]),
                          min_size=1, max_size=5))
    if all(k == "ignored" for k in kinds):
        kinds.append("name")
    return kinds


def _format(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    if kind in ("name", "num"):
        fmt: dict[str, Any] = {"type": "string"}
        if kind == "name":
            fmt["encoding"] = draw(st.sampled_from(["utf-8", "utf-8", "ascii", "utf-16"]))
            case = draw(st.sampled_from([None, "mixed", "upper", "lower"]))
            if case:
                fmt["case"] = case
            if draw(st.booleans()):
                fmt["minLength"] = draw(st.integers(0, 3))
            if draw(st.booleans()):
                fmt["maxLength"] = draw(st.integers(4, 12))
        return fmt
    if kind == "pattern":
        return {"type": "string", "encoding": "ascii", "pattern": "[a-z]{2}[0-9]{1,3}"}
    if kind == "date":
        return {"type": "date", "format": draw(st.sampled_from(DATE_FORMATS))}
    if kind == "enum":
        return {"type": "enum", "values": ["M", "F", "X"]}
    fmt = {"type": "integer"}
    if draw(st.booleans()):
        fmt["minimum"] = draw(st.integers(-5, 10))
    if draw(st.booleans()):
        fmt["maximum"] = draw(st.integers(50, 5000))
    return fmt


def _value(draw: st.DrawFn, kind: str, fmt: dict[str, Any]) -> str:
    if kind == "name":
        text = draw(TEXT)
        if draw(st.integers(0, 4)):  # mostly conforming values, sometimes not
            text = {"upper": text.upper(), "lower": text.lower()}.get(fmt.get("case", ""), text)
            text = text[: fmt.get("maxLength", len(text))].ljust(fmt.get("minLength", 0), "z")
            if fmt.get("encoding") == "ascii":
                text = text.encode("ascii", "replace").decode()
        return text
    if kind == "pattern":
        return draw(st.one_of(st.from_regex(r"[a-z]{2}[0-9]{1,3}", fullmatch=True), TEXT))
    if kind == "date":
        if draw(st.integers(0, 9)) == 0:
            return draw(st.sampled_from(["", "2001-02-30", "31/31/2000", "19991301", "garbage"]))
        d = draw(st.dates(min_value=datetime.date(1000, 1, 1)))
        return d.strftime(fmt["format"])
    if kind == "enum":
        return draw(st.sampled_from(["M", "F", "X", "M", "F", "m", "", "N/A"]))
    if kind == "int":
        n = draw(st.integers(-20, 6000))
        return draw(st.sampled_from([str(n), str(n), f" {n}", f"+{n}" if n >= 0 else str(n), "x1", "", "N/A"]))
    return draw(st.sampled_from(["12", "-3", "4.75", "0.5", "1e3", "abc", "", "7", "100"]))


def _hashing(draw: st.DrawFn, kind: str, version: int, mode: str, blake_ok: bool) -> dict[str, Any]:
    if version == 1:
        h: dict[str, Any] = {"ngram": draw(st.integers(1, 2)), "positional": draw(st.booleans())}
        if draw(st.booleans()):
            h["weight"] = draw(st.sampled_from([0, 0.5, 1, 1.5, 2, 2.5]))
    else:
        max_n = 2 if mode == "two-key" else 3
        strategy = draw(st.sampled_from(["token", "feature"]))
        if version == 2:
            h = {"ngram": draw(st.integers(1, max_n)), "positional": draw(st.booleans())}
            h["strategy"] = {"k": draw(st.integers(1, 40))} if strategy == "token" else {
                "numBits": draw(st.integers(1, 300))}
        else:
            if kind in ("int", "num") and draw(st.booleans()):
                comparison: dict[str, Any] = {
                    "type": "numeric",
                    "thresholdDistance": draw(st.sampled_from([1, 2.5, 10, 0.3])),
                    "resolution": draw(st.integers(1, 6)),
                }
                # thresholdDistance x 10**precision must round to a non-zero integer, or both clkhash
                # and Veil refuse the schema (tests/pprl/test_schema.py checks that refusal)
                low = 1 if comparison["thresholdDistance"] < 1 else 0
                if low or draw(st.booleans()):
                    comparison["fractional_precision"] = draw(st.integers(low, 3))
            elif kind in ("enum", "date") and draw(st.booleans()):
                comparison = {"type": "exact"}
            else:
                comparison = {"type": "ngram", "n": draw(st.integers(1, max_n)),
                              "positional": draw(st.booleans())}
            h = {"comparison": comparison}
            h["strategy"] = {"bitsPerToken": draw(st.integers(1, 40))} if strategy == "token" else {
                "bitsPerFeature": draw(st.integers(1, 300))}
        choice = draw(st.sampled_from(["default", "double", "double-ns", "blake"] if blake_ok else
                                      ["double", "double-ns"]))
        if choice == "double":
            h["hash"] = {"type": "doubleHash"}
        elif choice == "double-ns":
            h["hash"] = {"type": "doubleHash", "prevent_singularity": draw(st.booleans())}
        elif choice == "blake":
            h["hash"] = {"type": "blakeHash"}
    if kind in ("enum", "int", "date") and draw(st.booleans()):
        h["missingValue"] = {"sentinel": draw(st.sampled_from(["", "N/A"]))}
        if draw(st.booleans()):
            h["missingValue"]["replaceWith"] = draw(st.sampled_from(["", "missing", "0"]))
    return h


@st.composite
def schema_with_rows(draw: st.DrawFn, mode: str) -> tuple[dict[str, Any], list[list[str]]]:
    version = draw(st.sampled_from([1, 2] if mode == "two-key" else [1, 2, 3]))
    kinds = draw(feature_kinds())
    blake_ok = draw(st.booleans())
    l_bits = draw(st.sampled_from([64, 128, 512, 1024, 2048] if blake_ok else [64, 100, 257, 1000, 1024]))
    kdf: dict[str, Any] = {"type": "HKDF", "hash": draw(st.sampled_from(["SHA256", "SHA512"]))}
    if draw(st.booleans()):
        kdf["keySize"] = draw(st.sampled_from([16, 32, 64]))
    if draw(st.booleans()):
        kdf["salt"] = _b64(draw)
    if draw(st.booleans()):
        kdf["info"] = _b64(draw)
    clk: dict[str, Any] = {"l": l_bits, "kdf": kdf}
    if draw(st.booleans()):
        clk["xor_folds"] = draw(st.integers(0, 2))
    if draw(st.booleans()):
        clk["xorFolds"] = draw(st.integers(0, 2))  # declared by the master schema, ignored by clkhash
    if version == 1:
        clk["k"] = draw(st.integers(2, 30))
        hash_choice = draw(st.sampled_from(["double", "double-ns", "blake"] if blake_ok else ["double"]))
        clk["hash"] = {"type": "blakeHash"} if hash_choice == "blake" else {"type": "doubleHash"}
        if hash_choice == "double-ns":
            clk["hash"]["prevent_singularity"] = True
    features = []
    formats = []
    for i, kind in enumerate(kinds):
        ident = f"{kind}{i}"
        if kind == "ignored":
            features.append({"identifier": ident, "ignored": True})
            formats.append({})
            continue
        fmt = _format(draw, kind)
        formats.append(fmt)
        features.append({"identifier": ident, "format": fmt,
                         "hashing": _hashing(draw, kind, version, mode, blake_ok)})
    schema = {"version": version, "clkConfig": clk, "features": features}
    rows = [
        [draw(TEXT) if kind == "ignored" else _value(draw, kind, fmt) for kind, fmt in zip(kinds, formats, strict=True)]
        for _ in range(ROWS_PER_SCHEMA)
    ]
    return schema, rows


def _keys(mode: str) -> dict[str, str]:
    return {"secret": "s3cret ✓"} if mode == "secret" else {"key1": "correct", "key2": "horse"}


def _check(mode: str, examples: list[tuple[dict[str, Any], list[list[str]]]]) -> int:
    """Compare every row; return how many rows both sides hashed (not rejected)."""
    keys = _keys(mode)
    hashed = 0
    expected = run_clkhash(mode, [{"schema": s, "rows": r, **keys} for s, r in examples])
    for (schema, rows), theirs in zip(examples, expected, strict=True):
        ours = ClkEncoder(schema, **keys).hash_rows(rows)
        for row, mine, their in zip(rows, ours, theirs, strict=True):
            if their is None:
                assert mine.error is not None, (schema, row, mine)
            else:
                assert mine.error is None, (schema, row, mine.error)
                assert mine.clk == their, (schema, row)
                hashed += 1
    return hashed


@pytest.mark.parametrize("mode", ["secret", "two-key"])
def test_matches_clkhash_on_random_schemas_and_records(mode: str) -> None:
    checked: list[int] = []
    hashed: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a subprocess call
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(st.lists(schema_with_rows(mode), min_size=SCHEMAS_PER_EXAMPLE, max_size=SCHEMAS_PER_EXAMPLE))
    def run(examples: list[tuple[dict[str, Any], list[list[str]]]]) -> None:
        hashed.append(_check(mode, examples))
        checked.append(sum(len(rows) for _, rows in examples))

    run()
    assert sum(checked) >= 1000
    assert sum(hashed) >= 1000, f"only {sum(hashed)} of {sum(checked)} records were valid"
    print(f"{mode}: {sum(hashed)} of {sum(checked)} records hashed identically, the rest rejected by both")
