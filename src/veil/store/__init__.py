"""Persistence: the relational database (SQLAlchemy 2 + Alembic) and object storage (fsspec)."""

from veil.store.db import Database
from veil.store.objects import ObjectStore
from veil.store.secrets import SecretBox

__all__ = ["Database", "ObjectStore", "SecretBox"]
