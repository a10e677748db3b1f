from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ADULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "adult"
ADULT_QIS = [
    "sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class",
]


def adult_attributes(types: dict[str, str] | None = None) -> list[dict[str, object]]:
    types = types or {}
    return [
        {"name": c, "type": types.get(c, "quasi_identifier"), "hierarchy": str(ADULT_DIR / f"adult_hierarchy_{c}.csv")}
        for c in ADULT_QIS
    ]


@pytest.fixture(scope="session")
def adult() -> pd.DataFrame:
    path = ADULT_DIR / "adult.csv"
    if not path.exists():
        pytest.skip(f"Adult data set not found at {path}")
    return pd.read_csv(path, sep=";")
