"""Tables of the text service: usage metering of ``/deidentify_text`` and user-defined recognizers.

``text_usage``: one row per (meter, month). ``meter`` is the authenticated principal id, or,
with auth off, a digest of the ``key`` the caller sent (so ``/get_usage`` still answers per
key). ``calls`` counts API credits (100 whitespace-separated words per text, rounded up).

``text_recognizers``: the recognizers a principal defined with ``POST /v1/text/recognizers``
(name unique per principal). A recognizer is immutable once stored (delete and create again
to change it), so a built recognizer can be cached by its id. ``spec`` holds the patterns
(regex and score), context words, languages and validator as JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.models.base import Base, IdType, JSONType, UTCDateTime, new_id, utcnow


class TextUsage(Base):
    __tablename__ = "text_usage"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "YYYY-MM" (UTC)
    calls: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("principal", "month", name="uq_text_usage_principal_month"),)


class TextRecognizer(Base):
    __tablename__ = "text_recognizers"

    id: Mapped[str] = mapped_column(IdType, primary_key=True, default=new_id)
    principal: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("principal", "name", name="uq_text_recognizers_principal_name"),)
