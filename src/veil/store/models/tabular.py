"""Tables of the tabular service: stored anonymization solutions ("models") and custom
detection patterns.

A solution row holds what ``veil.tabular.Solution`` serialises (levels, hierarchies,
privacy criteria, options) and the quality metrics, under the ``job_id`` that
``AnonymizeResult.job_id`` returns; no records are stored. Pattern names are unique per
caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.models.base import Base, IdType, JSONType, UTCDateTime, new_id, utcnow


class TabularSolution(Base):
    __tablename__ = "tabular_solutions"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    privacy_model: Mapped[str] = mapped_column(String(32), index=True)
    metric: Mapped[str] = mapped_column(String(32))
    solution: Mapped[dict[str, Any]] = mapped_column(JSONType)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    levels: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    suppressed_count: Mapped[int] = mapped_column(Integer, default=0)
    information_loss: Mapped[float] = mapped_column(Float, default=0.0)
    mlops_config: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class TabularPattern(Base):
    __tablename__ = "tabular_patterns"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(200))
    classification: Mapped[str] = mapped_column(String(8))
    column_patterns: Mapped[list[str]] = mapped_column(JSONType, default=list)
    value_patterns: Mapped[list[str]] = mapped_column(JSONType, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=50)
    min_match_ratio: Mapped[float] = mapped_column(Float, default=0.8)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("principal", "name", name="uq_tabular_patterns_principal_name"),)
