"""Service layer of the tabular domain: requests, jobs, stored solutions and patterns around
:mod:`veil.tabular`.

Inputs are inline records (list of dicts or dict of columns) or a cloud URI read with
``VEIL_CLOUD_STORAGE_OPTIONS``; the service never reads its own files for a caller (the SDK
and the CLI read local files and send records). Outputs are inline, or written atomically
to ``output_uri`` (a cloud URI) as CSV, Parquet or JSON. Every anonymization stores its
solution (levels, hierarchies, criteria, metrics; never records) under its ``job_id``.

Anonymization jobs run on the ``anonymize`` lane: one at a time by default
(``VEIL_ANONYMIZE_CONCURRENCY``), the rest wait FIFO.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

import veil.tabular as vt
from veil.errors import ConflictError, InvalidInputError, NotFoundError
from veil.io import load_table, write_table
from veil.io.tables import is_cloud_uri
from veil.jobs.registry import register_task
from veil.service import mlops, patterns_file
from veil.service.container import Services
from veil.service.inputs import check_data_reference, load_data, resolve_output_uri, resolve_uri
from veil.store.models import new_id
from veil.store.models.tabular import TabularPattern, TabularSolution

log = logging.getLogger("veil.service.tabular")

ANONYMIZE_KIND = "tabular.anonymize"
INLINE_RESULT_ROWS = 50_000
OUTPUT_FORMATS = ("csv", "parquet", "json")
ANONYMIZE_OPTIONS = (
    "c",
    "diversity_type",
    "distance_metric",
    "suppress_value",
    "metric",
    "gs_factor",
    "use_lattice_search",
    "max_lattice_size",
    "time_limit",
    "aggregate",
)

# with a Dask scheduler, jobs above this many rows run partitioned (counts and apply spread
# over the workers with ctx.map); in process the whole-table search gives the same result
# about three times faster, so a job partitions there only when it asks (partition_threshold)
PARTITION_THRESHOLD = 200_000
PARTITION_ROWS = 100_000

register_task(ANONYMIZE_KIND, "veil.service.tabular:anonymize_task", queue="anonymize")


# ---------------------------------------------------------------------------------- inputs


def _resolve_hierarchies(
    services: Services, attributes: Any, principal: str | None = None
) -> list[dict[str, Any]] | None:
    """Hierarchies given as a CSV URI are read here with the cloud options (never local paths)."""
    if attributes is None:
        return None
    if not isinstance(attributes, list):
        raise InvalidInputError("attributes must be a list of objects", field="attributes")
    out: list[dict[str, Any]] = []
    for i, attr in enumerate(attributes):
        if not isinstance(attr, Mapping):
            raise InvalidInputError("an attribute is an object with name and type", field=f"attributes[{i}]")
        a = dict(attr)
        h = a.get("hierarchy")
        if isinstance(h, str):
            field = f"attributes[{i}].hierarchy"
            if "\n" in h:
                a["hierarchy"] = vt.Hierarchy.from_csv(h, field=field).to_rows()
            elif is_cloud_uri(h):
                import fsspec

                loc = resolve_uri(services, principal, h, field=field)
                try:
                    with fsspec.open(loc.uri, "rt", encoding="utf-8-sig", **loc.storage_options) as fh:
                        text = fh.read()
                except (OSError, ValueError) as exc:
                    raise InvalidInputError(
                        f"cannot read the hierarchy: {type(exc).__name__}", field=field
                    ) from None
                a["hierarchy"] = vt.Hierarchy.from_csv(
                    text if "\n" in text else text + "\n", field=field
                ).to_rows()
            else:
                raise InvalidInputError(
                    "a hierarchy is rows, a builder spec or a cloud URI of a CSV; local files are read by the SDK",
                    field=field,
                )
        out.append(a)
    return out


def _check_output(output_uri: str | None, output_format: str | None) -> str:
    fmt = (output_format or "csv").lower()
    if fmt not in OUTPUT_FORMATS:
        raise InvalidInputError("output_format must be csv, parquet or json", field="output_format")
    if output_uri is not None and not is_cloud_uri(output_uri):
        raise InvalidInputError("output_uri must be a cloud URI (s3://, gs://, az://)", field="output_uri")
    return fmt


def _write_output(services: Services, frame: pd.DataFrame, output_uri: str, fmt: str) -> str:
    return write_table(frame, output_uri, fmt, storage_options=services.settings.cloud_storage_options)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    from veil.tabular.anonymize import frame_records

    return frame_records(frame)


# ---------------------------------------------------------------------------------- detect / risk
_VALUE_RECOGNIZERS: tuple[Any, ...] | None = None


def _value_recognizers() -> tuple[Any, ...]:
    """The text engine's recognizers of single identifying values, from its registry (declarative
    and code recognizers alike), or its code recognizers where there is no registry."""
    names = ("email", "url", "ipv4", "ipv6", "ssn", "credit_card", "iban", "phone", "gazetteer_names")
    try:
        from veil.text.registry import default_registry

        registry = default_registry()
        found = tuple(r for r in (registry.get(n) for n in names) if r is not None)
        if found:
            return found
    except ImportError:
        pass
    import veil.text.recognizers as recognizers

    finders = ("find_emails", "find_urls", "find_ips", "find_ssn", "find_cards", "find_ibans", "find_phones",
               "find_gazetteer_names")
    return tuple(getattr(recognizers, n) for n in finders if hasattr(recognizers, n))


def text_value_detector(values: list[str]) -> tuple[str, float] | None:
    """The text engine's recognizers on single cell values: the kind (EMAIL_ADDRESS, PHONE_NUMBER,
    SSN, CREDIT_CARD, BANK_ACCOUNT, IP_ADDRESS, URL, NAME) that covers most values, and the share."""
    global _VALUE_RECOGNIZERS
    if _VALUE_RECOGNIZERS is None:
        _VALUE_RECOGNIZERS = _value_recognizers()
    texts = [v.strip() for v in values if v.strip()]
    if not texts:
        return None
    counts: dict[str, int] = {}
    for text in texts:
        for rec in _VALUE_RECOGNIZERS:
            label = next((sp.label for sp in rec.find(text) if sp.end - sp.start >= 0.9 * len(text)), None)
            if label is not None:
                counts[label] = counts.get(label, 0) + 1
                break
    if not counts:
        return None
    label, hits = max(counts.items(), key=lambda kv: kv[1])
    return label, hits / len(texts)


def detect(services: Services, principal: str, data: Any, **options: Any) -> dict[str, Any]:
    frame = load_data(services, data, principal=principal)
    det = vt.detect_qi(
        frame,
        custom_patterns=custom_patterns(services, principal),
        value_detector=text_value_detector,
        **options,
    )
    out = _detection_dict(det)
    out["record_count"] = int(frame.shape[0])
    return out


def _detection_dict(det: vt.Detection) -> dict[str, Any]:
    d = det.to_dict()
    d["non_sensitive_attributes"] = d.pop("insensitive_attributes")
    return d


def generate_config(services: Services, principal: str, data: Any, **options: Any) -> dict[str, Any]:
    frame = load_data(services, data, principal=principal)
    cfg = vt.generate_config(
        frame,
        custom_patterns=custom_patterns(services, principal),
        value_detector=text_value_detector,
        **options,
    )
    return {
        "detection": _detection_dict(cfg.detection),
        "anonymize_request": cfg.anonymize_request,
        "record_count": int(frame.shape[0]),
    }


def risk(
    services: Services,
    principal: str,
    data: Any,
    quasi_identifiers: Sequence[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    tracking = mlops.resolve(services.settings, options.pop("mlops_config", None))
    frame = load_data(services, data, principal=principal)
    report = vt.calculate_risk(frame, quasi_identifiers, **options).to_dict()
    report["record_count"] = int(frame.shape[0])
    report["mlops"] = mlops.track_risk(services.settings, tracking, principal, report, options)
    return report


def validate(services: Services, principal: str, data: Any, **options: Any) -> dict[str, Any]:
    frame = load_data(services, data, principal=principal)
    out = vt.validate(frame, **options).to_dict()
    out["record_count"] = int(frame.shape[0])
    return out


def measure(
    services: Services,
    principal: str,
    original_data: Any,
    anonymized_data: Any,
    quasi_identifiers: Sequence[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    original = load_data(services, original_data, field="original_data", principal=principal)
    anonymized = load_data(services, anonymized_data, field="anonymized_data", principal=principal)
    out = vt.measure(original, anonymized, quasi_identifiers, **options).to_dict()
    out["record_count"] = int(original.shape[0])
    return out


# ---------------------------------------------------------------------------------- anonymize
def _anonymize_frame(
    frame: pd.DataFrame,
    attributes: list[dict[str, Any]] | None,
    *,
    privacy_model: Any,
    k: int | None,
    l: float | None,
    t: float | None,
    max_suppression: float,
    options: Mapping[str, Any],
    progress: Callable[[float], None] | None = None,
    patterns: Sequence[vt.DetectionPattern] | None = None,
    check_only: bool = False,
    prepared: vt.PreparedAnonymization | None = None,
) -> Any:
    """``vt.anonymize`` with the caller's detection patterns and the text recognizers typing
    the columns the caller did not list; ``check_only`` runs every check and no search (and
    returns what ``prepared`` takes: the checked, encoded request)."""
    unknown = set(options) - set(ANONYMIZE_OPTIONS)
    if unknown:
        raise InvalidInputError(f"unknown option(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    run = vt.prepare_anonymize if check_only else vt.anonymize
    extra: dict[str, Any] = {} if check_only else {"progress": progress, "prepared": prepared}
    return run(
        frame,
        attributes,
        privacy_model=privacy_model,
        k=k,
        l=l,
        t=t,
        max_suppression=max_suppression,
        custom_patterns=patterns,
        value_detector=text_value_detector,
        **extra,
        **dict(options),
    )


def _store_solution(
    services: Services,
    principal: str,
    res: vt.AnonymizationResult,
    mlops_config: Any,
    solution_id: str | None = None,
) -> str:
    sol = res.solution
    row = TabularSolution(
        id=solution_id or new_id(),
        principal=principal,
        privacy_model=sol.privacy_model,
        metric=sol.metric,
        solution=sol.to_dict(),
        metrics=dict(res.metrics),
        levels=dict(res.levels),
        row_count=res.row_count,
        suppressed_count=res.suppressed_count,
        information_loss=float(res.metrics.get("loss", 0.0)),
        mlops_config=mlops.stored_config(mlops_config),
    )
    with services.db.session() as s:
        s.add(row)
        s.flush()
        sid = row.id
    return sid


def request_k(privacy_model: Any, k: int | None, given: bool) -> int | None:
    """``k`` of a REST request: with k-anonymity it must be given (missing or null is a 400
    naming ``k``, never a silent k = 1); for l-diversity / t-closeness alone a missing k
    keeps the default 5 and an explicit null means no k-anonymity."""
    if given:
        return k
    try:
        models = vt.config.parse_models(privacy_model)
    except InvalidInputError:
        return None  # the privacy model itself is reported by the anonymization call
    if "k-anonymity" in models:
        raise InvalidInputError("k is required with k-anonymity (a whole number >= 1)", field="k")
    return 5


def _result_dict(res: vt.AnonymizationResult, job_id: str) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "columns": [dict(c) for c in res.columns],
        "row_count": res.row_count,
        "suppressed_count": res.suppressed_count,
        "levels": dict(res.levels),
        "metrics": dict(res.metrics),
        "information_loss": float(res.metrics.get("loss", 0.0)),
        "privacy_model": res.solution.privacy_model,
        "optimal": res.optimal,
        "statistics": dict(res.statistics),
        "search": dict(res.search),
    }


def anonymize(
    services: Services,
    principal: str,
    data: Any,
    *,
    privacy_model: Any = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    attributes: Any = None,
    max_suppression: float = 0.0,
    output_uri: str | None = None,
    output_format: str | None = "csv",
    mlops_config: Any = None,
    tracking_operation: str = "anonymize",
    **options: Any,
) -> dict[str, Any]:
    fmt = _check_output(output_uri, output_format)
    tracking = mlops.resolve(services.settings, mlops_config)
    resolve_output_uri(services, principal, output_uri)
    frame = load_data(services, data, principal=principal)
    attrs = _resolve_hierarchies(services, attributes, principal)
    res = _anonymize_frame(
        frame,
        attrs,
        privacy_model=privacy_model,
        k=k,
        l=l,
        t=t,
        max_suppression=max_suppression,
        options=options,
        patterns=custom_patterns(services, principal),
    )
    out_uri = _write_output(services, res.data, output_uri, fmt) if output_uri else None
    job_id = _store_solution(services, principal, res, mlops_config)
    out = _result_dict(res, job_id)
    out["mlops"] = mlops.track_anonymization(
        services.settings, tracking, principal, res, job_id, operation=tracking_operation,
        request={"k": k, "l": l, "t": t, "max_suppression": max_suppression, "options": options},
    )
    if out_uri:
        out["result_path"] = out_uri
        out["data"] = None
    else:
        out["data"] = _records(res.data)
        out["result_path"] = None
    return out


def submit(
    services: Services,
    principal: str,
    data: Any,
    *,
    privacy_model: Any = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    attributes: Any = None,
    max_suppression: float = 0.0,
    output_uri: str | None = None,
    output_format: str | None = "csv",
    mlops_config: Any = None,
    partition_threshold: int | None = None,
    partition_rows: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Queue an anonymization job. Inline data is put in the object store first.

    ``partition_threshold`` / ``partition_rows``: a table with more rows than the threshold
    runs partitioned in pieces of ``partition_rows`` (spread over Dask workers when configured).
    """
    _check_output(output_uri, output_format)
    mlops.resolve(services.settings, mlops_config)  # a bad mlops_config is refused before queuing
    resolve_output_uri(services, principal, output_uri)
    unknown = set(options) - set(ANONYMIZE_OPTIONS)
    if unknown:
        raise InvalidInputError(f"unknown option(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    attrs = _resolve_hierarchies(services, attributes, principal)
    job_id = new_id()
    params: dict[str, Any] = {
        "privacy_model": privacy_model,
        "k": k,
        "l": l,
        "t": t,
        "attributes": attrs,
        "max_suppression": max_suppression,
        "output_uri": output_uri,
        "output_format": output_format,
        "mlops_config": mlops_config,
        "options": options,
    }
    for name, value in (("partition_threshold", partition_threshold), ("partition_rows", partition_rows)):
        if value is not None:
            params[name] = _positive_int(value, name)
    if isinstance(data, str):
        check_data_reference(services, principal, data)
        params["data_uri"] = data
        frame = load_data(services, data, principal=principal)
        rows = int(frame.shape[0])
        _PREPARED.put(job_id, _check_job(services, principal, frame, params))
    else:
        frame = load_data(services, data, principal=principal)  # validates the records before queuing
        _PREPARED.put(job_id, _check_job(services, principal, frame, params))
        key = f"tabular/jobs/{job_id}/input.json"
        # the records exactly as received (JSON keeps mixed-type columns that Parquet refuses)
        services.store.put(key, json.dumps(data, default=str).encode("utf-8"))
        params["input_key"] = key
        rows = int(frame.shape[0])
    job = services.jobs.submit(
        ANONYMIZE_KIND,
        params,
        principal,
        queue="anonymize",
        job_id=job_id,
        message="queued for anonymization",
    )
    job["record_count"] = rows
    return job


def _check_job(
    services: Services, principal: str, frame: pd.DataFrame, params: Mapping[str, Any]
) -> vt.PreparedAnonymization:
    """The checks of the synchronous call (options, attributes, hierarchies against the data,
    privacy criteria), so that a job is refused with a 4xx before it is queued; returns the
    checked, encoded request, which the job uses when it runs in this process."""
    prepared: vt.PreparedAnonymization = _anonymize_job_frame(services, principal, frame, params, check_only=True)
    return prepared


class _PreparedJobs:
    """Jobs' requests as checked at submission (:func:`vt.prepare_anonymize`), by job id, for
    the job to skip the same checks and encoding when it runs in this process soon after: at
    most ``SIZE`` (the newest), none older than ``SECONDS``. A job that finds none (another
    process, a restart, a long queue) prepares its request itself."""

    SIZE = 2
    SECONDS = 600.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, vt.PreparedAnonymization]] = {}

    def put(self, job_id: str, prepared: vt.PreparedAnonymization) -> None:
        with self._lock:
            self._items[job_id] = (time.monotonic(), prepared)
            while len(self._items) > self.SIZE:
                del self._items[next(iter(self._items))]

    def pop(self, job_id: str) -> vt.PreparedAnonymization | None:
        with self._lock:
            item = self._items.pop(job_id, None)
        return item[1] if item is not None and time.monotonic() - item[0] <= self.SECONDS else None


_PREPARED = _PreparedJobs()


def _anonymize_job_frame(
    services: Services,
    principal: str,
    frame: pd.DataFrame,
    params: Mapping[str, Any],
    *,
    progress: Callable[[float], None] | None = None,
    check_only: bool = False,
    prepared: vt.PreparedAnonymization | None = None,
) -> Any:
    """:func:`_anonymize_frame` with a job's stored parameters (the check before queueing and
    the job itself read them the same way)."""
    return _anonymize_frame(
        frame,
        params.get("attributes"),
        privacy_model=params.get("privacy_model", "k-anonymity"),
        k=params.get("k"),
        l=params.get("l"),
        t=params.get("t"),
        max_suppression=params.get("max_suppression", 0.0),
        options=params.get("options") or {},
        progress=progress,
        patterns=custom_patterns(services, principal),
        check_only=check_only,
        prepared=prepared,
    )


def anonymize_task(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The job: load, search (with progress and cancellation), write, store the solution."""
    services: Services = ctx.services
    principal = _job_principal(services, ctx.job_id)
    ctx.progress(2, step="loading", message="reading the data", force=True)
    prepared = _PREPARED.pop(ctx.job_id)  # the request as checked at submission, if it was here
    try:
        if params.get("input_key"):
            frame = load_table(services.store.get(params["input_key"]), fmt="json")
        else:
            frame = load_data(services, params["data_uri"], principal=principal)
        ctx.check_cancelled()

        def progress(fraction: float) -> None:
            ctx.progress(5 + 85 * fraction, step="searching", message="searching the generalization lattice")
            ctx.check_cancelled()

        if _use_partitions(frame, params, distributed=bool(services.settings.dask_scheduler)):
            res = _anonymize_partitioned(ctx, frame, params, custom_patterns(services, principal))
        else:
            res = _anonymize_job_frame(services, principal, frame, params, progress=progress, prepared=prepared)
        del prepared
        ctx.check_cancelled()
        ctx.progress(92, step="writing", message="writing the result", force=True)
        fmt = _check_output(params.get("output_uri"), params.get("output_format"))
        out = _result_dict(res, ctx.job_id)
        # the MLflow run is logged while the table is written (both only read ``res``); the
        # job completes once both are done, so its result reports the run
        tracking_cfg = mlops.resolve(services.settings, params.get("mlops_config"))
        tracking = _TRACKING.submit(
            mlops.track_anonymization, services.settings, tracking_cfg,
            principal, res, ctx.job_id, operation="submit_job", request=params,
        )
        try:
            if params.get("output_uri"):
                out["result_path"] = _write_output(services, res.data, params["output_uri"], fmt)
            else:
                key = f"tabular/results/{ctx.job_id}.{'json' if fmt == 'json' else fmt}"
                from veil.jobs.results import write_result_table

                write_result_table(services.store, key, res.data, fmt, coded=getattr(res, "coded", None))
                out["result_path"] = services.store.uri(key)
                out["result_key"] = key  # GET /v1/jobs/{id}/result streams it
                if res.row_count <= INLINE_RESULT_ROWS:
                    out["data"] = _records(res.data)
            ctx.progress(96, step="recording", message="storing the solution and tracking the run", force=True)
            _store_solution(services, principal, res, params.get("mlops_config"), solution_id=ctx.job_id)
        except BaseException:
            # the job fails: its run must not stay a registered (or production) model version
            mlops.retract(services.settings, tracking_cfg, tracking.result())
            raise
        out["mlops"] = tracking.result()
        ctx.progress(100, step="done", message="completed", force=True)
        return out
    finally:
        if params.get("input_key"):
            try:
                services.store.delete(params["input_key"])
            except Exception:  # pragma: no cover - best effort clean-up
                log.warning("could not delete the job input", extra={"job_id": ctx.job_id})


#: threads that log jobs' MLflow runs while their tables are written
_TRACKING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="veil-mlflow")


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{name} must be a whole number >= 1", field=name)
    return value


def _use_partitions(frame: pd.DataFrame, params: Mapping[str, Any], *, distributed: bool = False) -> bool:
    """More rows than the threshold, and privacy models the partitioned path supports. The
    threshold is the job's ``partition_threshold``; without one, a job partitions only when it
    runs ``distributed`` (a Dask scheduler is configured): in one process pieces give the same
    result, slower."""
    if params.get("partition_threshold") is None and not distributed:
        return False
    threshold = int(params.get("partition_threshold") or PARTITION_THRESHOLD)
    options = params.get("options") or {}
    return (
        frame.shape[0] > threshold
        and set(options) <= set(ANONYMIZE_OPTIONS)
        and vt.supports_partitioning(params.get("privacy_model", "k-anonymity"), params.get("l"), params.get("t"))
    )


def count_piece(item: dict[str, Any]) -> vt.PartitionCounts:
    """Runs on a worker: the weighted QI (and sensitive value) combinations of one partition."""
    return vt.count_partition(item["data"], item["specs"], item["sensitive"])


def apply_piece(item: dict[str, Any]) -> pd.DataFrame:
    """Runs on a worker: the published rows of one partition."""
    return vt.apply_partition(item["plan"], item["data"])


def _anonymize_partitioned(
    ctx: Any, frame: pd.DataFrame, params: Mapping[str, Any], patterns: Sequence[vt.DetectionPattern] | None = None
) -> vt.AnonymizationResult:
    """By partitions: counts (ctx.map), one search on the merged counts, apply (ctx.map).
    Same result as ``vt.anonymize`` on the whole table (see veil.tabular.partitioned)."""
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    privacy_model = params.get("privacy_model", "k-anonymity")
    specs = vt.resolve_attributes(
        frame, params.get("attributes"), privacy_model=privacy_model, l=params.get("l"), t=params.get("t"),
        custom_patterns=patterns, value_detector=text_value_detector,
    )
    sensitive = vt.sensitive_columns(specs, privacy_model, params.get("l"), params.get("t"))
    size = int(params.get("partition_rows") or PARTITION_ROWS)
    parts = [frame.iloc[i : i + size] for i in range(0, frame.shape[0], size)]
    counts = ctx.map(
        "veil.service.tabular:count_piece",
        [{"data": p, "specs": specs, "sensitive": sensitive} for p in parts],
        start=5,
        end=30,
        step="counting",
    )
    ctx.check_cancelled()

    def progress(fraction: float) -> None:
        ctx.progress(30 + 40 * fraction, step="searching", message="searching the generalization lattice")
        ctx.check_cancelled()

    plan = vt.plan_from_counts(
        counts,
        specs,
        privacy_model=privacy_model,
        k=params.get("k"),
        l=params.get("l"),
        t=params.get("t"),
        max_suppression=params.get("max_suppression", 0.0),
        progress=progress,
        **dict(params.get("options") or {}),
    )
    applied = ctx.map(
        "veil.service.tabular:apply_piece",
        [{"data": p, "plan": plan} for p in parts],
        start=70,
        end=90,
        step="generalizing",
    )
    return vt.plan_result(plan, pd.concat(applied, ignore_index=True), list(frame.columns))


def _job_principal(services: Services, job_id: str) -> str:
    from veil.store.models import Job

    with services.db.session() as s:
        return str(s.execute(select(Job.principal).where(Job.id == job_id)).scalar_one())


# ---------------------------------------------------------------------------------- solutions
def _solution_row(services: Services, principal: str, job_id: str) -> dict[str, Any]:
    with services.db.session() as s:
        row = s.execute(
            select(TabularSolution).where(
                TabularSolution.id == job_id, TabularSolution.principal == principal
            )
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError("no stored solution with this job_id", field="job_id")
        return {"solution": dict(row.solution), "privacy_model": row.privacy_model}


def apply(
    services: Services,
    principal: str,
    job_id: str,
    data: Any,
    *,
    mlops_config: Any = None,
    output_uri: str | None = None,
    output_format: str | None = "csv",
) -> dict[str, Any]:
    fmt = _check_output(output_uri, output_format)
    tracking = mlops.resolve(services.settings, mlops_config)
    resolve_output_uri(services, principal, output_uri)
    stored = _solution_row(services, principal, job_id)
    frame = load_data(services, data, principal=principal)
    res = vt.apply_solution(stored["solution"], frame)
    out: dict[str, Any] = {
        "source_job_id": job_id,
        "privacy_model": stored["privacy_model"],
        "row_count": res.row_count,
        "suppressed_count": res.suppressed_count,
        "levels": res.levels,
        "metrics": res.metrics,
        "within_suppression_limit": res.within_suppression_limit,
        "statistics": res.statistics,
        "columns": [dict(c) for c in res.columns],
        "data": None,
        "result_path": None,
    }
    if output_uri:
        out["result_path"] = _write_output(services, res.data, output_uri, fmt)
    else:
        out["data"] = _records(res.data)
    out["mlops"] = mlops.track_apply(services.settings, tracking, principal, out)
    return out


def auto_anonymize(
    services: Services,
    principal: str,
    data: Any,
    *,
    privacy_model: Any = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    mode: str = "auto",
    mlops_config: Any = None,
    **options: Any,
) -> dict[str, Any]:
    frame = load_data(services, data, principal=principal)
    detect_keys = (
        "sampling_method",
        "cumulative_importance_threshold",
        "max_quasi_identifiers",
        "uniqueness_threshold",
        "known_identifiers",
        "known_sensitive",
        "ignore_columns",
    )
    cfg_opts = {key: options.pop(key) for key in list(options) if key in detect_keys}
    for key in ("diversity_type", "distance_metric"):
        if key in options:
            cfg_opts[key] = options[key]
    max_supp = options.pop("max_suppression", 0.0)
    output_uri = options.pop("output_uri", None)
    output_format = options.pop("output_format", "csv")
    cfg = vt.generate_config(
        frame,
        privacy_model=privacy_model,
        k=k,
        l=l,
        t=t,
        mode=mode,
        max_suppression=max_supp,
        custom_patterns=custom_patterns(services, principal),
        value_detector=text_value_detector,
        **cfg_opts,
    )
    req = dict(cfg.anonymize_request)
    for key in ("diversity_type", "distance_metric"):
        options.pop(key, None)
    result = anonymize(
        services,
        principal,
        frame.to_dict(orient="list"),
        privacy_model=req.pop("privacy_model"),
        k=req.pop("k"),
        l=req.pop("l", None),
        t=req.pop("t", None),
        attributes=req.pop("attributes"),
        max_suppression=req.pop("max_suppression"),
        output_uri=output_uri,
        output_format=output_format,
        mlops_config=mlops_config,
        tracking_operation="auto_anonymize",
        **{**req, **options},
    )
    return {
        "detection": _detection_dict(cfg.detection),
        "configuration": cfg.anonymize_request,
        "anonymization": result,
        "mlops": result.get("mlops"),
        "record_count": int(frame.shape[0]),
    }


# ---------------------------------------------------------------------------------- patterns
def _pattern_dict(row: TabularPattern) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "classification": row.classification,
        "column_patterns": list(row.column_patterns),
        "value_patterns": list(row.value_patterns or []),
        "priority": row.priority,
        "min_match_ratio": row.min_match_ratio,
        "description": row.description,
        "builtin": False,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def _builtin_dict(p: vt.DetectionPattern) -> dict[str, Any]:
    return {
        "id": f"builtin:{p.name}",
        "name": p.name,
        "classification": p.classification,
        "column_patterns": p.column_patterns,
        "value_patterns": p.value_patterns,
        "priority": p.priority,
        "min_match_ratio": p.min_match_ratio,
        "description": p.description,
        "builtin": True,
        "created_at": None,
        "updated_at": None,
    }


def custom_patterns(services: Services, principal: str) -> list[vt.DetectionPattern]:
    with services.db.session() as s:
        rows = s.execute(select(TabularPattern).where(TabularPattern.principal == principal)).scalars().all()
        return [
            vt.DetectionPattern(
                name=r.name,
                classification=r.classification,
                column_patterns=list(r.column_patterns),
                priority=r.priority,
                value_patterns=list(r.value_patterns or []),
                min_match_ratio=r.min_match_ratio,
                description=r.description,
            )
            for r in rows
        ]


def create_pattern(services: Services, principal: str, body: Mapping[str, Any]) -> dict[str, Any]:
    clean = vt.validate_pattern(body, field="pattern")
    if any(p.name == clean["name"] for p in vt.builtin_patterns()):
        raise ConflictError("a built-in pattern has this name", field="pattern.name")
    try:
        with services.db.session() as s:
            row = TabularPattern(principal=principal, **clean)
            s.add(row)
            s.flush()
            created = _pattern_dict(row)
            patterns_file.write_back(services, principal, s)  # in the transaction: both or neither
    except IntegrityError:
        raise ConflictError("a pattern with this name already exists", field="pattern.name") from None
    return created


def list_patterns(
    services: Services, principal: str, classification: str | None = None, include_builtin: bool = False
) -> dict[str, Any]:
    if classification is not None and classification.upper() not in ("DI", "QI", "SI", "NSI"):
        raise InvalidInputError("classification must be DI, QI, SI or NSI", field="classification")
    with services.db.session() as s:
        q = select(TabularPattern).where(TabularPattern.principal == principal)
        if classification:
            q = q.where(TabularPattern.classification == classification.upper())
        patterns = [
            _pattern_dict(r)
            for r in s.execute(q.order_by(TabularPattern.priority, TabularPattern.name)).scalars()
        ]
    if include_builtin:
        patterns += [
            _builtin_dict(p)
            for p in vt.builtin_patterns()
            if classification is None or p.classification == classification.upper()
        ]
    return {"patterns": patterns, "total": len(patterns)}


def _load_pattern(s: Any, principal: str, pattern_id: str) -> TabularPattern:
    row = s.execute(
        select(TabularPattern).where(TabularPattern.id == pattern_id, TabularPattern.principal == principal)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError("pattern not found", field="pattern_id")
    return row


def get_pattern(services: Services, principal: str, pattern_id: str) -> dict[str, Any]:
    if pattern_id.startswith("builtin:"):
        for p in vt.builtin_patterns():
            if f"builtin:{p.name}" == pattern_id:
                return _builtin_dict(p)
        raise NotFoundError("pattern not found", field="pattern_id")
    with services.db.session() as s:
        return _pattern_dict(_load_pattern(s, principal, pattern_id))


def update_pattern(
    services: Services, principal: str, pattern_id: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    if pattern_id.startswith("builtin:"):
        raise ConflictError("built-in patterns are read-only", field="pattern_id")
    changes = vt.validate_pattern(
        {k: v for k, v in body.items() if v is not None}, field="pattern", partial=True
    )
    try:
        with services.db.session() as s:
            row = _load_pattern(s, principal, pattern_id)
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = datetime.now(UTC)
            s.flush()
            updated = _pattern_dict(row)
            patterns_file.write_back(services, principal, s)
    except IntegrityError:
        raise ConflictError("a pattern with this name already exists", field="pattern.name") from None
    return updated


def delete_pattern(services: Services, principal: str, pattern_id: str) -> dict[str, Any]:
    if pattern_id.startswith("builtin:"):
        raise ConflictError("built-in patterns are read-only", field="pattern_id")
    with services.db.session() as s:
        row = _load_pattern(s, principal, pattern_id)
        s.delete(row)
        s.flush()
        patterns_file.write_back(services, principal, s)
    return {"deleted": pattern_id, "message": "pattern deleted"}


def delete_all_patterns(services: Services, principal: str) -> dict[str, Any]:
    with services.db.session() as s:
        result: Any = s.execute(delete(TabularPattern).where(TabularPattern.principal == principal))
        n = result.rowcount
        patterns_file.write_back(services, principal, s)
    return {
        "deleted_count": int(n or 0),
        "message": "custom patterns deleted; built-in patterns are unchanged",
    }


def reload_patterns(services: Services, principal: str) -> dict[str, Any]:
    """Re-read the built-in patterns and the caller's patterns file (see veil.service.patterns_file)."""
    return patterns_file.reload(services, principal)


def export_patterns(services: Services, principal: str) -> dict[str, Any]:
    return patterns_file.export(services, principal)


def import_patterns(services: Services, principal: str, content: Any) -> dict[str, Any]:
    return patterns_file.import_text(services, principal, content)
