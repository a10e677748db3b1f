"""MLflow tracking and model registry for the tabular service (issue 16).

Every ``anonymize``, ``auto_anonymize``, ``apply_anon`` and ``calculate_risk`` call with
tracking on logs one MLflow run: parameters (privacy model, k / l / t, suppression,
generalization levels), metrics (information loss, every utility metric, risk figures) and,
for anonymizations, the solution JSON as an artifact. An anonymization also registers a
model version (a registered model whose versions point at the run's ``solution``
artifact); the best version by the promotion metric, among versions whose risk is at most
the threshold, carries the ``production`` alias. :func:`list_models` reads the registry.

Tracking is on for a call when ``VEIL_MLFLOW_TRACKING`` is ``always``, or ``request`` (the
default) and the call carries an ``mlops_config``. The store is the embedded SQLite one
under the data directory (``sqlite:///<data_dir>/mlflow.db``, artifacts in
``<data_dir>/mlflow-artifacts``) unless ``VEIL_MLFLOW_TRACKING_URI`` or the request's
``mlops_config.tracking_uri`` names a tracking server.

A tracking failure never fails the call: it comes back as ``mlops: {status: "failed",
run_id, error}`` in the response (and a warning in the log). Runs hold no record values
and no secrets: parameters are the request's settings, metrics are aggregates, tags are
Veil's own plus the caller's ``tags``; credentials in a tracking URI are masked wherever
the URI is echoed. ``mlflow`` is imported lazily (it costs seconds), only here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veil.errors import InvalidInputError, VeilError
from veil.settings import Settings

log = logging.getLogger("veil.service.mlops")

PRODUCTION_ALIAS = "production"
DEFAULT_PROMOTION_METRIC = "information_loss"
DEFAULT_RISK_THRESHOLD = 0.2
RISK_METRIC = "risk.prosecutor_highest"
SOLUTION_ARTIFACT = "solution"
CONFIG_KEYS = (
    "enabled",
    "tracking_uri",
    "experiment_name",
    "experiment",
    "registered_model_name",
    "promotion_metric",
    "promotion_higher_is_better",
    "risk_threshold",
    "tags",
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,199}$")
_METRIC = re.compile(r"^[A-Za-z0-9_.\-/ ]{1,250}$")
_USERINFO = re.compile(r"(://)[^/@\s]+@")
_PARAM_MAX = 500
_MAX_TAGS = 50


class TrackingUnavailableError(VeilError):
    """The tracking server or registry could not be read (``list_models``)."""

    status_code = 502
    code = "tracking_unavailable"


@dataclass(frozen=True)
class TrackingConfig:
    """One call's resolved tracking settings."""

    tracking_uri: str
    registry_uri: str
    artifact_location: str | None
    experiment_name: str
    registered_model_name: str | None = None
    promotion_metric: str = DEFAULT_PROMOTION_METRIC
    higher_is_better: bool = False
    risk_threshold: float = DEFAULT_RISK_THRESHOLD
    tags: dict[str, str] = field(default_factory=dict)


def mask_uri(uri: str) -> str:
    """The URI with any ``user:password@`` replaced by ``***@``."""
    return _USERINFO.sub(r"\1***@", uri)


def _clean_error(exc: BaseException) -> str:
    text = mask_uri(str(exc)).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__


# ---------------------------------------------------------------------------------- configuration
def embedded_tracking_uri(settings: Settings) -> str:
    return f"sqlite:///{(Path(settings.data_dir) / 'mlflow.db').resolve()}"


def default_tracking_uri(settings: Settings) -> str:
    return settings.mlflow_tracking_uri or embedded_tracking_uri(settings)


def _artifact_location(settings: Settings, uri: str) -> str | None:
    """Where the experiments Veil creates keep their artifacts: only chosen for a database
    store (a tracking server decides for itself)."""
    if uri.startswith(("http://", "https://", "databricks")):
        return None
    if settings.mlflow_artifact_root:
        root = settings.mlflow_artifact_root
        return root if "://" in root else Path(root).resolve().as_uri()
    return (Path(settings.data_dir) / "mlflow-artifacts").resolve().as_uri()


def _check_request_uri(settings: Settings, value: Any, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise InvalidInputError("tracking_uri must be a non-empty URI", field=field_name)
    uri = value.strip()
    if uri == default_tracking_uri(settings):
        return uri
    if not uri.startswith(("http://", "https://")):
        raise InvalidInputError(
            "a request may only name an http(s):// tracking server; the server's own store is "
            "set with VEIL_MLFLOW_TRACKING_URI",
            field=field_name,
        )
    allowed = settings.mlflow_allowed_tracking_uris
    if allowed and not any(uri.startswith(prefix) for prefix in allowed):
        raise InvalidInputError(
            "this tracking URI is not in VEIL_MLFLOW_ALLOWED_TRACKING_URIS", field=field_name
        )
    return uri.rstrip("/")


def _check_name(value: Any, field_name: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value.strip()):
        raise InvalidInputError(
            f"{what} must be 1-200 characters: letters, digits, space, '.', '_' or '-'", field=field_name
        )
    return value.strip()


def _check_tags(value: Any, field_name: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidInputError("tags must be an object of string keys and scalar values", field=field_name)
    if len(value) > _MAX_TAGS:
        raise InvalidInputError(f"at most {_MAX_TAGS} tags", field=field_name)
    out: dict[str, str] = {}
    for key, tag in value.items():
        path = f"{field_name}.{key}"
        if not isinstance(key, str) or not key or len(key) > 250 or not _METRIC.match(key):
            raise InvalidInputError("a tag name is 1-250 letters, digits or _ . - / space", field=path)
        if key.lower().startswith(("veil.", "mlflow.")):
            raise InvalidInputError("tag names starting with veil. or mlflow. are reserved", field=path)
        if isinstance(tag, bool) or not isinstance(tag, str | int | float):
            raise InvalidInputError("a tag value is a string or a number", field=path)
        text = str(tag)
        if len(text) > 5000:
            raise InvalidInputError("a tag value is at most 5000 characters", field=path)
        out[key] = text
    return out


def _at(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def resolve(settings: Settings, config: Any, *, field_name: str = "mlops_config") -> TrackingConfig | None:
    """Validate ``config`` (4xx naming ``mlops_config.<key>``) and say whether this call is
    tracked: ``None`` when it is not."""
    if config is not None and not isinstance(config, Mapping):
        raise InvalidInputError("mlops_config must be an object", field=field_name)
    cfg: Mapping[str, Any] = config or {}
    unknown = sorted(str(k) for k in cfg if k not in CONFIG_KEYS)
    if unknown:
        raise InvalidInputError(
            f"unknown key (known: {', '.join(k for k in CONFIG_KEYS if k != 'experiment')})",
            field=_at(field_name, unknown[0]),
        )
    enabled = cfg.get("enabled", True)
    if not isinstance(enabled, bool):
        raise InvalidInputError("enabled must be true or false", field=_at(field_name, "enabled"))
    uri = default_tracking_uri(settings)
    if cfg.get("tracking_uri") is not None:
        uri = _check_request_uri(settings, cfg["tracking_uri"], _at(field_name, "tracking_uri"))
    if "experiment_name" in cfg and "experiment" in cfg:
        raise InvalidInputError("give experiment_name only", field=_at(field_name, "experiment"))
    exp_key = "experiment_name" if "experiment_name" in cfg else "experiment"
    experiment = settings.mlflow_experiment
    if cfg.get(exp_key) is not None:
        experiment = _check_name(cfg[exp_key], _at(field_name, exp_key), "experiment_name")
    model_name = None
    if cfg.get("registered_model_name") is not None:
        model_name = _check_name(
            cfg["registered_model_name"], _at(field_name, "registered_model_name"), "registered_model_name"
        )
    metric = cfg.get("promotion_metric", DEFAULT_PROMOTION_METRIC)
    if not isinstance(metric, str) or not _METRIC.match(metric):
        raise InvalidInputError(
            "promotion_metric is the name of a logged metric (e.g. information_loss, discernibility)",
            field=_at(field_name, "promotion_metric"),
        )
    higher = cfg.get("promotion_higher_is_better", False)
    if not isinstance(higher, bool):
        raise InvalidInputError(
            "promotion_higher_is_better must be true or false", field=_at(field_name, "promotion_higher_is_better")
        )
    threshold = cfg.get("risk_threshold", DEFAULT_RISK_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0.0 < float(threshold) <= 1.0:
        raise InvalidInputError("risk_threshold must be in (0, 1]", field=_at(field_name, "risk_threshold"))
    tags = _check_tags(cfg["tags"], _at(field_name, "tags")) if cfg.get("tags") is not None else {}
    mode = settings.mlflow_tracking
    if mode == "off" or not enabled or (mode == "request" and config is None):
        return None
    registry = settings.mlflow_registry_uri if uri == default_tracking_uri(settings) else None
    return TrackingConfig(
        tracking_uri=uri,
        registry_uri=registry or uri,
        artifact_location=_artifact_location(settings, uri),
        experiment_name=experiment,
        registered_model_name=model_name,
        promotion_metric=metric,
        higher_is_better=higher,
        risk_threshold=float(threshold),
        tags=tags,
    )


def stored_config(config: Any) -> dict[str, Any] | None:
    """``mlops_config`` as kept with a stored solution: credentials in the URI masked."""
    if not isinstance(config, Mapping):
        return None
    out = dict(config)
    if isinstance(out.get("tracking_uri"), str):
        out["tracking_uri"] = mask_uri(out["tracking_uri"])
    return out


def off() -> dict[str, Any]:
    """The ``mlops`` entry of a call that was not tracked."""
    return {"status": "off", "run_id": None, "error": None}


# ---------------------------------------------------------------------------------- MLflow access
_LOCK = threading.Lock()
_EXPERIMENTS: dict[tuple[str, str], str] = {}


def _http_env(settings: Settings) -> None:
    """Bound MLflow's HTTP retries so an unreachable server fails a call in seconds, not
    minutes (only where the operator did not set MLflow's own variables)."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(math.ceil(settings.mlflow_timeout)))
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", str(settings.mlflow_retries))
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0")
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")  # a service's stdout is its log
    # MLflow 3 reports usage to its maintainers unless told not to; a self-hosted privacy
    # service sends nothing anywhere it was not configured to
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _client(settings: Settings, tracking_uri: str, registry_uri: str) -> Any:
    _http_env(settings)
    from mlflow import MlflowClient

    if tracking_uri.startswith("sqlite:///"):
        Path(tracking_uri[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    return MlflowClient(tracking_uri=tracking_uri, registry_uri=registry_uri)


def _experiment_id(client: Any, cfg: TrackingConfig) -> str:
    key = (cfg.tracking_uri, cfg.experiment_name)
    with _LOCK:
        if key in _EXPERIMENTS:
            return _EXPERIMENTS[key]
    exp = client.get_experiment_by_name(cfg.experiment_name)
    if exp is None:
        try:
            exp_id = str(
                client.create_experiment(
                    cfg.experiment_name, artifact_location=cfg.artifact_location, tags={"veil.created_by": "veil"}
                )
            )
        except Exception:  # created meanwhile by another call
            exp = client.get_experiment_by_name(cfg.experiment_name)
            if exp is None:
                raise
            exp_id = str(exp.experiment_id)
    else:
        if exp.lifecycle_stage != "active":
            raise RuntimeError(f"experiment '{cfg.experiment_name}' is deleted")
        exp_id = str(exp.experiment_id)
    with _LOCK:
        _EXPERIMENTS[key] = exp_id
    return exp_id


def _params(values: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, Mapping):
            value = json.dumps(value, sort_keys=True, default=str)
        text = str(value)
        out[str(key)[:250]] = text if len(text) <= _PARAM_MAX else text[: _PARAM_MAX - 3] + "..."
    return out


def _metrics(values: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        number = float(value)
        if math.isfinite(number) and _METRIC.match(str(key)):
            out[str(key)] = number
    return out


def _log_run(
    client: Any,
    cfg: TrackingConfig,
    principal: str,
    operation: str,
    params: Mapping[str, Any],
    metrics: Mapping[str, Any],
    tags: Mapping[str, str],
    solution: Mapping[str, Any] | None,
) -> Any:
    from mlflow.entities import Metric, Param, RunTag

    exp_id = _experiment_id(client, cfg)
    run_tags = {
        **cfg.tags,
        "veil.operation": operation,
        "veil.principal": principal,
        **dict(tags),
    }
    run = client.create_run(exp_id, tags=run_tags, run_name=f"veil-{operation}")
    run_id = run.info.run_id
    try:
        now = int(time.time() * 1000)
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, now, 0) for k, v in _metrics(metrics).items()],
            params=[Param(k, v) for k, v in _params(params).items()],
            tags=[RunTag("veil.version", _veil_version())],
        )
        if solution is not None:
            client.log_dict(run_id, dict(solution), f"{SOLUTION_ARTIFACT}/solution.json")
        client.set_terminated(run_id, "FINISHED")
    except Exception:
        with contextlib.suppress(Exception):  # the original error is the one reported
            client.set_terminated(run_id, "FAILED")
        raise
    return run


def _veil_version() -> str:
    try:
        from importlib.metadata import version

        return version("veil")
    except Exception:
        return "unknown"


def _model_name(cfg: TrackingConfig, principal: str, privacy_model: str) -> str:
    if cfg.registered_model_name:
        return cfg.registered_model_name
    return f"veil-{principal}-{privacy_model}"[:200]


def _register(client: Any, cfg: TrackingConfig, principal: str, run: Any, privacy_model: str, job_id: str) -> dict[str, Any]:
    """A model version for the run's solution; then the production alias on the best one."""
    from mlflow.exceptions import MlflowException

    name = _model_name(cfg, principal, privacy_model)
    try:
        model = client.get_registered_model(name)
    except MlflowException as exc:
        if getattr(exc, "error_code", "") != "RESOURCE_DOES_NOT_EXIST":
            raise
        try:
            client.create_registered_model(
                name,
                tags={"veil.principal": principal, "veil.privacy_model": privacy_model},
                description="Anonymization solutions logged by Veil (apply with apply_anon(job_id)).",
            )
        except MlflowException as exc2:  # created meanwhile
            if getattr(exc2, "error_code", "") != "RESOURCE_ALREADY_EXISTS":
                raise
        model = client.get_registered_model(name)
    owner = (model.tags or {}).get("veil.principal")
    if owner != principal:
        raise PermissionError(f"registered model '{name}' belongs to another caller")
    version = client.create_model_version(
        name,
        source=f"{run.info.artifact_uri}/{SOLUTION_ARTIFACT}",
        run_id=run.info.run_id,
        tags={"veil.principal": principal, "veil.job_id": job_id, "veil.privacy_model": privacy_model},
        description=f"solution of job {job_id}",
    )
    production = _promote(client, cfg, name)
    return {"registered_model_name": name, "model_version": str(version.version), "production_version": production}


def _promote(client: Any, cfg: TrackingConfig, name: str) -> str | None:
    """Move the production alias to the best eligible version (risk at most the threshold,
    best promotion metric, newest on ties); leave it where it is when none is eligible."""
    best: tuple[float, int] | None = None
    best_version: str | None = None
    for mv in _all_versions(client, name):
        try:
            metrics = client.get_run(mv.run_id).data.metrics
        except Exception:  # a version whose run was deleted cannot be compared
            continue
        risk = metrics.get(RISK_METRIC)
        value = metrics.get(cfg.promotion_metric)
        if risk is None or value is None or risk > cfg.risk_threshold + 1e-12:
            continue
        score = (-value if cfg.higher_is_better else value, -int(mv.version))
        if best is None or score < best:
            best, best_version = score, str(mv.version)
    if best_version is not None:
        client.set_registered_model_alias(name, PRODUCTION_ALIAS, best_version)
        return best_version
    try:
        current = client.get_model_version_by_alias(name, PRODUCTION_ALIAS)
        return str(current.version)
    except Exception:
        return None


def _all_versions(client: Any, name: str) -> list[Any]:
    out: list[Any] = []
    token = None
    safe = name.replace("'", "\\'")
    while True:
        page = client.search_model_versions(f"name = '{safe}'", max_results=1000, page_token=token)
        out.extend(page)
        token = getattr(page, "token", None)
        if not token:
            return out


def _track(
    settings: Settings,
    cfg: TrackingConfig | None,
    principal: str,
    operation: str,
    params: Mapping[str, Any],
    metrics: Mapping[str, Any],
    tags: Mapping[str, str],
    solution: Mapping[str, Any] | None = None,
    register: tuple[str, str] | None = None,
) -> dict[str, Any]:
    if cfg is None:
        return off()
    run_id: str | None = None
    out: dict[str, Any] = {
        "status": "failed",
        "run_id": None,
        "error": None,
        "tracking_uri": mask_uri(cfg.tracking_uri),
        "experiment_name": cfg.experiment_name,
    }
    try:
        client = _client(settings, cfg.tracking_uri, cfg.registry_uri)
        run = _log_run(client, cfg, principal, operation, params, metrics, tags, solution)
        run_id = run.info.run_id
        out.update(run_id=run_id, experiment_id=str(run.info.experiment_id))
        if register is not None:
            out.update(_register(client, cfg, principal, run, register[0], register[1]))
        out["status"] = "logged"
    except Exception as exc:  # tracking never fails the call; the caller sees why
        out.update(run_id=run_id, error=_clean_error(exc))
        log.warning(
            "mlflow tracking failed",
            extra={"operation": operation, "error": out["error"], "tracking_uri": out["tracking_uri"]},
        )
    return out


def retract(settings: Settings, cfg: TrackingConfig | None, tracked: Mapping[str, Any]) -> None:
    """Undo what a logged run promised when the job it belongs to fails afterwards (its table
    could not be written): the run is marked FAILED, its model version deleted and the
    production alias moved back to the best version left. Best effort: a tracking store that
    is down leaves the run as it was (and says so in the log), never a second failure."""
    if cfg is None or tracked.get("status") != "logged" or not tracked.get("run_id"):
        return
    try:
        client = _client(settings, cfg.tracking_uri, cfg.registry_uri)
        client.set_terminated(str(tracked["run_id"]), status="FAILED")
        name, version = tracked.get("registered_model_name"), tracked.get("model_version")
        if name and version:
            client.delete_model_version(str(name), str(version))
            _promote(client, cfg, str(name))
    except Exception as exc:
        log.warning("could not retract the mlflow run of a failed job",
                    extra={"run_id": tracked.get("run_id"), "error": _clean_error(exc)})


# ---------------------------------------------------------------------------------- hooks
def _privacy_model_name(privacy_model: Any) -> str:
    if isinstance(privacy_model, list | tuple):
        return "+".join(str(_value(p)) for p in privacy_model)
    return str(_value(privacy_model))


def _value(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def _risk_figures(statistics: Mapping[str, Any], row_count: int, suppressed: int) -> dict[str, float]:
    """Prosecutor risk of a published table from its class statistics: the highest is one over
    the smallest class, the average is classes over published records."""
    out: dict[str, float] = {}
    smallest = statistics.get("min_class_size")
    classes = statistics.get("equivalence_classes")
    published = row_count - suppressed
    if isinstance(smallest, int | float) and smallest > 0:
        out[RISK_METRIC] = 1.0 / float(smallest)
    if isinstance(classes, int | float) and published > 0:
        out["risk.prosecutor_average"] = float(classes) / published
    for key in ("equivalence_classes", "min_class_size", "max_class_size", "avg_class_size"):
        if isinstance(statistics.get(key), int | float):
            out[key] = float(statistics[key])
    return out


def _scalar_options(options: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in options.items() if isinstance(_value(v), str | int | float | bool)}


def track_anonymization(
    settings: Settings,
    cfg: TrackingConfig | None,
    principal: str,
    res: Any,
    job_id: str,
    *,
    operation: str = "anonymize",
    request: Mapping[str, Any] | None = None,
    extra_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Log an anonymization (``veil.tabular.AnonymizationResult``) and register its solution."""
    if cfg is None:
        return off()
    req = dict(request or {})
    privacy_model = _privacy_model_name(res.solution.privacy_model)
    params: dict[str, Any] = {
        "privacy_model": privacy_model,
        "k": req.get("k"),
        "l": req.get("l"),
        "t": req.get("t"),
        "max_suppression": req.get("max_suppression"),
        "metric": res.solution.metric,
        "quasi_identifiers": list(res.levels),
        **{f"level.{col}": lvl for col, lvl in res.levels.items()},
        **_scalar_options(req.get("options") or {}),
        **dict(extra_params or {}),
    }
    rows = int(res.row_count)
    metrics: dict[str, Any] = {
        "information_loss": float(res.metrics.get("loss", 0.0)),
        **dict(res.metrics),
        "row_count": rows,
        "suppressed_count": int(res.suppressed_count),
        "suppression_rate": (res.suppressed_count / rows) if rows else 0.0,
        **_risk_figures(res.statistics, rows, int(res.suppressed_count)),
    }
    return _track(
        settings,
        cfg,
        principal,
        operation,
        params,
        metrics,
        {"veil.job_id": job_id, "veil.privacy_model": privacy_model},
        solution=res.solution.to_dict(),
        register=(privacy_model, job_id),
    )


def track_apply(
    settings: Settings, cfg: TrackingConfig | None, principal: str, out: Mapping[str, Any]
) -> dict[str, Any]:
    """Log ``apply_anon``: the stored solution re-applied to new data (no new version)."""
    if cfg is None:
        return off()
    rows = int(out.get("row_count") or 0)
    suppressed = int(out.get("suppressed_count") or 0)
    levels = dict(out.get("levels") or {})
    params = {
        "privacy_model": out.get("privacy_model"),
        "source_job_id": out.get("source_job_id"),
        "quasi_identifiers": list(levels),
        **{f"level.{col}": lvl for col, lvl in levels.items()},
    }
    metrics = {
        "information_loss": float((out.get("metrics") or {}).get("loss", 0.0)),
        **dict(out.get("metrics") or {}),
        "row_count": rows,
        "suppressed_count": suppressed,
        "suppression_rate": suppressed / rows if rows else 0.0,
        "within_suppression_limit": 1.0 if out.get("within_suppression_limit") else 0.0,
        **_risk_figures(out.get("statistics") or {}, rows, suppressed),
    }
    tags = {"veil.source_job_id": str(out.get("source_job_id")), "veil.privacy_model": str(out.get("privacy_model"))}
    return _track(settings, cfg, principal, "apply_anon", params, metrics, tags)


def track_risk(
    settings: Settings,
    cfg: TrackingConfig | None,
    principal: str,
    report: Mapping[str, Any],
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """Log ``calculate_risk``: the risk figures of a table (no version)."""
    if cfg is None:
        return off()
    params = {
        "quasi_identifiers": report.get("quasi_identifiers"),
        **_scalar_options({k: v for k, v in options.items() if k != "mlops_config"}),
    }
    metrics: dict[str, Any] = {
        "records": report.get("records"),
        "suppressed_records": report.get("suppressed_records"),
        "sample_uniqueness": report.get("sample_uniqueness"),
        "k_anonymity": report.get("k_anonymity"),
        "marketer": report.get("marketer"),
    }
    for attacker in ("prosecutor", "journalist"):
        for key, value in (report.get(attacker) or {}).items():
            metrics[f"risk.{attacker}_{key.removesuffix('_risk')}"] = value
    for key, value in (report.get("equivalence_classes") or {}).items():
        metrics[f"classes.{key}"] = value
    tags = {"veil.highest_risk_level": str(report.get("highest_risk_level"))}
    return _track(settings, cfg, principal, "calculate_risk", params, metrics, tags)


# ---------------------------------------------------------------------------------- registry
def list_models(
    settings: Settings,
    principal: str,
    *,
    model_type: str | None = None,
    all_metrics: bool = False,
    tracking_uri: str | None = None,
    promotion_metric: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """The caller's registered models that have a ``production`` version, with that version's
    promotion metric (or every metric)."""
    config: dict[str, Any] = {}
    if tracking_uri is not None:
        config["tracking_uri"] = tracking_uri
    if promotion_metric is not None:
        config["promotion_metric"] = promotion_metric
    cfg = resolve(settings.model_copy(update={"mlflow_tracking": "always"}), config, field_name="")
    assert cfg is not None
    uri = cfg.tracking_uri
    if uri.startswith("sqlite:///") and not Path(uri[len("sqlite:///") :]).exists():
        return {"models": [], "count": 0, "total": 0, "tracking_uri": mask_uri(uri)}
    try:
        client = _client(settings, uri, cfg.registry_uri)
        entries = _production_models(client, principal, model_type, all_metrics, cfg.promotion_metric)
    except VeilError:
        raise
    except Exception as exc:
        raise TrackingUnavailableError(
            f"the model registry could not be read ({_clean_error(exc)})", field="tracking_uri"
        ) from None
    page = entries[offset : offset + limit]
    return {"models": page, "count": len(page), "total": len(entries), "tracking_uri": mask_uri(uri)}


def _production_models(
    client: Any, principal: str, model_type: str | None, all_metrics: bool, promotion_metric: str
) -> list[dict[str, Any]]:
    from mlflow.exceptions import MlflowException

    safe = principal.replace("'", "\\'")
    models: list[Any] = []
    token = None
    while True:
        page = client.search_registered_models(
            filter_string=f"tags.`veil.principal` = '{safe}'", max_results=1000, page_token=token
        )
        models.extend(page)
        token = getattr(page, "token", None)
        if not token:
            break
    out: list[dict[str, Any]] = []
    for model in sorted(models, key=lambda m: m.name):
        kind = (model.tags or {}).get("veil.privacy_model")
        if model_type and kind != model_type:
            continue
        try:
            mv = client.get_model_version_by_alias(model.name, PRODUCTION_ALIAS)
        except MlflowException:
            continue
        run = client.get_run(mv.run_id)
        metrics = dict(run.data.metrics)
        entry: dict[str, Any] = {
            "name": model.name,
            "version": str(mv.version),
            "alias": PRODUCTION_ALIAS,
            "privacy_model": kind,
            "job_id": (mv.tags or {}).get("veil.job_id") or run.data.tags.get("veil.job_id"),
            "run_id": mv.run_id,
            "experiment_id": str(run.info.experiment_id),
            "source": mv.source,
            "created_at": _iso(mv.creation_timestamp),
            "params": dict(run.data.params),
            "promotion_metric": promotion_metric,
            "promotion_value": metrics.get(promotion_metric),
            "metrics": metrics if all_metrics else {promotion_metric: metrics.get(promotion_metric)},
        }
        out.append(entry)
    return out


def _iso(ms: Any) -> str | None:
    from datetime import UTC, datetime

    if not isinstance(ms, int | float):
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()
