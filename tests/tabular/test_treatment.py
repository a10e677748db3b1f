"""Safe by default: every column gets a treatment; unlisted identifiers never reach an output;
auto mode generalizes every column it classifies QI; values keep their spelling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import veil.tabular as vt
from tests.tabular.conftest import ADULT_DIR, ADULT_QIS
from tests.tabular.test_pycanon import pycanon
from veil.errors import InvalidInputError
from veil.io import load_table

IDENTIFIERS = ["patient_id", "name", "email", "phone", "ssn"]


def people(n: int = 240, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = ["Alice", "Bruno", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Irene", "James"]
    last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
    return pd.DataFrame(
        {
            "patient_id": [f"P{100000 + i}" for i in range(n)],
            "name": [f"{first[i % 10]} {last[(i * 7 + i // 10) % 10]}" for i in range(n)],
            "email": [f"user{i}@example.org" for i in range(n)],
            "phone": [f"+1 617 555 {1000 + i:04d}" for i in range(n)],
            "ssn": [f"{100 + i % 800:03d}-{10 + i % 89:02d}-{1000 + i:04d}" for i in range(n)],
            "age": rng.integers(18, 90, n),
            "zip": rng.choice([f"0{z}" for z in range(2100, 2160)], n),
            "sex": rng.choice(["F", "M"], n),
            "diagnosis": rng.choice(["flu", "cold", "asthma", "diabetes"], n),
            "source": ["registry"] * n,
        }
    )


def _cells(frame: pd.DataFrame) -> set[str]:
    return {str(v) for v in frame.astype(str).to_numpy().ravel()} | {str(c) for c in frame.columns}


def assert_no_identifier(out: pd.DataFrame, original: pd.DataFrame) -> None:
    assert not set(IDENTIFIERS) & set(out.columns)
    values = _cells(out)
    for col in IDENTIFIERS:
        assert not set(original[col].astype(str)) & values, col


def test_every_column_gets_a_treatment() -> None:
    df = people()
    res = vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}], k=5, max_suppression=0.05)
    cols = {c["name"]: c for c in res.columns}
    assert list(cols) == list(df.columns)
    assert all(c["treatment"] in vt.TREATMENTS and c["reason"] for c in cols.values())
    for name in IDENTIFIERS:
        assert cols[name]["class"] == "DI" and cols[name]["treatment"] == "removed"
        assert cols[name]["source"] == "detection"
    assert cols["age"]["source"] == "caller" and cols["age"]["treatment"] in ("generalized", "suppressed")
    assert cols["zip"]["class"] == "QI" and cols["sex"]["class"] == "QI"
    # k-anonymity alone: a detected sensitive column joins the QIs instead of being published raw
    assert cols["diagnosis"]["class"] == "SI" and cols["diagnosis"]["treatment"] in ("generalized", "suppressed")
    assert cols["source"] == {**cols["source"], "class": "NSI", "treatment": "kept"}
    assert_no_identifier(res.data, df)
    qis = [c for c, v in cols.items() if v["treatment"] in ("generalized", "suppressed")]
    assert set(qis) == {"age", "zip", "sex", "diagnosis"}
    assert vt.validate(res.data, qis, k=5).is_valid


def test_detected_sensitive_is_kept_and_counted_with_l_diversity() -> None:
    df = people()
    res = vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}], privacy_model="l-diversity", k=3, l=2,
                       max_suppression=0.1)
    cols = {c["name"]: c for c in res.columns}
    assert cols["diagnosis"]["treatment"] == "kept" and "l-diversity" in cols["diagnosis"]["reason"]
    assert any(c["model"] == "l-diversity" and c["attribute"] == "diagnosis" for c in res.solution.criteria)
    assert res.data["diagnosis"].tolist() == df["diagnosis"].tolist()


def test_caller_types_win_over_detection() -> None:
    df = people()
    attrs = [{"name": "age", "type": "quasi_identifier"}, {"name": "patient_id", "type": "insensitive"},
             {"name": "diagnosis", "type": "sensitive"}]
    res = vt.anonymize(df, attrs, k=5, max_suppression=0.05)
    cols = {c["name"]: c for c in res.columns}
    assert cols["patient_id"]["treatment"] == "kept" and cols["patient_id"]["source"] == "caller"
    assert res.data["patient_id"].tolist() == df["patient_id"].tolist()
    assert cols["diagnosis"]["treatment"] == "kept" and "no l-diversity" in cols["diagnosis"]["reason"]


def test_free_text_is_not_kept_raw() -> None:
    df = people(60)
    df["notes"] = [f"Seen on day {i} with a long narrative about the visit, the family and the history {i}"
                   for i in range(60)]
    df["notes"] = df["notes"].where(np.arange(60) % 2 == 0, df["notes"].iloc[0])
    res = vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}], k=2, max_suppression=0.2)
    cols = {c["name"]: c for c in res.columns}
    assert cols["notes"]["treatment"] == "removed" and "notes" not in res.data.columns


def test_no_identifier_in_apply_of_a_solution_or_partitions() -> None:
    df = people()
    res = vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}], k=5, max_suppression=0.05)
    new = df.iloc[::2].reset_index(drop=True)  # values the stored hierarchies know
    new["customer_email"] = [f"someone{i}@example.com" for i in range(new.shape[0])]
    applied = vt.apply_solution(res.solution.to_dict(), new)
    assert_no_identifier(applied.data, new)
    assert "customer_email" not in applied.data.columns
    cols = {c["name"]: c for c in applied.columns}
    assert cols["customer_email"]["treatment"] == "removed" and cols["customer_email"]["source"] == "solution"
    parts = [df.iloc[:120], df.iloc[120:]]
    whole = vt.anonymize_partitions(parts, [{"name": "age", "type": "quasi_identifier"}], k=5, max_suppression=0.05)
    assert_no_identifier(whole.data, df)
    assert [c["name"] for c in whole.columns] == list(df.columns)
    assert whole.levels == res.levels


def _auto(df: pd.DataFrame, **kw: object) -> tuple[vt.AnonymizationResult, list[str]]:
    cfg = vt.generate_config(df, **kw)  # type: ignore[arg-type]
    res = vt.anonymize(df, **cfg.anonymize_request)
    qi = [a["name"] for a in cfg.anonymize_request["attributes"] if a["type"] == "quasi_identifier"]
    return res, qi


def _min_class(out: pd.DataFrame, qis: list[str]) -> int:
    """Independent count: records grouped on their published QI values, suppressed left out."""
    kept = out[~(out[qis].astype(str) == "*").all(axis=1)]
    return int(kept.groupby(qis, dropna=False).size().min())


def test_auto_mode_generalizes_every_classified_qi() -> None:
    df = people()
    det = vt.detect_qi(df, max_quasi_identifiers=1)
    assert {"age", "zip", "sex"} <= set(det.quasi_identifiers)  # the cutoff ranks, it does not declassify
    res, qis = _auto(df, k=5, max_quasi_identifiers=1)
    assert {"age", "zip", "sex"} <= set(qis)
    assert _min_class(res.data, qis) >= 5
    assert_no_identifier(res.data, df)


@pytest.mark.peer
def test_auto_mode_output_checked_by_pycanon() -> None:
    df = people()
    res, qis = _auto(df, k=5, max_suppression=0.05)
    out = res.data[~(res.data[qis].astype(str) == "*").all(axis=1)]
    assert pycanon(out, qis, [])["k"] >= 5


def test_auto_on_adult_leaves_no_record_unique_on_arx_qis() -> None:
    path = ADULT_DIR / "adult.csv"
    if not path.exists():
        pytest.skip("Adult data set not found")
    adult = load_table(path)
    res, qis = _auto(adult, k=5)
    assert set(qis) == set(ADULT_QIS)
    sizes = res.data.groupby(ADULT_QIS, dropna=False).size()
    assert int((sizes == 1).sum()) == 0 and int(sizes.min()) >= 5


def test_k_null_with_k_anonymity_is_refused() -> None:
    df = people(40)
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}], k=None)
    assert err.value.field == "k"
    with pytest.raises(InvalidInputError) as err:
        vt.validate(df, ["age"], k=None)
    assert err.value.field == "k"
    with pytest.raises(InvalidInputError) as err:
        vt.generate_config(df, k=None)
    assert err.value.field == "k"
    with pytest.raises(InvalidInputError) as err:
        vt.check_anonymize(df, [{"name": "age", "type": "quasi_identifier"}], k=None)
    assert err.value.field == "k"
    # l-diversity alone with no k: no k-anonymity, allowed
    res = vt.anonymize(df, [{"name": "age", "type": "quasi_identifier"}, {"name": "diagnosis", "type": "sensitive"}],
                       privacy_model="l-diversity", k=None, l=2, max_suppression=0.5)
    assert all(c["model"] != "k-anonymity" for c in res.solution.criteria)


def test_check_anonymize_refuses_what_anonymize_refuses() -> None:
    df = people(40)
    bad: list[dict[str, object]] = [
        {"attributes": [{"name": "nope", "type": "quasi_identifier"}]},
        {"t": 1.5, "privacy_model": "t-closeness"},
        {"metric": "speed"},
        {"suppress_value": 3},
        {"time_limit": -1},
        {"attributes": [{"name": "age", "type": "quasi_identifier", "hierarchy": [["18", "*"]]}]},
    ]
    for options in bad:
        kw = {"attributes": [{"name": "age", "type": "quasi_identifier"}], **options}
        with pytest.raises(InvalidInputError) as sync_err:
            vt.anonymize(df, **kw)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError) as check_err:
            vt.check_anonymize(df, **kw)  # type: ignore[arg-type]
        assert sync_err.value.field == check_err.value.field, options
    ok = vt.check_anonymize(df, [{"name": "age", "type": "quasi_identifier"}])
    assert ok["rows"] == 40 and {c["name"] for c in ok["columns"]} == set(df.columns)


def test_measure_needs_a_common_column() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.measure(pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"b": [1, 2]}))
    assert err.value.field == "anonymized_data"


def test_csv_values_keep_their_spelling() -> None:
    raw = b"zip,age,code,score,flag\n02138,39,007,1.50,NA\n90210,41,120,2.25,null\n02139,,3,0.5,\n"
    frame = load_table(raw, fmt="csv")
    assert frame["zip"].tolist() == ["02138", "90210", "02139"]
    assert frame["code"].tolist() == ["007", "120", "3"]
    assert frame["score"].tolist() == ["1.50", "2.25", "0.5"]
    assert frame["flag"].tolist()[:2] == ["NA", "null"]
    attrs = [{"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10}},
             *({"name": c, "type": "insensitive"} for c in ("zip", "code", "score", "flag"))]
    res = vt.anonymize(frame, attrs, k=1)
    text = res.data.to_csv(index=False)
    assert "02138" in text and "007" in text and "1.50" in text
    back = load_table(text.encode(), fmt="csv")
    assert back["zip"].tolist() == ["02138", "90210", "02139"]
    assert back["code"].tolist() == ["007", "120", "3"]
    jl = load_table(b'{"zip": "02138", "n": 1}\n{"zip": "00501", "n": 2}\n', fmt="jsonl")
    assert jl["zip"].tolist() == ["02138", "00501"]


def test_kept_whole_numbers_with_gaps_stay_whole() -> None:
    frame = load_table(b"age,visits\n30,1\n31,\n32,3\n33,4\n", fmt="csv")
    res = vt.anonymize(frame, [{"name": "age", "type": "quasi_identifier"}, {"name": "visits", "type": "insensitive"}],
                       k=1)
    assert res.data.to_csv(index=False).splitlines()[1:] == ["30,1", "31,", "32,3", "33,4"]


def test_duplicate_csv_header_is_refused() -> None:
    with pytest.raises(InvalidInputError) as err:
        load_table(b"age,zip,age\n1,2,3\n", fmt="csv")
    assert err.value.field == "data" and "'age'" in err.value.message


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(IDENTIFIERS), min_size=1, max_size=5, unique=True), st.integers(40, 120),
       st.integers(2, 5), st.sampled_from([0.0, 0.1]))
def test_property_unlisted_identifiers_never_published(ids: list[str], n: int, k: int, supp: float) -> None:
    df = people(n, seed=n)[[*ids, "age", "sex", "zip"]]
    try:
        res = vt.anonymize(df, [{"name": "sex", "type": "quasi_identifier"}], k=k, max_suppression=supp)
    except InvalidInputError as err:  # no generalization within the suppression limit
        assert err.field == "max_suppression"
        return
    out_values = _cells(res.data)
    for col in ids:
        assert col not in res.data.columns
        assert not set(df[col].astype(str)) & out_values
    assert {c["name"] for c in res.columns} == set(df.columns)
