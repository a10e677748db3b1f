"""Privacy budgets as a pure accounting object (the service persists its ``to_dict``).

A budget holds ``epsilon_budget``/``delta_budget``, a composition rule (``basic``,
``rdp`` or ``pld``; see :mod:`veil.dp.accounting`) and the list of charges. :meth:`PrivacyBudget.charge` first composes the
existing charges with the new one; if the total would exceed either budget it raises
:class:`~veil.errors.BudgetExceededError` and changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from veil.dp import accounting
from veil.dp.types import Composition, PrivacyEvent
from veil.dp.validation import check_delta, check_epsilon, parse_enum
from veil.errors import BudgetExceededError, InvalidInputError

_SLACK = 1e-9  # relative tolerance for float noise when comparing spends with budgets


@dataclass
class Charge:
    epsilon: float
    delta: float
    events: list[PrivacyEvent]
    operation: str = "dp_compute"
    charge_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def to_dict(self) -> dict[str, Any]:
        return {
            "charge_id": self.charge_id,
            "operation": self.operation,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "events": [e.to_dict() for e in self.events],
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Charge:
        return cls(
            epsilon=float(data["epsilon"]),
            delta=float(data.get("delta", 0.0)),
            events=[PrivacyEvent.from_dict(e) for e in data.get("events", [])],
            operation=str(data.get("operation", "dp_compute")),
            charge_id=str(data.get("charge_id") or uuid.uuid4().hex),
            created_at=str(data.get("created_at") or datetime.now(UTC).isoformat()),
        )


class PrivacyBudget:
    def __init__(
        self,
        session_id: str,
        epsilon_budget: float,
        delta_budget: float = 0.0,
        composition: Composition | str = Composition.BASIC,
        charges: list[Charge] | None = None,
        privacy_unit: str | None = None,
    ) -> None:
        if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 200:
            raise InvalidInputError("session_id must be a non-empty string of at most 200 characters",
                                    field="session_id")
        self.session_id = session_id
        self.epsilon_budget = check_epsilon(epsilon_budget, "epsilon_budget")
        self.delta_budget = check_delta(delta_budget, "delta_budget")
        self.composition = parse_enum(Composition, composition, "composition")
        if self.composition != Composition.BASIC and self.delta_budget <= 0:
            raise InvalidInputError(f"{self.composition.value} composition needs delta_budget > 0",
                                    field="delta_budget")
        self.charges: list[Charge] = list(charges or [])
        self.privacy_unit = privacy_unit  # the unit every charge accounts for (None: not fixed yet)

    def _events(self, extra: list[PrivacyEvent] | None = None) -> list[PrivacyEvent]:
        events = [e for c in self.charges for e in c.events]
        return events + (extra or [])

    def spent(self) -> tuple[float, float]:
        return accounting.compose(self._events(), self.composition, self.delta_budget)

    def remaining(self) -> tuple[float, float]:
        eps, delta = self.spent()
        return max(self.epsilon_budget - eps, 0.0), max(self.delta_budget - delta, 0.0)

    def check(self, events: list[PrivacyEvent]) -> tuple[float, float]:
        """Total spend if ``events`` were charged; raises if that exceeds the budget."""
        eps, delta = accounting.compose(self._events(events), self.composition, self.delta_budget)
        over_eps = eps > self.epsilon_budget * (1 + _SLACK)
        over_delta = delta > self.delta_budget * (1 + _SLACK) + 1e-18
        if over_eps or over_delta:
            rem_eps, rem_delta = self.remaining()
            req_eps, req_delta = accounting.basic(events)
            raise BudgetExceededError(
                "this query would exceed the privacy budget; nothing was spent",
                field="session_id",
                details={
                    "session_id": self.session_id,
                    "epsilon_requested": req_eps,
                    "delta_requested": req_delta,
                    "epsilon_remaining": rem_eps,
                    "delta_remaining": rem_delta,
                },
            )
        return eps, delta

    def charge(
        self, events: list[PrivacyEvent], operation: str = "dp_compute", charge_id: str | None = None
    ) -> Charge:
        self.check(events)
        eps, delta = accounting.basic(events)
        record = Charge(epsilon=eps, delta=delta, events=list(events), operation=operation)
        if charge_id is not None:
            record.charge_id = charge_id
        self.charges.append(record)
        return record

    def status(self) -> dict[str, Any]:
        eps, delta = self.spent()
        return {
            "session_id": self.session_id,
            "epsilon_budget": self.epsilon_budget,
            "delta_budget": self.delta_budget,
            "composition": self.composition.value,
            "privacy_unit": self.privacy_unit,
            "guarantee": {"privacy_unit": self.privacy_unit or "row", "epsilon": eps, "delta": delta,
                          "accounting": self.composition.value},
            "epsilon_spent": eps,
            "delta_spent": delta,
            "epsilon_remaining": max(self.epsilon_budget - eps, 0.0),
            "delta_remaining": max(self.delta_budget - delta, 0.0),
            "num_charges": len(self.charges),
            "charges": [c.to_dict() for c in self.charges],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "epsilon_budget": self.epsilon_budget,
            "delta_budget": self.delta_budget,
            "composition": self.composition.value,
            "privacy_unit": self.privacy_unit,
            "charges": [c.to_dict() for c in self.charges],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrivacyBudget:
        return cls(
            session_id=data["session_id"],
            epsilon_budget=data["epsilon_budget"],
            delta_budget=data.get("delta_budget", 0.0),
            composition=data.get("composition", "basic"),
            charges=[Charge.from_dict(c) for c in data.get("charges", [])],
            privacy_unit=data.get("privacy_unit"),
        )
