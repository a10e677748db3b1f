"""Tables of the dp service: privacy budgets, their charges, and streaming sessions.

A budget row carries its privacy unit and the running (composed) spend so that a charge can be checked and
recorded under one row lock; ``dp_budget_charges`` keeps every charge with the privacy
events it was composed from. Stream sessions store the JSON state of
``veil.dp.stream.StreamSession`` (exact partial sums of open tree blocks included, so the
row is as sensitive as the data).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.models.base import Base, IdType, JSONType, UTCDateTime, new_id, utcnow


class DPBudget(Base):
    __tablename__ = "dp_budgets"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    session_id: Mapped[str] = mapped_column(String(200))
    epsilon_budget: Mapped[float] = mapped_column(Float)
    delta_budget: Mapped[float] = mapped_column(Float, default=0.0)
    composition: Mapped[str] = mapped_column(String(16), default="basic")
    # The privacy unit every charge of this budget must share (set by the first charge when
    # not given at creation): composing charges of different units would state no guarantee.
    privacy_unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    epsilon_spent: Mapped[float] = mapped_column(Float, default=0.0)
    delta_spent: Mapped[float] = mapped_column(Float, default=0.0)
    num_charges: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("principal", "session_id", name="uq_dp_budgets_principal_session"),)


class DPBudgetCharge(Base):
    __tablename__ = "dp_budget_charges"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    budget_id: Mapped[str] = mapped_column(IdType, ForeignKey("dp_budgets.id", ondelete="CASCADE"), index=True)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    operation: Mapped[str] = mapped_column(String(64))
    epsilon: Mapped[float] = mapped_column(Float)
    delta: Mapped[float] = mapped_column(Float, default=0.0)
    events: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class DPStreamSession(Base):
    __tablename__ = "dp_stream_sessions"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    session_id: Mapped[str] = mapped_column(String(200))
    mechanism: Mapped[str] = mapped_column(String(32))
    budget_session_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    batches_processed: Mapped[int] = mapped_column(Integer, default=0)
    total_count: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("principal", "session_id", name="uq_dp_stream_sessions_principal_session"),
    )
