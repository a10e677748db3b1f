"""The Veil SDK.

``AnonymizationClient`` / ``AsyncAnonymizationClient`` (seed 001), ``TextClient`` /
``AsyncTextClient`` (seed 002), ``PprlClient`` / ``AsyncPprlClient`` (seed 000), and
``VeilClient`` for health, jobs and audit. Names resolve lazily so that importing the
package stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from veil.client.core import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, AsyncClient, SyncClient
from veil.client.exceptions import (
    AnonymizationClientError,
    AnonymizationConnectionError,
    APIError,
    TierRestrictionError,
    ValidationError,
    VeilClientError,
)

_LAZY = {
    "AnonymizationClient": "veil.client.anonymization",
    "AsyncAnonymizationClient": "veil.client.anonymization",
    "TextClient": "veil.client.text",
    "AsyncTextClient": "veil.client.text",
    "PprlClient": "veil.client.pprl",
    "AsyncPprlClient": "veil.client.pprl",
    "VeilClient": "veil.client.jobs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        models = importlib.import_module("veil.client.models") if name[:1].isupper() else None
        if models is not None and hasattr(models, name):
            return getattr(models, name)
        raise AttributeError(f"module 'veil.client' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "APIError",
    "AnonymizationClientError",
    "AnonymizationConnectionError",
    "AsyncClient",
    "SyncClient",
    "TierRestrictionError",
    "ValidationError",
    "VeilClientError",
]
