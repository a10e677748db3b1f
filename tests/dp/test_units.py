"""User-level privacy: contribution bounding, the guarantee per unit, a membership attack."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from veil.dp import compute
from veil.dp.stream import StreamSession
from veil.dp.units import PrivacyUnit, bound_grouped, bound_rows
from veil.errors import InvalidInputError

RNG = np.random.default_rng(17)
USERS = pd.DataFrame({
    "user_id": np.repeat(np.arange(100), 50),
    "amount": RNG.uniform(0, 10, 5000),
    "city": RNG.choice(["a", "b", "c"], 5000),
})


def test_user_level_count_releases_users_not_rows() -> None:
    """100 users x 50 rows: bounded to one row per user the count is ~100, not ~5,000."""
    user = compute(USERS, mechanism="count", epsilon=1.0, privacy_unit="user_id", max_contributions=1)
    row = compute(USERS, mechanism="count", epsilon=1.0)
    assert abs(user.private_value - 100) < 15 and abs(row.private_value - 5000) < 15
    assert user.privacy_unit == "user_id" and row.privacy_unit == "row"
    assert user.guarantee == {"privacy_unit": "user_id", "max_contributions": 1, "max_partitions": 1,
                              "epsilon": pytest.approx(1.0), "delta": 0.0, "accounting": "basic"}


def test_sensitivity_scales_with_max_contributions() -> None:
    out = compute(USERS, mechanism="sum", column="amount", bounds=(0, 10), epsilon=1.0,
                  privacy_unit="user_id", max_contributions=5)
    assert out.details["sensitivity"] == pytest.approx(50.0, rel=1e-6)  # 5 rows x max |bound|
    counts = [compute(USERS, mechanism="count", epsilon=1.0, privacy_unit="user_id",
                      max_contributions=5).private_value for _ in range(200)]
    # discrete Laplace of scale 5 around 500: std ~7.1
    assert abs(np.mean(counts) - 500) < 2.5 and 5.0 < np.std(counts) < 9.5


def test_bounding_keeps_at_most_k_rows_and_p_groups() -> None:
    frame = bound_rows(USERS, PrivacyUnit("user_id", 3))
    assert frame.groupby("user_id").size().max() == 3 and len(frame) == 300
    groups = USERS["city"]
    bounded = bound_grouped(USERS, PrivacyUnit("user_id", 2, 1), groups)
    per_user = bounded.groupby("user_id")["city"].nunique()
    assert per_user.max() == 1 and bounded.groupby(["user_id", "city"]).size().max() == 2


def test_grouped_user_level_count_with_max_partitions() -> None:
    out = compute(USERS, mechanism="count", group_by="city", group_keys=["a", "b", "c"], epsilon=2.0,
                  privacy_unit="user_id", max_contributions=1, max_partitions=1)
    assert abs(sum(out.results.values()) - 100) < 12  # each user in one city, once
    assert out.guarantee["max_partitions"] == 1
    wide = compute(USERS, mechanism="count", group_by="city", group_keys=["a", "b"], epsilon=2.0,
                   privacy_unit="user_id", max_partitions=10)
    assert wide.guarantee["max_partitions"] == 2  # a unit cannot touch more groups than there are keys


def test_unit_parameters_are_checked() -> None:
    cases = [
        ({"max_contributions": 2}, "max_contributions"),
        ({"privacy_unit": "nope"}, "privacy_unit"),
        ({"privacy_unit": "user_id", "max_contributions": 0}, "max_contributions"),
        ({"privacy_unit": "user_id", "max_partitions": 2}, "max_partitions"),
        ({"privacy_unit": "city", "group_by": "city", "group_keys": ["a"]}, "privacy_unit"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInputError) as info:
            compute(USERS, mechanism="count", epsilon=1.0, **kwargs)
        assert info.value.field == field


def test_null_unit_ids_belong_to_no_unit() -> None:
    frame = pd.DataFrame({"user_id": [None] * 500 + list(range(50))})
    out = compute(frame, mechanism="count", epsilon=2.0, privacy_unit="user_id")
    assert abs(out.private_value - 50) < 10


def test_membership_attack_on_a_heavy_user_is_bounded_by_the_user_level_epsilon() -> None:
    """The best test between "heavy user in" and "out" from a user-level count at epsilon.

    The heavy user has 50 rows; the others one each. The attacker knows everything but the
    heavy user's membership and guesses "in" when the release clears the midpoint.
    Row-level DP lets it win almost always; user-level DP caps it at e^eps / (1 + e^eps).
    """
    eps = 1.0
    others = pd.DataFrame({"user_id": np.arange(200)})
    with_heavy = pd.concat([others, pd.DataFrame({"user_id": [999] * 50})], ignore_index=True)
    trials = 1500
    rng = np.random.default_rng(5)
    member = rng.integers(0, 2, trials).astype(bool)

    def accuracy(n: int, **unit: object) -> float:
        shift = 1 if unit else 50
        right = 0
        for b in member[:n]:
            out = compute(with_heavy if b else others, mechanism="count", epsilon=eps, **unit)  # type: ignore[arg-type]
            right += int((out.private_value >= 200 + shift / 2) == b)
        return right / n

    bound = math.exp(eps) / (1 + math.exp(eps))
    user_level = accuracy(trials, privacy_unit="user_id", max_contributions=1)
    assert user_level <= bound + 4 * math.sqrt(bound * (1 - bound) / trials)
    assert accuracy(200) > 0.97  # the same attack against a per-row guarantee


def test_stream_bounds_units_across_batches() -> None:
    session = StreamSession.create("s", mechanism="count", epsilon=5.0, privacy_unit="user_id",
                                   max_contributions=2, horizon=16)
    for _ in range(10):  # the same 40 users in every batch, 3 rows each
        session.update(pd.DataFrame({"user_id": np.repeat(np.arange(40), 3)}))
    assert abs(session.result() - 80) < 25  # 2 rows per user over the stream, not 1,200
    assert session.summary()["privacy_unit"] == "user_id"
    clone = StreamSession.from_dict(session.to_dict())
    kept, _ = clone._bound(pd.DataFrame({"user_id": np.arange(45)}), None)
    assert sorted(kept["user_id"]) == [40, 41, 42, 43, 44]  # the 40 known users have no room left


def test_grouped_stream_charges_max_partitions_groups() -> None:
    one = StreamSession.create("g", mechanism="count", epsilon=1.0, group_by="city", group_keys=["a", "b", "c"],
                               privacy_unit="user_id", max_partitions=1)
    two = StreamSession.create("g", mechanism="count", epsilon=1.0, group_by="city", group_keys=["a", "b", "c"],
                               privacy_unit="user_id", max_partitions=2)
    assert sum(e.epsilon for e in one.events()) == pytest.approx(1.0)
    assert sum(e.epsilon for e in two.events()) == pytest.approx(2.0)


def test_duplicate_index_labels_do_not_mix_up_groups() -> None:
    frame = pd.DataFrame({"g": ["a", "b"] * 200, "v": [1.0, 9.0] * 200, "u": range(400)}, index=[0] * 400)
    out = compute(frame, mechanism="mean", column="v", bounds=(0, 10), group_by="g", group_keys=["a", "b"],
                  epsilon=4.0, privacy_unit="u")
    assert abs(out.results["a"] - 1.0) < 1 and abs(out.results["b"] - 9.0) < 1
