"""The one settings object: every ``VEIL_*`` environment variable (and an optional ``.env``).

Create it once (``Settings()``) and pass it down: to ``veil.api.create_app``, to the job
executor, to the store. Nothing reads the environment anywhere else. Every field here
must be documented in ``docs/configuration.md`` (a test checks it).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOOPBACK_NAMES = {"localhost", "ip6-localhost", "ip6-loopback"}


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the usual loopback names."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VEIL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- server
    host: str = Field("127.0.0.1", description="Address the service binds to.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port of the service.")
    insecure: bool = Field(False, description="Allow binding a non-loopback host with authentication off.")
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_format: Literal["json", "console"] = Field("json", description="Structured log output format.")

    # --- storage
    data_dir: Path = Field(Path(".veil"), description="Directory for the SQLite file, objects and keys.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/veil.db. "
        "PostgreSQL: postgresql+psycopg://user@host/db.",
    )
    storage_url: str | None = Field(
        None,
        description="Object storage root: a local path or s3://bucket/prefix; default <data_dir>/objects.",
    )
    storage_options: dict[str, Any] = Field(
        default_factory=dict,
        description="fsspec storage options as JSON (e.g. endpoint_url, key, secret for s3).",
    )
    cloud_storage_options: dict[str, Any] = Field(
        default_factory=dict,
        description="fsspec options used when the server reads or writes user data URIs (s3://, gs://, az://).",
    )
    master_key: SecretStr | None = Field(
        None,
        description="Fernet key encrypting secrets at rest (linkage keys). "
        "Default: generated once into <data_dir>/master.key with 0600 permissions.",
    )

    # --- limits
    max_body_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="Largest accepted request body in bytes (413 above it)."
    )
    max_upload_bytes: int = Field(
        2 * 1024 * 1024 * 1024,
        ge=1024,
        description="Largest streamed upload (linkage CSV, data files) in bytes (413 above it).",
    )
    allowed_data_prefixes: dict[str, list[str]] = Field(
        default_factory=dict,
        description="JSON map principal id (or '*' for every principal) -> URI prefixes "
        "(s3://bucket/prefix/, file:///dir/) callers may read and write; with auth on, nothing else.",
    )
    upload_ttl_seconds: int = Field(
        86400, ge=60, description="Lifetime of a POST /v1/uploads upload before it is deleted."
    )
    upload_sweep_seconds: int = Field(
        300, ge=1, description="Interval of the sweep that deletes expired uploads and their objects."
    )

    # --- jobs
    workers: int = Field(2, ge=1, le=256, description="In-process job worker threads.")
    anonymize_concurrency: int = Field(
        1, ge=1, le=64, description="Anonymization jobs that may run at once (the rest wait, FIFO)."
    )
    dask_scheduler: str | None = Field(
        None, description="tcp://host:8786 of a Dask scheduler; switches the executor to Dask."
    )
    job_recovery: Literal["requeue", "fail"] = Field(
        "requeue", description="What start-up does with jobs a crash left running."
    )

    # --- auth
    api_keys: str | None = Field(
        None,
        description="Comma-separated API keys accepted in addition to stored ones; setting it turns auth on.",
    )
    auth: Literal["auto", "on", "off"] = Field(
        "auto", description="auto: on when any API key exists (env or stored), otherwise off."
    )

    # --- text de-identification
    marker_format: str = Field("[CLASS_NAME]", description="Default marker format of /deidentify_text.")
    allow_list: list[str] = Field(
        default_factory=list, description="Default allow list of /deidentify_text (JSON list)."
    )
    pseudonym_secret: SecretStr | None = Field(
        None, description="Secret that makes fake replacements consistent across requests."
    )
    text_recognizers_file: str | None = Field(
        None,
        description="YAML file path or fsspec URI of recognizers added to every text de-identification "
        "(veil.text.load_recognizers_yaml format); loaded at first use.",
    )

    # --- MLOps tracking and detection patterns file (see docs/tabular.md)
    mlflow_tracking: Literal["request", "always", "off"] = Field(
        "request",
        description="When anonymize / auto_anonymize / apply_anon / calculate_risk log an MLflow run: "
        "request (calls carrying an mlops_config), always, or off.",
    )
    mlflow_tracking_uri: str | None = Field(
        None,
        description="MLflow tracking server (http(s)://host:5000) or store URI; "
        "default the embedded sqlite:///<data_dir>/mlflow.db.",
    )
    mlflow_registry_uri: str | None = Field(None, description="MLflow model registry URI; default the tracking URI.")
    mlflow_artifact_root: str | None = Field(
        None, description="Artifact root of the embedded store; default <data_dir>/mlflow-artifacts."
    )
    mlflow_experiment: str = Field("veil", description="Default MLflow experiment name.")
    mlflow_allowed_tracking_uris: list[str] = Field(
        default_factory=list,
        description="URI prefixes a request's mlops_config.tracking_uri may name (JSON list); "
        "empty: any http(s) URI.",
    )
    mlflow_timeout: float = Field(10.0, gt=0, le=600, description="Seconds per MLflow HTTP request.")
    mlflow_retries: int = Field(1, ge=0, le=10, description="Retries of a failed MLflow HTTP request.")
    patterns_file: str = Field(
        "patterns/{principal}.yaml",
        description="Object-store key of each caller's custom detection patterns YAML file "
        "(must contain {principal}).",
    )

    # --- differential privacy (see docs/dp.md)
    dp_principal_epsilon: float | None = Field(
        None,
        gt=0,
        le=1000,
        description="Lifetime epsilon of each caller's own DP budget; when set, a DP query or stream "
        "without session_id / budget_session_id is charged to it (session '@principal'). Default off.",
    )
    dp_principal_delta: float = Field(
        1e-6, ge=0, le=1e-3, description="Lifetime delta of each caller's own DP budget."
    )
    dp_principal_composition: Literal["basic", "rdp", "pld"] = Field(
        "pld", description="Accounting of each caller's own DP budget: basic, rdp or pld."
    )

    @field_validator("port", mode="before")
    @classmethod
    def _port_int(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.isdigit() else value

    # --- derived values
    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'veil.db').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        if self.storage_url:
            return self.storage_url
        return str((self.data_dir / "objects").resolve())

    @property
    def env_api_keys(self) -> list[str]:
        if not self.api_keys:
            return []
        return [k.strip() for k in self.api_keys.split(",") if k.strip()]
