"""The one data loader: inline records, local paths, ``file://`` and cloud URIs; CSV, Parquet, JSON.

Used by the libraries, the service, the SDK and the CLI alike. It depends only on
pandas, pyarrow and fsspec.
"""

from veil.io.tables import (
    DataInput,
    detect_format,
    is_uri,
    load_table,
    table_to_bytes,
    write_table,
)

__all__ = ["DataInput", "detect_format", "is_uri", "load_table", "table_to_bytes", "write_table"]
