"""Anonymization SDK clients (seed 001): ``AnonymizationClient`` and ``AsyncAnonymizationClient``.

Same methods, names, parameter order and defaults as the seed. ``data`` may be inline
records, a dict of columns, a pandas DataFrame, a local path or ``file://`` URI (read here
and sent as records) or a cloud URI (``s3://``, ``gs://``, ``az://``; read by the server).
Hierarchies given as local CSV paths in ``attributes`` are read here too. The dp_* methods
come from :mod:`veil.client.dp`.

Every request is built once (``_Ops``) and sent by the sync or the async transport, so the
two clients cannot drift apart.
"""

from __future__ import annotations

import asyncio
import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from veil.client.core import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, AsyncClient, SyncClient
from veil.client.dp import AsyncDPMethods, DPMethods, data_payload
from veil.client.exceptions import APIError, ValidationError
from veil.client.jobs import AsyncJobsMixin, JobsMixin
from veil.client.models import (
    AnonymizeResult,
    ApplyResult,
    AuditEntry,
    AutoAnonymizeResult,
    AutoConfigResult,
    DetectionMode,
    DetectionResult,
    JobHistoryEntry,
    JobListResult,
    JobResponse,
    JobStatus,
    JobStatusResponse,
    MetricsResult,
    Pattern,
    PatternListResult,
    PrivacyModel,
    RiskResult,
    SamplingMethod,
    ValidationResult,
)
from veil.client.uploads import AsyncUploadsMixin, UploadsMixin

DataInputType = Any  # list[dict] | dict[str, list] | pandas.DataFrame | str | Path
_CLOUD = ("s3://", "s3a://", "gs://", "gcs://", "az://", "azure://", "abfs://", "abfss://", "memory://")
_ANON = "/v1/tabular"

Request = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]


def _val(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def _hierarchy_rows(path: str) -> list[list[str]]:
    text = Path(path.removeprefix("file://")).read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
    if not lines:
        raise ValidationError("the hierarchy file is empty", field="attributes")
    sep = max([";", ",", "\t", "|"], key=lines[0].count)
    return [list(r) for r in csv.reader(lines, delimiter=sep)]


def _attributes(attributes: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Local hierarchy CSV paths are read on the caller's side and sent as rows."""
    if attributes is None:
        return None
    out = []
    for i, attr in enumerate(attributes):
        a = {k: _val(v) for k, v in dict(attr).items()}
        h = a.get("hierarchy")
        if isinstance(h, Path) or (isinstance(h, str) and "\n" not in h and not h.startswith(_CLOUD)):
            try:
                a["hierarchy"] = _hierarchy_rows(str(h))
            except OSError:
                raise ValidationError("cannot read the hierarchy file", field=f"attributes[{i}].hierarchy") from None
        out.append(a)
    return out


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: _val(v) for k, v in d.items() if v is not None}


class _Ops:
    """Request builders shared by both clients."""

    def __init__(self, mlops_config: dict[str, Any] | None) -> None:
        self.mlops_config = mlops_config

    def mlops(self, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return value if value is not None else self.mlops_config

    def detect(self, data: Any, **kw: Any) -> Request:
        return "POST", f"{_ANON}/detect", {"data": data_payload(data), **_drop_none(kw)}, None

    def config(self, data: Any, **kw: Any) -> Request:
        return "POST", f"{_ANON}/config", {"data": data_payload(data), **_drop_none(kw)}, None

    def risk(self, data: Any, quasi_identifiers: list[str] | None, mlops: Any, **kw: Any) -> Request:
        body = {"data": data_payload(data), "quasi_identifiers": quasi_identifiers, **_drop_none(kw),
                "mlops_config": self.mlops(mlops)}
        return "POST", f"{_ANON}/risk", _drop_none(body), None

    def anonymize_body(self, data: Any, attributes: Any, mlops: Any, kw: dict[str, Any]) -> dict[str, Any]:
        body = {"data": data_payload(data), "attributes": _attributes(attributes), **kw,
                "mlops_config": self.mlops(mlops)}
        out = _drop_none(body)
        if "k" not in out:
            out["k"] = None
        return out

    def anonymize(self, data: Any, attributes: Any, mlops: Any, kw: dict[str, Any]) -> Request:
        return "POST", f"{_ANON}/anonymize", self.anonymize_body(data, attributes, mlops, kw), None

    def submit(self, data: Any, attributes: Any, kw: dict[str, Any]) -> Request:
        # the caller's mlops_config (a keyword of submit_job) wins over the client's default
        rest = {key: value for key, value in kw.items() if key != "mlops_config"}
        return "POST", f"{_ANON}/jobs", self.anonymize_body(data, attributes, kw.get("mlops_config"), rest), None

    def apply(self, job_id: str, data: Any, mlops: Any, kw: dict[str, Any]) -> Request:
        body = _drop_none({"data": data_payload(data), "mlops_config": self.mlops(mlops), **kw})
        return "POST", f"{_ANON}/models/{quote(str(job_id), safe='')}/apply", body, None

    def models(self, model_type: str | None, all_metrics: bool) -> Request:
        """The registry the client's default mlops_config names (tracking_uri, promotion_metric)."""
        cfg = self.mlops_config or {}
        params = {"model_type": _val(model_type), "all_metrics": all_metrics,
                  "tracking_uri": cfg.get("tracking_uri"), "promotion_metric": cfg.get("promotion_metric")}
        return "GET", f"{_ANON}/models", None, _drop_none(params)

    @staticmethod
    def patterns_import(source: str | Path) -> Request:
        """``source``: a local YAML file (a Path, or a str ending in .yaml / .yml) or the YAML text."""
        if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                        and source.lower().endswith((".yaml", ".yml"))):
            text = Path(source).read_text(encoding="utf-8-sig")
        elif isinstance(source, str):
            text = source
        else:
            raise ValidationError("source must be a YAML file path or YAML text", field="content")
        return "POST", f"{_ANON}/patterns/import", {"content": text}, None

    def auto(self, data: Any, mlops: Any, kw: dict[str, Any], options: dict[str, Any]) -> Request:
        body = {"data": data_payload(data), **_drop_none(kw), "mlops_config": self.mlops(mlops),
                "options": _drop_none(options)}
        return "POST", f"{_ANON}/auto-anonymize", _drop_none(body), None

    def validate(self, data: Any, kw: dict[str, Any]) -> Request:
        return "POST", f"{_ANON}/validate", {"data": data_payload(data), **_drop_none(kw)}, None

    def measure(self, original: Any, anonymized: Any, qis: list[str] | None) -> Request:
        body = {"original_data": data_payload(original, "original_data"),
                "anonymized_data": data_payload(anonymized, "anonymized_data"), "quasi_identifiers": qis}
        return "POST", f"{_ANON}/measure", _drop_none(body), None


def _long_poll(client: Any, poll_interval: float, deadline: float) -> float | None:
    """Seconds the server may hold a status request (``?wait=``: it answers as soon as the
    job ends): one poll interval, within the deadline, the server's 30 s cap and half the
    client's request timeout."""
    wait = min(float(poll_interval), deadline - time.monotonic(), 30.0, float(client.timeout) / 2)
    return round(wait, 3) if wait >= 0.001 else None


def _rest(poll_interval: float, asked: float, deadline: float) -> float:
    """What is left of a poll interval that began at ``asked`` (nothing after a held request;
    a server that does not hold requests is still polled once per interval)."""
    return max(0.0, min(poll_interval - (time.monotonic() - asked), deadline - time.monotonic()))


def _wait_check(status: JobStatusResponse) -> JobStatusResponse | None:
    if status.status == JobStatus.FAILED:
        # the HTTP exchange succeeded; status_code 0 and code "job_failed" mark a failed job
        raise APIError(f"job {status.job_id} failed: {status.error}", status_code=0, body=status, code="job_failed")
    return status if status.is_terminal else None


class AnonymizationClient(SyncClient, JobsMixin, DPMethods, UploadsMixin):
    """Synchronous client for the anonymization API.

    Arguments:
        base_url: Base URL of the API (default: ``http://localhost:8000`` or ``VEIL_URL``).
        timeout: Request timeout in seconds (default: 30).
        headers: Additional headers to include in requests.
        mlops_config: Default MLOps tracking configuration for ``anonymize``,
            ``auto_anonymize``, ``apply_anon`` and ``calculate_risk``.
        api_key, http_client, transport: keyword-only extras (API key; an injected HTTP
            client or transport, e.g. Starlette's ``TestClient`` for in-process use).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        headers: dict[str, str] | None = None,
        mlops_config: dict[str, Any] | None = None,
        *,
        api_key: str | None = None,
        http_client: Any = None,
        transport: Any = None,
    ) -> None:
        super().__init__(base_url, timeout, headers, api_key=api_key, http_client=http_client, transport=transport)
        self.mlops_config = mlops_config
        self._ops = _Ops(mlops_config)

    def _send(self, req: Request, timeout: float | None = None) -> Any:
        method, path, body, params = req
        return self._request(method, path, json=body, params=params, timeout=timeout)

    # ---- health
    def is_healthy(self) -> bool:
        """True if the API is reachable and healthy."""
        try:
            return bool(self.get_health().get("status") == "ok")
        except Exception:
            return False

    def get_health(self) -> dict[str, Any]:
        """Detailed health information: status, version and component states."""
        out: dict[str, Any] = self._health()
        return out

    # ---- detection / configuration / risk
    def detect_qi(
        self,
        data: DataInputType,
        *,
        mode: DetectionMode | str = DetectionMode.AUTO,
        sampling_method: SamplingMethod | str = SamplingMethod.FAST,
        cumulative_importance_threshold: float = 0.8,
        max_quasi_identifiers: int = 10,
        uniqueness_threshold: float = 0.95,
        known_identifiers: list[str] | None = None,
        known_sensitive: list[str] | None = None,
        ignore_columns: list[str] | None = None,
    ) -> DetectionResult:
        """Detect quasi-identifiers in a dataset."""
        return DetectionResult.from_dict(self._send(self._ops.detect(
            data, mode=mode, sampling_method=sampling_method,
            cumulative_importance_threshold=cumulative_importance_threshold,
            max_quasi_identifiers=max_quasi_identifiers, uniqueness_threshold=uniqueness_threshold,
            known_identifiers=known_identifiers, known_sensitive=known_sensitive, ignore_columns=ignore_columns)))

    def generate_config(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        mode: DetectionMode | str = DetectionMode.AUTO,
        **kwargs: Any,
    ) -> AutoConfigResult:
        """Generate an anonymization configuration (kwargs: max_suppression, diversity_type,
        distance_metric, sampling_method)."""
        return AutoConfigResult.from_dict(self._send(self._ops.config(
            data, privacy_model=privacy_model, k=k, l=l, t=t, mode=mode, **kwargs)))

    def calculate_risk(
        self,
        data: DataInputType,
        quasi_identifiers: list[str] | None = None,
        *,
        risk_threshold: float = 0.2,
        suppress_value: str = "*",
        include_prosecutor: bool = True,
        include_journalist: bool = True,
        include_marketer: bool = True,
        mlops_config: dict[str, Any] | None = None,
    ) -> RiskResult:
        """Calculate re-identification risk metrics."""
        return RiskResult.from_dict(self._send(self._ops.risk(
            data, quasi_identifiers, mlops_config, risk_threshold=risk_threshold, suppress_value=suppress_value,
            include_prosecutor=include_prosecutor, include_journalist=include_journalist,
            include_marketer=include_marketer)))

    # ---- anonymization
    def anonymize(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        attributes: list[dict[str, Any]] | None = None,
        max_suppression: float = 0.0,
        output_uri: str | None = None,
        output_format: str = "csv",
        mlops_config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AnonymizeResult:
        """Anonymize data synchronously (kwargs: diversity_type, distance_metric, c, metric,
        use_lattice_search, suppress_value, gs_factor, max_lattice_size, time_limit)."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "max_suppression": max_suppression,
              "output_uri": output_uri, "output_format": output_format, **kwargs}
        return AnonymizeResult.from_dict(self._send(self._ops.anonymize(data, attributes, mlops_config, kw)))

    def submit_job(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        attributes: list[dict[str, Any]] | None = None,
        max_suppression: float = 0.0,
        **kwargs: Any,
    ) -> JobResponse:
        """Submit an anonymization job; returns at once."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "max_suppression": max_suppression, **kwargs}
        return JobResponse.from_dict(self._send(self._ops.submit(data, attributes, kw)))

    def get_job_status(self, job_id: str) -> JobStatusResponse:
        """Status of a job: progress 0-100, message, step, timestamps, result_path, error."""
        return JobStatusResponse.from_dict(self._get_job(job_id))

    def cancel_job(self, job_id: str) -> None:
        """Cancel a pending or running job (finished jobs are refused with APIError 409)."""
        self._cancel_job(job_id)

    def apply_anon(
        self, job_id: str, data: DataInputType, *, mlops_config: dict[str, Any] | None = None
    ) -> ApplyResult:
        """Apply a saved anonymization solution to new data (no new search)."""
        return ApplyResult.from_dict(self._send(self._ops.apply(job_id, data, mlops_config, {})))

    def list_models(self, *, model_type: str | None = None, all_metrics: bool = False) -> dict[str, Any]:
        """Tracked anonymization models in production (MLflow registry): ``{"models": [...], "count": n}``,
        each with its promotion metric (or every metric with ``all_metrics``) and the ``job_id``
        to pass to ``apply_anon``."""
        out: dict[str, Any] = self._send(self._ops.models(model_type, all_metrics))
        return out

    def list_jobs(self, *, status: JobStatus | str | None = None, limit: int = 100, offset: int = 0) -> JobListResult:
        """Jobs, newest first, optionally filtered by status."""
        return JobListResult.from_dict(self._list_jobs(_val(status), limit, offset))

    def get_job_history(self, job_id: str) -> list[JobHistoryEntry]:
        """Every state transition of a job, in order."""
        body = self._job_history(job_id)
        return [JobHistoryEntry.from_dict(e) for e in body.get("history", [])]

    def wait_for_job(
        self, job_id: str, *, poll_interval: float = 2.0, timeout: float = 600.0, callback: Any | None = None
    ) -> JobStatusResponse:
        """Poll until the job ends; the result is in ``status.context["result"]``.

        Raises APIError if the job failed and TimeoutError if it is not done in ``timeout``.
        """
        deadline = time.monotonic() + timeout
        while True:
            asked = time.monotonic()
            status = JobStatusResponse.from_dict(self._get_job(job_id, _long_poll(self, poll_interval, deadline)))
            if callback is not None:
                callback(status)
            done = _wait_check(status)
            if done is not None:
                return done
            if time.monotonic() >= deadline:
                raise TimeoutError(f"job {job_id} did not finish within {timeout} s")
            time.sleep(_rest(poll_interval, asked, deadline))

    def auto_anonymize(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        mode: DetectionMode | str = DetectionMode.AUTO,
        mlops_config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AutoAnonymizeResult:
        """Detect quasi-identifiers and anonymize in one step (kwargs: max_suppression,
        sampling_method, use_lattice_search, metric, ...)."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "mode": mode}
        return AutoAnonymizeResult.from_dict(self._send(self._ops.auto(data, mlops_config, kw, kwargs)))

    def validate(
        self,
        data: DataInputType,
        quasi_identifiers: list[str] | None = None,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        sensitive_attributes: list[str] | None = None,
    ) -> ValidationResult:
        """Check k / l / t and list the violating classes."""
        kw = {"quasi_identifiers": quasi_identifiers, "privacy_model": privacy_model, "k": k, "l": l, "t": t,
              "sensitive_attributes": sensitive_attributes}
        return ValidationResult.from_dict(self._send(self._ops.validate(data, kw)))

    def measure(
        self, original_data: DataInputType, anonymized_data: DataInputType, quasi_identifiers: list[str] | None = None
    ) -> MetricsResult:
        """Information loss and quality metrics of an anonymized table against its original."""
        return MetricsResult.from_dict(self._send(self._ops.measure(original_data, anonymized_data, quasi_identifiers)))

    # ---- patterns
    def create_pattern(
        self,
        name: str,
        classification: str,
        column_patterns: list[str],
        *,
        priority: int = 50,
        value_patterns: list[str] | None = None,
        min_match_ratio: float = 0.8,
        description: str | None = None,
    ) -> Pattern:
        """Create a custom detection pattern (custom patterns take precedence over built-in ones)."""
        body = _drop_none({"name": name, "classification": classification, "column_patterns": column_patterns,
                           "priority": priority, "value_patterns": value_patterns,
                           "min_match_ratio": min_match_ratio, "description": description})
        return Pattern.from_dict(self._request("POST", f"{_ANON}/patterns", json=body))

    def list_patterns(self, classification: str | None = None) -> PatternListResult:
        """List the custom detection patterns."""
        return PatternListResult.from_dict(
            self._request("GET", f"{_ANON}/patterns", params={"classification": classification}))

    def get_pattern(self, pattern_id: str) -> Pattern:
        """Get a pattern by id."""
        return Pattern.from_dict(self._request("GET", f"{_ANON}/patterns/{quote(pattern_id, safe='')}"))

    def update_pattern(
        self,
        pattern_id: str,
        *,
        name: str | None = None,
        classification: str | None = None,
        column_patterns: list[str] | None = None,
        priority: int | None = None,
        value_patterns: list[str] | None = None,
        min_match_ratio: float | None = None,
        description: str | None = None,
    ) -> Pattern:
        """Update only the given fields of a pattern."""
        body = _drop_none({"name": name, "classification": classification, "column_patterns": column_patterns,
                           "priority": priority, "value_patterns": value_patterns,
                           "min_match_ratio": min_match_ratio, "description": description})
        return Pattern.from_dict(self._request("PATCH", f"{_ANON}/patterns/{quote(pattern_id, safe='')}", json=body))

    def delete_pattern(self, pattern_id: str) -> dict[str, Any]:
        """Delete a pattern by id."""
        out: dict[str, Any] = self._request("DELETE", f"{_ANON}/patterns/{quote(pattern_id, safe='')}")
        return out

    def delete_all_patterns(self) -> dict[str, Any]:
        """Delete every custom pattern (built-in patterns are not affected)."""
        out: dict[str, Any] = self._request("DELETE", f"{_ANON}/patterns")
        return out

    def reload_patterns(self) -> dict[str, Any]:
        """Reload patterns from the storage file (the caller's patterns YAML; sync after manual
        edits): added / updated / removed counts. A bad file is a 400 naming the entry."""
        out: dict[str, Any] = self._request("POST", f"{_ANON}/patterns/reload")
        return out

    def export_patterns(self, path: str | Path | None = None) -> dict[str, Any]:
        """Write the custom patterns to the server's patterns file; with ``path`` also save the
        YAML locally. Returns ``path`` (server side), ``count`` and ``content``."""
        out: dict[str, Any] = self._request("POST", f"{_ANON}/patterns/export")
        if path is not None:
            Path(path).write_text(out["content"], encoding="utf-8")
        return out

    def import_patterns(self, source: str | Path) -> dict[str, Any]:
        """Replace the custom patterns (and the server's file) with a YAML file or text, all or
        nothing: added / updated / removed counts."""
        out: dict[str, Any] = self._send(self._ops.patterns_import(source))
        return out

    # ---- audit
    def audit_list(
        self, *, operation: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[AuditEntry]:
        """Audit log entries (operation, status, duration, counts; never values)."""
        body = self._audit_list(operation, status, limit, offset)
        return [AuditEntry.from_dict(e) for e in body.get("entries", [])]

    def audit_get(self, entry_id: str) -> AuditEntry:
        """One audit entry."""
        return AuditEntry.from_dict(self._audit_get(entry_id))


class AsyncAnonymizationClient(AsyncClient, AsyncJobsMixin, AsyncDPMethods, AsyncUploadsMixin):
    """Asynchronous client: the same interface as :class:`AnonymizationClient` with ``await``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        headers: dict[str, str] | None = None,
        mlops_config: dict[str, Any] | None = None,
        *,
        api_key: str | None = None,
        http_client: Any = None,
        transport: Any = None,
    ) -> None:
        super().__init__(base_url, timeout, headers, api_key=api_key, http_client=http_client, transport=transport)
        self.mlops_config = mlops_config
        self._ops = _Ops(mlops_config)

    async def _send(self, req: Request, timeout: float | None = None) -> Any:
        method, path, body, params = req
        return await self._request(method, path, json=body, params=params, timeout=timeout)

    async def is_healthy(self) -> bool:
        """True if the API is reachable and healthy."""
        try:
            return bool((await self.get_health()).get("status") == "ok")
        except Exception:
            return False

    async def get_health(self) -> dict[str, Any]:
        """Detailed health information."""
        out: dict[str, Any] = await self._health()
        return out

    async def detect_qi(
        self,
        data: DataInputType,
        *,
        mode: DetectionMode | str = DetectionMode.AUTO,
        sampling_method: SamplingMethod | str = SamplingMethod.FAST,
        cumulative_importance_threshold: float = 0.8,
        max_quasi_identifiers: int = 10,
        uniqueness_threshold: float = 0.95,
        known_identifiers: list[str] | None = None,
        known_sensitive: list[str] | None = None,
        ignore_columns: list[str] | None = None,
    ) -> DetectionResult:
        """Detect quasi-identifiers (async version)."""
        return DetectionResult.from_dict(await self._send(self._ops.detect(
            data, mode=mode, sampling_method=sampling_method,
            cumulative_importance_threshold=cumulative_importance_threshold,
            max_quasi_identifiers=max_quasi_identifiers, uniqueness_threshold=uniqueness_threshold,
            known_identifiers=known_identifiers, known_sensitive=known_sensitive, ignore_columns=ignore_columns)))

    async def generate_config(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        mode: DetectionMode | str = DetectionMode.AUTO,
        **kwargs: Any,
    ) -> AutoConfigResult:
        """Generate an anonymization configuration (async version)."""
        return AutoConfigResult.from_dict(await self._send(self._ops.config(
            data, privacy_model=privacy_model, k=k, l=l, t=t, mode=mode, **kwargs)))

    async def calculate_risk(
        self,
        data: DataInputType,
        quasi_identifiers: list[str] | None = None,
        *,
        risk_threshold: float = 0.2,
        suppress_value: str = "*",
        include_prosecutor: bool = True,
        include_journalist: bool = True,
        include_marketer: bool = True,
        mlops_config: dict[str, Any] | None = None,
    ) -> RiskResult:
        """Calculate re-identification risk metrics (async version)."""
        return RiskResult.from_dict(await self._send(self._ops.risk(
            data, quasi_identifiers, mlops_config, risk_threshold=risk_threshold, suppress_value=suppress_value,
            include_prosecutor=include_prosecutor, include_journalist=include_journalist,
            include_marketer=include_marketer)))

    async def anonymize(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        attributes: list[dict[str, Any]] | None = None,
        max_suppression: float = 0.0,
        output_uri: str | None = None,
        output_format: str = "csv",
        mlops_config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AnonymizeResult:
        """Anonymize data (async version)."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "max_suppression": max_suppression,
              "output_uri": output_uri, "output_format": output_format, **kwargs}
        return AnonymizeResult.from_dict(await self._send(self._ops.anonymize(data, attributes, mlops_config, kw)))

    async def submit_job(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        attributes: list[dict[str, Any]] | None = None,
        max_suppression: float = 0.0,
        **kwargs: Any,
    ) -> JobResponse:
        """Submit an anonymization job (async version)."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "max_suppression": max_suppression, **kwargs}
        return JobResponse.from_dict(await self._send(self._ops.submit(data, attributes, kw)))

    async def get_job_status(self, job_id: str) -> JobStatusResponse:
        """Job status (async version)."""
        return JobStatusResponse.from_dict(await self._get_job(job_id))

    async def cancel_job(self, job_id: str) -> None:
        """Cancel a job (async version)."""
        await self._cancel_job(job_id)

    async def apply_anon(
        self, job_id: str, data: DataInputType, *, mlops_config: dict[str, Any] | None = None
    ) -> ApplyResult:
        """Apply a saved anonymization solution (async version)."""
        return ApplyResult.from_dict(await self._send(self._ops.apply(job_id, data, mlops_config, {})))

    async def list_models(self, *, model_type: str | None = None, all_metrics: bool = False) -> dict[str, Any]:
        """Stored solutions (async version)."""
        out: dict[str, Any] = await self._send(self._ops.models(model_type, all_metrics))
        return out

    async def list_jobs(
        self, *, status: JobStatus | str | None = None, limit: int = 100, offset: int = 0
    ) -> JobListResult:
        """Jobs, newest first (async version)."""
        return JobListResult.from_dict(await self._list_jobs(_val(status), limit, offset))

    async def get_job_history(self, job_id: str) -> list[JobHistoryEntry]:
        """Job history (async version)."""
        body = await self._job_history(job_id)
        return [JobHistoryEntry.from_dict(e) for e in body.get("history", [])]

    async def wait_for_job(
        self, job_id: str, *, poll_interval: float = 2.0, timeout: float = 600.0, callback: Any | None = None
    ) -> JobStatusResponse:
        """Async version of wait_for_job() (``callback`` may be a plain function or a coroutine function)."""
        deadline = time.monotonic() + timeout
        while True:
            asked = time.monotonic()
            status = JobStatusResponse.from_dict(await self._get_job(job_id, _long_poll(self, poll_interval, deadline)))
            if callback is not None:
                maybe = callback(status)
                if asyncio.iscoroutine(maybe):
                    await maybe
            done = _wait_check(status)
            if done is not None:
                return done
            if time.monotonic() >= deadline:
                raise TimeoutError(f"job {job_id} did not finish within {timeout} s")
            await asyncio.sleep(_rest(poll_interval, asked, deadline))

    async def auto_anonymize(
        self,
        data: DataInputType,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        mode: DetectionMode | str = DetectionMode.AUTO,
        mlops_config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AutoAnonymizeResult:
        """Auto-detect and anonymize (async version)."""
        kw = {"privacy_model": privacy_model, "k": k, "l": l, "t": t, "mode": mode}
        return AutoAnonymizeResult.from_dict(await self._send(self._ops.auto(data, mlops_config, kw, kwargs)))

    async def validate(
        self,
        data: DataInputType,
        quasi_identifiers: list[str] | None = None,
        *,
        privacy_model: PrivacyModel | str = PrivacyModel.K_ANONYMITY,
        k: int = 5,
        l: int | None = None,
        t: float | None = None,
        sensitive_attributes: list[str] | None = None,
    ) -> ValidationResult:
        """Validate privacy requirements (async version)."""
        kw = {"quasi_identifiers": quasi_identifiers, "privacy_model": privacy_model, "k": k, "l": l, "t": t,
              "sensitive_attributes": sensitive_attributes}
        return ValidationResult.from_dict(await self._send(self._ops.validate(data, kw)))

    async def measure(
        self, original_data: DataInputType, anonymized_data: DataInputType, quasi_identifiers: list[str] | None = None
    ) -> MetricsResult:
        """Measure anonymization quality metrics (async version)."""
        return MetricsResult.from_dict(
            await self._send(self._ops.measure(original_data, anonymized_data, quasi_identifiers)))

    async def create_pattern(
        self,
        name: str,
        classification: str,
        column_patterns: list[str],
        *,
        priority: int = 50,
        value_patterns: list[str] | None = None,
        min_match_ratio: float = 0.8,
        description: str | None = None,
    ) -> Pattern:
        """Create a custom detection pattern (async version)."""
        body = _drop_none({"name": name, "classification": classification, "column_patterns": column_patterns,
                           "priority": priority, "value_patterns": value_patterns,
                           "min_match_ratio": min_match_ratio, "description": description})
        return Pattern.from_dict(await self._request("POST", f"{_ANON}/patterns", json=body))

    async def list_patterns(self, classification: str | None = None) -> PatternListResult:
        """List all custom detection patterns (async version)."""
        return PatternListResult.from_dict(
            await self._request("GET", f"{_ANON}/patterns", params={"classification": classification}))

    async def get_pattern(self, pattern_id: str) -> Pattern:
        """Get a specific pattern by ID (async version)."""
        return Pattern.from_dict(await self._request("GET", f"{_ANON}/patterns/{quote(pattern_id, safe='')}"))

    async def update_pattern(
        self,
        pattern_id: str,
        *,
        name: str | None = None,
        classification: str | None = None,
        column_patterns: list[str] | None = None,
        priority: int | None = None,
        value_patterns: list[str] | None = None,
        min_match_ratio: float | None = None,
        description: str | None = None,
    ) -> Pattern:
        """Update an existing pattern (async version)."""
        body = _drop_none({"name": name, "classification": classification, "column_patterns": column_patterns,
                           "priority": priority, "value_patterns": value_patterns,
                           "min_match_ratio": min_match_ratio, "description": description})
        return Pattern.from_dict(
            await self._request("PATCH", f"{_ANON}/patterns/{quote(pattern_id, safe='')}", json=body))

    async def delete_pattern(self, pattern_id: str) -> dict[str, Any]:
        """Delete a pattern by ID (async version)."""
        out: dict[str, Any] = await self._request("DELETE", f"{_ANON}/patterns/{quote(pattern_id, safe='')}")
        return out

    async def delete_all_patterns(self) -> dict[str, Any]:
        """Delete all custom patterns (async version)."""
        out: dict[str, Any] = await self._request("DELETE", f"{_ANON}/patterns")
        return out

    async def reload_patterns(self) -> dict[str, Any]:
        """Reload patterns from the storage file (async version)."""
        out: dict[str, Any] = await self._request("POST", f"{_ANON}/patterns/reload")
        return out

    async def export_patterns(self, path: str | Path | None = None) -> dict[str, Any]:
        """Write the custom patterns to the server's patterns file (async version)."""
        out: dict[str, Any] = await self._request("POST", f"{_ANON}/patterns/export")
        if path is not None:
            Path(path).write_text(out["content"], encoding="utf-8")
        return out

    async def import_patterns(self, source: str | Path) -> dict[str, Any]:
        """Replace the custom patterns with a YAML file or text (async version)."""
        out: dict[str, Any] = await self._send(self._ops.patterns_import(source))
        return out

    async def audit_list(
        self, *, operation: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[AuditEntry]:
        """List audit log entries (async version)."""
        body = await self._audit_list(operation, status, limit, offset)
        return [AuditEntry.from_dict(e) for e in body.get("entries", [])]

    async def audit_get(self, entry_id: str) -> AuditEntry:
        """Get a single audit entry (async version)."""
        return AuditEntry.from_dict(await self._audit_get(entry_id))


Callback = Callable[[JobStatusResponse], Any]

__all__ = ["AnonymizationClient", "AsyncAnonymizationClient", "DataInputType"]
