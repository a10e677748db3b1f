"""The service's one way to read request data: inline records or columns, or a cloud URI.

The server never opens local paths named by a caller (the SDK and the CLI read local files
on the caller's side and send the records); cloud URIs are read with
``VEIL_CLOUD_STORAGE_OPTIONS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from veil.errors import InvalidInputError
from veil.io import load_table
from veil.io.tables import is_cloud_uri

if TYPE_CHECKING:
    from veil.service.container import Services


def load_data(services: Services, data: Any, field: str = "data") -> pd.DataFrame:
    """A DataFrame from ``data``; every problem is an ``InvalidInputError`` naming ``field``."""
    if data is None:
        raise InvalidInputError("data is required", field=field)
    if isinstance(data, str):
        if not is_cloud_uri(data):
            raise InvalidInputError(
                "the service reads inline records or a cloud URI (s3://, gs://, az://); "
                "local files are read by the SDK or the CLI",
                field=field,
            )
        return load_table(data, storage_options=services.settings.cloud_storage_options, field=field)
    if not isinstance(data, list | dict):
        raise InvalidInputError(
            "data must be a list of records, a dict of columns or a cloud URI", field=field
        )
    return load_table(data, field=field)
