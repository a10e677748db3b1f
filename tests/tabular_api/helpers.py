from __future__ import annotations

from pathlib import Path

import pandas as pd

ADULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "adult"
ADULT_QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation",
             "salary-class"]

PEOPLE = pd.DataFrame(
    {
        "customer_id": range(240),
        "email": [f"p{i}@example.org" for i in range(240)],
        "age": [18 + (i * 7) % 60 for i in range(240)],
        "gender": ["F", "M"] * 120,
        "zipcode": [f"{10100 + (i * 3) % 24:05d}" for i in range(240)],
        "diagnosis": ["flu", "cold", "asthma", "diabetes"] * 60,
    }
)
PEOPLE_ATTRS = [
    {"name": "customer_id", "type": "identifier"},
    {"name": "email", "type": "identifier"},
    {"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10}},
    {"name": "gender", "type": "quasi_identifier"},
    {"name": "zipcode", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
    {"name": "diagnosis", "type": "sensitive"},
]


def adult_attributes(local_paths: bool = True) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for c in ADULT_QIS:
        path = ADULT_DIR / f"adult_hierarchy_{c}.csv"
        out.append({"name": c, "type": "quasi_identifier", "hierarchy": str(path) if local_paths else
                    pd.read_csv(path, sep=";", header=None, dtype=str).values.tolist()})
    return out


def levels(result_levels: dict[str, int]) -> list[int]:
    return [result_levels[c] for c in ADULT_QIS]
