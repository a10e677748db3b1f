"""Bad input gives InvalidInputError naming the field."""

from __future__ import annotations

import pandas as pd
import pytest

import veil.tabular as vt
from veil.errors import InvalidInputError

DATA = pd.DataFrame(
    {
        "age": [21, 22, 35, 36, 47, 48],
        "zip": ["12345", "12346", "12355", "12356", "12365", "12366"],
        "disease": ["flu", "cold", "flu", "hiv", "cold", "flu"],
    }
)
AGE_ROWS = [[str(a), f"{a // 10 * 10}s", "*"] for a in (21, 22, 35, 36, 47, 48)]


def _attrs(**over: object) -> list[dict[str, object]]:
    base: list[dict[str, object]] = [
        {"name": "age", "type": "quasi_identifier", "hierarchy": AGE_ROWS},
        {"name": "zip", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
        {"name": "disease", "type": "sensitive"},
    ]
    return base


def test_hierarchy_missing_values_are_listed() -> None:
    rows = AGE_ROWS[:4]
    attrs = _attrs()
    attrs[0]["hierarchy"] = rows
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, k=2)
    assert err.value.field == "attributes[0].hierarchy"
    assert "'47'" in err.value.message and "'48'" in err.value.message
    assert err.value.details["missing_count"] == 2


def test_k_larger_than_rows() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, _attrs(), k=7)
    assert err.value.field == "k"


@pytest.mark.parametrize("k", [0, -1, 2.5])
def test_k_not_positive_integer(k: object) -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, _attrs(), k=k)  # type: ignore[arg-type]
    assert err.value.field == "k"


def test_l_without_sensitive_attribute() -> None:
    attrs = _attrs()[:2]
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA[["age", "zip"]], attrs, privacy_model="l-diversity", k=2, l=2)
    assert err.value.field == "attributes"
    assert "sensitive" in err.value.message


@pytest.mark.parametrize("t", [-0.1, 1.5])
def test_t_outside_unit_interval(t: float) -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, _attrs(), privacy_model="t-closeness", k=2, t=t)
    assert err.value.field == "t"


@pytest.mark.parametrize("value", [-0.5, 1.2])
def test_max_suppression_outside_unit_interval(value: float) -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, _attrs(), k=2, max_suppression=value)
    assert err.value.field == "max_suppression"


def test_empty_table() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(pd.DataFrame({"age": []}), [{"name": "age", "type": "quasi_identifier"}], k=2)
    assert err.value.field == "data"
    with pytest.raises(InvalidInputError):
        vt.anonymize([], [{"name": "age"}], k=2)


def test_unknown_column() -> None:
    attrs = _attrs()
    attrs.append({"name": "nope", "type": "insensitive"})
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, k=2)
    assert err.value.field == "attributes[3].name"


def test_unknown_metric_and_type() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, _attrs(), k=2, metric="speed")
    assert err.value.field == "metric"
    attrs = _attrs()
    attrs[1]["type"] = "secret"
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, k=2)
    assert err.value.field == "attributes[1].type"


def test_no_quasi_identifier() -> None:
    listed = [{"name": c, "type": "sensitive" if c == "disease" else "insensitive"} for c in DATA.columns]
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, listed, k=2)
    assert err.value.field == "attributes"


def test_unlisted_columns_are_detected_not_copied() -> None:
    """Listing only the sensitive column: detection types the others (age, zip -> QIs)."""
    res = vt.anonymize(DATA, [{"name": "disease", "type": "sensitive"}], k=2)
    cols = {c["name"]: c for c in res.columns}
    assert cols["age"]["class"] == "QI" and cols["age"]["source"] == "detection"
    assert cols["disease"]["treatment"] == "kept" and cols["disease"]["source"] == "caller"
    assert vt.validate(res.data, ["age", "zip"], k=2).is_valid


def test_malformed_hierarchy_rows() -> None:
    attrs = _attrs()
    attrs[0]["hierarchy"] = [["21", "20s"], ["21", "20s"]]
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, k=2)
    assert "more than once" in err.value.message
    attrs[0]["hierarchy"] = {"type": "spiral"}
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, k=2)
    assert err.value.field == "attributes[0].hierarchy"


def test_unsatisfiable_model() -> None:
    attrs = _attrs()
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(DATA, attrs, privacy_model="l-diversity", k=2, l=5)
    assert err.value.field == "max_suppression"


def test_validate_and_risk_errors() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.validate(DATA, ["age"], privacy_model="l-diversity", l=2)
    assert err.value.field == "sensitive_attributes"
    with pytest.raises(InvalidInputError) as err:
        vt.calculate_risk(DATA, ["nope"])
    assert err.value.field == "quasi_identifiers[0]"
    with pytest.raises(InvalidInputError) as err:
        vt.measure(DATA, DATA.iloc[:3], ["age"])
    assert err.value.field == "anonymized_data"
    with pytest.raises(InvalidInputError) as err:
        vt.detect_qi(DATA, mode="neural")
    assert err.value.field == "mode"
