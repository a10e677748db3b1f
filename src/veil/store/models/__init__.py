"""All tables. Importing this package registers every table on ``Base.metadata``."""

from veil.store.models import core, dp, pprl, tabular, text, uploads
from veil.store.models.base import Base, IdType, JSONType, UTCDateTime, new_id, utcnow
from veil.store.models.core import ApiKey, AuditEntry, Job, JobEvent

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "IdType",
    "JSONType",
    "Job",
    "JobEvent",
    "UTCDateTime",
    "core",
    "dp",
    "new_id",
    "pprl",
    "tabular",
    "text",
    "uploads",
    "utcnow",
]
