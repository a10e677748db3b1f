"""Tables of the pprl service: projects, pending CSV chunks, computed CLKs, deleted ranges.

A project's linkage keys are stored only as a ``SecretBox`` token (``keys_token``). Raw
uploaded rows live in the object store, one object per pending chunk, and are deleted as soon
as the chunk is hashed; a ``pprl_chunks`` row exists only while its chunk is queued, being
hashed, or failed as a whole. ``pprl_clks`` holds one row per hashed record (its CLK, or the
per-record error message). ``pprl_deletions`` remembers ranges deleted while a chunk was being
hashed, so its results for those records are discarded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.models.base import Base, IdType, JSONType, UTCDateTime, new_id, utcnow


class PprlProject(Base):
    __tablename__ = "pprl_projects"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    project_id: Mapped[str] = mapped_column(String(128))
    mode: Mapped[str] = mapped_column(String(16))
    schema: Mapped[dict[str, Any]] = mapped_column(JSONType)
    keys_token: Mapped[str] = mapped_column(Text)
    next_index: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("principal", "project_id", name="uq_pprl_projects_principal_project"),)


class PprlChunk(Base):
    __tablename__ = "pprl_chunks"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    project: Mapped[str] = mapped_column(IdType, ForeignKey("pprl_projects.id", ondelete="CASCADE"), index=True)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    start_index: Mapped[int] = mapped_column(BigInteger)
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    object_key: Mapped[str | None] = mapped_column(String(512), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PprlClk(Base):
    __tablename__ = "pprl_clks"

    project: Mapped[str] = mapped_column(
        IdType, ForeignKey("pprl_projects.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    status: Mapped[str] = mapped_column(String(8))
    clk: Mapped[str | None] = mapped_column(Text, nullable=True)
    err_msg: Mapped[str | None] = mapped_column(Text, nullable=True)


class PprlDeletion(Base):
    __tablename__ = "pprl_deletions"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    project: Mapped[str] = mapped_column(IdType, ForeignKey("pprl_projects.id", ondelete="CASCADE"), index=True)
    start_index: Mapped[int] = mapped_column(BigInteger)
    end_index: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
