"""Service layer of the dp domain: persisted budgets and stream sessions around :mod:`veil.dp`.

Charging is race-free: a charge runs in one transaction that first locks the budget row
(``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite a no-op ``UPDATE`` of the row takes
the database write lock before anything is read), re-composes every recorded charge with
the new one, and either records the charge and the new spend or raises
``BudgetExceededError`` and rolls back. A batch query is computed first and its result
dropped if the charge is refused, so nothing is released or spent then. Stream sessions
are updated under the same kind of lock.

**Per-principal budget.** With ``VEIL_DP_PRINCIPAL_EPSILON`` set, every caller has a
lifetime budget (session id ``@principal``; ``VEIL_DP_PRINCIPAL_DELTA`` and
``VEIL_DP_PRINCIPAL_COMPOSITION`` set the rest), created on first use and kept in step
with the settings. A query without ``session_id`` (a stream without
``budget_session_id``) is charged to it, so a caller cannot run unlimited queries; it
cannot be deleted through the API. Session ids starting with ``@`` are reserved.

**One unit per budget.** A budget's charges must share one privacy unit (given at
creation or fixed by the first charge); a charge for another unit is a 409 naming
``privacy_unit``, because composing them would state no guarantee for either.

The service reads inline records or a cloud URI (with ``VEIL_CLOUD_STORAGE_OPTIONS``);
it never reads the server's own files for a caller (the SDK and the CLI read local
files on the caller's side and send records).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from veil.dp import accounting
from veil.dp import compute as dp_compute_lib
from veil.dp.advisor import advise_composition
from veil.dp.budget import PrivacyBudget
from veil.dp.stream import StreamSession
from veil.dp.types import PrivacyEvent
from veil.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from veil.service.container import Services
from veil.service.inputs import load_data
from veil.store.models.dp import DPBudget, DPBudgetCharge, DPStreamSession

_MAX_ID = 200
_RETRIES = 3
PRINCIPAL_SESSION = "@principal"


def _now() -> datetime:
    return datetime.now(UTC)


def _check_session_id(value: Any, field: str = "session_id") -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_ID:
        raise InvalidInputError(
            f"{field} must be a non-empty string of at most {_MAX_ID} characters", field=field
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{field} is not valid Unicode (an unpaired surrogate)", field=field) from None
    return value


# ---- budgets -----------------------------------------------------------------------------


def _lock(session: Session, model: Any, principal: str, session_id: str) -> Any:
    """The caller's row, locked for the rest of the transaction (None when absent)."""
    where = (model.principal == principal, model.session_id == session_id)
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's single write lock before reading, so two charges cannot both read
        # the old spend (a deferred transaction would read first and fail to upgrade).
        session.execute(update(model).where(*where).values(updated_at=model.updated_at))
        stmt = select(model).where(*where)
    else:
        stmt = select(model).where(*where).with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def _budget_object(session: Session, row: DPBudget) -> PrivacyBudget:
    charges = session.execute(
        select(DPBudgetCharge).where(DPBudgetCharge.budget_id == row.id).order_by(DPBudgetCharge.created_at)
    ).scalars()
    data = {
        "session_id": row.session_id,
        "epsilon_budget": row.epsilon_budget,
        "delta_budget": row.delta_budget,
        "composition": row.composition,
        "privacy_unit": row.privacy_unit,
        "charges": [
            {
                "charge_id": c.id,
                "operation": c.operation,
                "epsilon": c.epsilon,
                "delta": c.delta,
                "events": c.events,
                "created_at": c.created_at.isoformat(),
            }
            for c in charges
        ],
    }
    return PrivacyBudget.from_dict(data)


def _status(row: DPBudget, budget: PrivacyBudget) -> dict[str, Any]:
    status = budget.status()
    status["created_at"] = row.created_at.isoformat() if row.created_at else None
    return status


def _check_user_session_id(value: Any, field: str = "session_id") -> str:
    session_id = _check_session_id(value, field)
    if session_id.startswith("@"):
        raise InvalidInputError("session ids starting with '@' are reserved", field=field)
    return session_id


def _check_unit(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > _MAX_ID:
        raise InvalidInputError(f"privacy_unit must be a column name of at most {_MAX_ID} characters",
                                field="privacy_unit")
    return value


def budget_create(
    services: Services,
    principal: str,
    session_id: str,
    epsilon_budget: float,
    delta_budget: float = 0.0,
    composition: str = "basic",
    privacy_unit: str | None = None,
) -> dict[str, Any]:
    budget = PrivacyBudget(_check_user_session_id(session_id), epsilon_budget, delta_budget, composition)
    unit = _check_unit(privacy_unit)
    try:
        with services.db.session() as s:
            exists = s.execute(
                select(DPBudget.id).where(DPBudget.principal == principal, DPBudget.session_id == session_id)
            ).first()
            if exists:
                raise ConflictError("a budget session with this id already exists", field="session_id")
            row = DPBudget(
                principal=principal,
                session_id=session_id,
                epsilon_budget=budget.epsilon_budget,
                delta_budget=budget.delta_budget,
                composition=budget.composition.value,
                privacy_unit=unit,
            )
            s.add(row)
            s.flush()
            budget.privacy_unit = unit
            return _status(row, budget)
    except IntegrityError:
        raise ConflictError("a budget session with this id already exists", field="session_id") from None


def _budget_row(s: Session, principal: str, session_id: str) -> DPBudget:
    row = s.execute(
        select(DPBudget).where(DPBudget.principal == principal, DPBudget.session_id == session_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError("no budget session with this id", field="session_id")
    return row


def budget_status(services: Services, principal: str, session_id: str) -> dict[str, Any]:
    if session_id == PRINCIPAL_SESSION and principal_budget_enabled(services):
        ensure_principal_budget(services, principal)
    with services.db.session() as s:
        row = _budget_row(s, principal, session_id)
        return _status(row, _budget_object(s, row))


def budget_charges(services: Services, principal: str, session_id: str) -> list[dict[str, Any]]:
    """Every charge of a budget, oldest first (each ``charge_id`` a query response returned)."""
    with services.db.session() as s:
        row = _budget_row(s, principal, session_id)
        return [c.to_dict() for c in _budget_object(s, row).charges]


def budget_charge(services: Services, principal: str, session_id: str, charge_id: str) -> dict[str, Any]:
    with services.db.session() as s:
        row = _budget_row(s, principal, session_id)
        charge = s.execute(
            select(DPBudgetCharge).where(DPBudgetCharge.budget_id == row.id, DPBudgetCharge.id == charge_id)
        ).scalar_one_or_none()
        if charge is None:
            raise NotFoundError("no charge with this id in this budget", field="charge_id")
        return {
            "charge_id": charge.id,
            "operation": charge.operation,
            "epsilon": charge.epsilon,
            "delta": charge.delta,
            "events": charge.events,
            "created_at": charge.created_at.isoformat(),
        }


def budget_delete(services: Services, principal: str, session_id: str) -> None:
    if session_id == PRINCIPAL_SESSION:
        raise ForbiddenError("the principal budget cannot be deleted", field="session_id")
    with services.db.session() as s:
        row = _budget_row(s, principal, session_id)
        s.execute(delete(DPBudgetCharge).where(DPBudgetCharge.budget_id == row.id))
        s.delete(row)


def principal_budget_enabled(services: Services) -> bool:
    return services.settings.dp_principal_epsilon is not None


def ensure_principal_budget(services: Services, principal: str) -> None:
    """Create the caller's ``@principal`` budget, or bring its limits in line with the settings."""
    settings = services.settings
    eps = settings.dp_principal_epsilon
    assert eps is not None
    limits = PrivacyBudget(PRINCIPAL_SESSION, eps, settings.dp_principal_delta, settings.dp_principal_composition)
    for _ in range(_RETRIES):
        try:
            with services.db.session() as s:
                row = s.execute(
                    select(DPBudget).where(DPBudget.principal == principal,
                                           DPBudget.session_id == PRINCIPAL_SESSION)
                ).scalar_one_or_none()
                if row is None:
                    s.add(DPBudget(principal=principal, session_id=PRINCIPAL_SESSION,
                                   epsilon_budget=limits.epsilon_budget, delta_budget=limits.delta_budget,
                                   composition=limits.composition.value))
                elif (row.epsilon_budget, row.delta_budget, row.composition) != (
                    limits.epsilon_budget, limits.delta_budget, limits.composition.value
                ):
                    row.epsilon_budget, row.delta_budget = limits.epsilon_budget, limits.delta_budget
                    row.composition = limits.composition.value
            return
        except IntegrityError:
            continue  # created concurrently: the next pass sees it


def _charge_locked(
    s: Session,
    principal: str,
    session_id: str,
    events: list[PrivacyEvent],
    operation: str,
    field: str,
    unit: str = "row",
) -> dict[str, Any]:
    row = _lock(s, DPBudget, principal, session_id)
    if row is None:
        raise NotFoundError("no budget session with this id", field=field)
    if row.privacy_unit is not None and row.privacy_unit != unit:
        raise ConflictError(
            "this budget accounts for another privacy unit; use a budget of this unit", field="privacy_unit"
        )
    budget = _budget_object(s, row)
    charge_id = uuid.uuid4().hex
    charge = budget.charge(events, operation=operation, charge_id=charge_id)  # raises: rollback
    eps, delta = budget.spent()
    s.add(
        DPBudgetCharge(
            id=charge.charge_id,
            budget_id=row.id,
            principal=principal,
            operation=operation,
            epsilon=charge.epsilon,
            delta=charge.delta,
            events=[e.to_dict() for e in charge.events],
        )
    )
    row.privacy_unit = unit
    row.epsilon_spent, row.delta_spent = eps, delta
    row.num_charges = len(budget.charges)
    row.updated_at = _now()
    return {
        "session_id": session_id,
        "charge_id": charge.charge_id,
        "epsilon_charged": charge.epsilon,
        "delta_charged": charge.delta,
        "epsilon_spent": eps,
        "delta_spent": delta,
        "epsilon_remaining": max(budget.epsilon_budget - eps, 0.0),
        "delta_remaining": max(budget.delta_budget - delta, 0.0),
        "composition": budget.composition.value,
        "guarantee": {"privacy_unit": unit, "epsilon": eps, "delta": delta,
                      "accounting": budget.composition.value},
    }


def charge(
    services: Services,
    principal: str,
    session_id: str,
    events: list[PrivacyEvent],
    operation: str = "dp_compute",
    unit: str = "row",
) -> dict[str, Any]:
    """Charge ``events`` to a budget atomically; refused charges change nothing."""
    with services.db.session() as s:
        return _charge_locked(s, principal, session_id, events, operation, "session_id", unit)


def _target_budget(services: Services, principal: str, session_id: str | None, field: str) -> str | None:
    """The budget a call is charged to: the named one, else the caller's own when that setting is on."""
    if session_id is not None:
        _check_session_id(session_id, field)
        if session_id == PRINCIPAL_SESSION and principal_budget_enabled(services):
            ensure_principal_budget(services, principal)
        return session_id
    if principal_budget_enabled(services):
        ensure_principal_budget(services, principal)
        return PRINCIPAL_SESSION
    return None


# ---- batch queries -------------------------------------------------------------------------


def compute(
    services: Services, principal: str, data: Any, *, session_id: str | None = None, **params: Any
) -> dict[str, Any]:
    """Run :func:`veil.dp.compute`; charge ``session_id`` (or the caller's own budget) or release nothing."""
    target = _target_budget(services, principal, session_id, "session_id")
    if target is not None:
        budget_status(services, principal, target)  # 404 before any work
    frame = load_data(services, data, principal=principal)
    result = dp_compute_lib(frame, **params)
    out = result.to_dict()
    out["session_id"] = target
    out["record_count"] = len(frame)
    if target is not None:
        out["budget"] = charge(services, principal, target, result.events, "dp_compute", result.privacy_unit)
    return out


def advise(
    epsilon_budget: float, num_queries: int, delta_budget: float = 0.0, delta_per_query: float = 0.0
) -> dict[str, Any]:
    return advise_composition(epsilon_budget, num_queries, delta_budget, delta_per_query)


# ---- streams -------------------------------------------------------------------------------


def _stream_out(
    session: StreamSession, *, created: bool, get_result: bool, budget: dict[str, Any] | None = None
) -> dict[str, Any]:
    eps, delta = accounting.basic(session.events())
    out: dict[str, Any] = {
        **session.summary(),
        "created": created,
        "epsilon_spent": eps,
        "delta_spent": delta,
        "guarantee": session.unit.guarantee(eps, delta),
        "noise": session.noise_std(),
        "result": session.result() if get_result else None,
    }
    if budget is not None:
        out["budget"] = budget
    return out


_FIXED = (
    "mechanism",
    "epsilon",
    "delta",
    "noise_type",
    "bounds",
    "window_size",
    "group_by",
    "column",
    "columns",
    "privacy_unit",
    "max_contributions",
    "max_partitions",
)


def stream_update(
    services: Services,
    principal: str,
    session_id: str | None = None,
    data: Any = None,
    *,
    get_result: bool = False,
    budget_session_id: str | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Create a session on its first call, then feed one batch per call (each batch is one release step)."""
    session_id = _check_session_id(session_id) if session_id is not None else uuid.uuid4().hex
    target = _target_budget(services, principal, budget_session_id, "budget_session_id")
    frame = load_data(services, data, principal=principal) if data is not None else None
    for attempt in range(_RETRIES):
        try:
            return _stream_update_once(
                services, principal, session_id, frame, get_result, budget_session_id, target, params
            )
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise ConflictError(
                    "the session was created concurrently; retry", field="session_id"
                ) from None
    raise AssertionError("unreachable")


def _stream_update_once(
    services: Services,
    principal: str,
    session_id: str,
    frame: pd.DataFrame | None,
    get_result: bool,
    budget_session_id: str | None,
    target: str | None,
    params: dict[str, Any],
) -> dict[str, Any]:
    with services.db.session() as s:
        row = _lock(s, DPStreamSession, principal, session_id)
        budget = None
        if row is None:
            session = StreamSession.create(session_id, budget_session_id=target, **params)
            if target is not None:
                budget = _charge_locked(
                    s, principal, target, session.events(), "dp_stream", "budget_session_id", session.unit.name
                )
            row = DPStreamSession(
                principal=principal, session_id=session_id, mechanism=session.mechanism.value
            )
            s.add(row)
            created = True
        else:
            session = StreamSession.from_dict(row.state)
            session.check_same(**{k: v for k, v in params.items() if k in _FIXED})
            if budget_session_id is not None and budget_session_id != session.budget_session_id:
                raise ConflictError("the session is linked to another budget", field="budget_session_id")
            created = False
        if frame is not None:
            session.update(frame)
        batch_rows = 0 if frame is None else len(frame)
        row.state = session.to_dict()
        row.batches_processed = session.batches_processed
        row.total_count = session.total_count
        row.budget_session_id = session.budget_session_id
        row.updated_at = _now()
        s.flush()
        out = _stream_out(session, created=created, get_result=get_result, budget=budget)
        out["batch_rows"] = batch_rows
        return out


def stream_delete(services: Services, principal: str, session_id: str) -> None:
    with services.db.session() as s:
        row = s.execute(
            select(DPStreamSession).where(
                DPStreamSession.principal == principal, DPStreamSession.session_id == session_id
            )
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError("no stream session with this id", field="session_id")
        s.delete(row)


def stream_list(services: Services, principal: str) -> list[dict[str, Any]]:
    with services.db.session() as s:
        rows = s.execute(
            select(DPStreamSession)
            .where(DPStreamSession.principal == principal)
            .order_by(DPStreamSession.created_at)
        ).scalars()
        out = []
        for row in rows:
            summary = StreamSession.from_dict(row.state).summary()
            summary["created_at"] = row.created_at.isoformat() if row.created_at else None
            summary["updated_at"] = row.updated_at.isoformat() if row.updated_at else None
            out.append(summary)
        return out
