"""Uploads (``POST /v1/uploads``): tables streamed into the object store, owned by a
principal and deleted once ``expires_at`` has passed. The row holds metadata only; the
bytes live in the object store under ``object_key``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.models.base import Base, IdType, UTCDateTime, new_id, utcnow


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    format: Mapped[str] = mapped_column(String(16))
    object_key: Mapped[str] = mapped_column(String(256))
    size_bytes: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    row_count: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    column_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
