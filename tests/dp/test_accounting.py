"""Budgets never accept a sequence whose true (epsilon, delta) exceeds them.

"True" is computed independently of Veil's accountant: for discrete-Laplace releases
(counts: noise on integers, sensitivity 1) the exact privacy profile of ``n`` composed
randomized responses, a binomial sum; for Gaussian releases dp-accounting's PLD of the
*discrete* Gaussian with OpenDP's scale. Every charge is a real release's events.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from veil.dp import compute, noise
from veil.dp.advisor import advise_composition
from veil.dp.budget import PrivacyBudget
from veil.dp.types import PrivacyEvent
from veil.errors import BudgetExceededError, InvalidInputError

DATA = pd.DataFrame({"v": np.arange(300) % 7, "g": ["common"] * 299 + ["rare"]})


def exact_pure_delta(eps: float, n: int, at: float) -> float:
    """delta(at) of n composed discrete-Laplace releases at eps (privacy loss +-eps, binomial)."""
    j = np.arange(n + 1)
    loss = (2 * j - n) * eps
    p = math.exp(eps) / (1 + math.exp(eps))
    return float(np.sum(binom.pmf(j, n, p) * np.maximum(0.0, -np.expm1(at - loss))))


def discrete_gaussian_delta(sigma: float, n: int, at: float) -> float:
    from dp_accounting.pld import privacy_loss_distribution as pld

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = pld.from_discrete_gaussian_mechanism(sigma, sensitivity=1, value_discretization_interval=1e-4)
        return float(one.self_compose(n).get_delta_for_epsilon(at))


def fill(budget: PrivacyBudget, **query: object) -> int:
    n = 0
    while n < 10_000:
        events = compute(DATA, mechanism="count", **query).events  # type: ignore[arg-type]
        try:
            budget.charge(events)
        except BudgetExceededError:
            return n
        n += 1
    raise AssertionError("never refused")


def test_the_issue_example_rdp_refuses_the_twentieth_count() -> None:
    budget = PrivacyBudget("s", 9.5, 1e-5, "rdp")
    accepted = fill(budget, epsilon=0.5)
    assert exact_pure_delta(0.5, 20, 9.5) == pytest.approx(3.0e-5, rel=0.01)
    assert accepted < 20 and exact_pure_delta(0.5, accepted, 9.5) <= 1e-5


@pytest.mark.parametrize("composition", ["basic", "rdp", "pld"])
@pytest.mark.parametrize(("eps_budget", "eps"), [(9.5, 0.5), (3.0, 0.1), (1.0, 0.05)])
def test_discrete_laplace_sequences_stay_within_budget(composition: str, eps_budget: float, eps: float) -> None:
    delta_budget = 1e-6
    budget = PrivacyBudget("s", eps_budget, delta_budget, composition)
    n = fill(budget, epsilon=eps)
    assert n >= math.floor(eps_budget / eps * (1 - 1e-9))  # never worse than basic composition
    assert exact_pure_delta(eps, n, eps_budget) <= delta_budget
    if composition == "pld":  # and tight: one more would exceed the exact profile
        assert exact_pure_delta(eps, n + 1, eps_budget) > delta_budget or n + 1 <= eps_budget / eps


@pytest.mark.parametrize("composition", ["basic", "rdp", "pld"])
def test_gaussian_sequences_stay_within_budget(composition: str) -> None:
    eps_budget, delta_budget, eps, delta = 2.0, 1e-5, 0.3, 1e-7
    budget = PrivacyBudget("s", eps_budget, delta_budget, composition)
    n = fill(budget, epsilon=eps, delta=delta, noise_type="gaussian")
    sigma = noise.calibrated("int", "gaussian", 1.0, eps, delta)[2]
    assert n >= 6 and discrete_gaussian_delta(sigma, n, eps_budget) <= delta_budget


def test_pld_budget_and_mixed_sequences() -> None:
    with pytest.raises(InvalidInputError) as info:
        PrivacyBudget("s", 1.0, 0.0, "pld")
    assert info.value.field == "delta_budget"
    budget = PrivacyBudget("s", 3.0, 1e-5, "pld")
    budget.charge(compute(DATA, mechanism="count", epsilon=0.5).events)
    budget.charge(compute(DATA, mechanism="count", epsilon=0.5, delta=1e-7, noise_type="gaussian").events)
    budget.charge(compute(DATA, mechanism="count", group_by="g", epsilon=0.5, delta=1e-7).events)
    eps, delta = budget.spent()
    assert eps <= 3.0 and delta <= 1e-5


def test_advice_is_what_budgets_enforce() -> None:
    for composition in ("rdp", "pld"):
        advice = advise_composition(1.0, 100, delta_budget=1e-5)
        e = advice[composition]["per_query_epsilon"]
        budget = PrivacyBudget("s", 1.0, 1e-5, composition)
        for _ in range(100):
            budget.charge([PrivacyEvent("laplace", e)])  # all 100 fit
        assert exact_pure_delta(e, 100, 1.0) <= 1e-5
    advice = advise_composition(1.0, 100, delta_budget=1e-5)
    assert advice["advanced"]["enforced"] is False and advice["recommendation"] != "advanced"


def test_gaussian_advice_is_accepted_by_a_budget() -> None:
    advice = advise_composition(2.0, 30, delta_budget=1e-5, delta_per_query=1e-8)
    e = advice["pld"]["per_query_epsilon"]
    budget = PrivacyBudget("s", 2.0, 1e-5, "pld")
    for _ in range(30):
        budget.charge(compute(DATA, mechanism="count", epsilon=e, delta=1e-8, noise_type="gaussian").events)


def test_group_charges_depend_on_the_query_alone() -> None:
    """Two data sets differing in one rare group (1 row vs 40): the same grouped query costs the same."""
    base = pd.DataFrame({"g": ["big"] * 400, "v": np.linspace(0, 10, 400)})
    small = pd.concat([base, pd.DataFrame({"g": ["rare"], "v": [5.0]})], ignore_index=True)
    large = pd.concat([base, pd.DataFrame({"g": ["rare"] * 40, "v": [5.0] * 40})], ignore_index=True)
    query = {"mechanism": "mean", "column": "v", "group_by": "g", "bounds": (0, 10), "epsilon": 1.0,
             "delta": 1e-6, "epsilon_map": {"rare": 5.0}}
    a, b = compute(small, **query), compute(large, **query)  # type: ignore[arg-type]
    assert "rare" not in a.results and "rare" in b.results
    assert a.events == b.events and a.epsilon_spent == pytest.approx(b.epsilon_spent)
    assert a.epsilon_spent == pytest.approx(0.5 + 2.5)  # sizes + the most expensive possible group
    nothing = compute(base.iloc[:3], **query)  # type: ignore[arg-type]
    assert nothing.results == {} and nothing.events == a.events
    public = {**query, "group_keys": ["big", "rare"]}
    assert compute(small, **public).events == compute(large, **public).events  # type: ignore[arg-type]


def test_typed_group_keys() -> None:
    frame = pd.DataFrame({"k": [1] * 200 + [2] * 200, "t": ["1"] * 200 + ["x"] * 200})
    out = compute(frame, mechanism="count", group_by="k", group_keys=[1, 2.0], epsilon=2.0,
                  min_group_size=1)
    assert set(out.results) == {"1", "2"} and abs(out.results["1"] - 200) < 10
    as_text = compute(frame, mechanism="count", group_by="k", group_keys=["1"], epsilon=2.0, min_group_size=1)
    assert as_text.results.get("1", 0) < 10  # the text "1" is not the number 1
    numeric_key_on_text = compute(frame, mechanism="count", group_by="t", group_keys=[1], epsilon=2.0,
                                  min_group_size=1)
    assert numeric_key_on_text.results.get("1", 0) < 10
    with pytest.raises(InvalidInputError) as info:
        compute(frame, mechanism="count", group_by="k", group_keys=[1, "1"], epsilon=1.0)
    assert info.value.field == "group_keys[1]"


def test_delta_must_be_small() -> None:
    for bad in (0.01, 0.5, 0.999):
        with pytest.raises(InvalidInputError) as info:
            compute(DATA, mechanism="count", epsilon=1.0, delta=bad)
        assert info.value.field == "delta"
    compute(DATA, mechanism="count", epsilon=1.0, delta=1e-3)
