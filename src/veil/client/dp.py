"""DP methods of the anonymization clients (seed 001): ``DPMethods`` and ``AsyncDPMethods``.

Mixins over :class:`veil.client.core.SyncClient` / :class:`~veil.client.core.AsyncClient`;
``AnonymizationClient`` inherits them. ``data`` may be inline records, a dict of
columns, a pandas DataFrame, a local file (read here, on the caller's side, and sent as
records) or a cloud URI (read by the service).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from veil.client.dp_models import (
    DPBudgetStatus,
    DPComputeResult,
    DPMechanismType,
    DPNoiseType,
    DPStreamMechanismType,
    DPStreamResult,
)
from veil.client.exceptions import ValidationError

DataInputType = Any  # list[dict] | dict[str, list] | pandas.DataFrame | str | Path

_CLOUD = ("s3://", "s3a://", "gs://", "gcs://", "az://", "azure://", "abfs://", "abfss://", "memory://")


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def data_payload(data: DataInputType, field: str = "data", *, upload: bool = True) -> Any:
    """What the service receives for ``data``: records, columns or a URI. With ``upload``, a
    local file or DataFrame becomes a ``veil.client.uploads.LocalTable``, inlined or uploaded
    when the request is sent (by size; see veil.client.uploads)."""
    if data is None:
        return None
    from veil.client.uploads import is_remote_reference, local_table

    if is_remote_reference(data):
        return data
    if upload and (pending := local_table(data, field)) is not None:
        return pending
    if isinstance(data, (Path, str)):
        text = str(data)
        if text.startswith(_CLOUD):
            return text
        from veil.io import load_table

        try:
            frame = load_table(text, field=field)
        except Exception as exc:  # veil.errors.VeilError and OS errors alike
            raise ValidationError(str(exc), field=field) from None
        return json.loads(frame.to_json(orient="records", date_format="iso"))
    to_json = getattr(data, "to_json", None)
    if callable(to_json) and hasattr(data, "columns"):  # a pandas DataFrame
        return json.loads(to_json(orient="records", date_format="iso"))
    if isinstance(data, Mapping):
        return {str(k): [_json_safe(v) for v in col] for k, col in data.items()}
    if isinstance(data, Sequence):
        return [{str(k): _json_safe(v) for k, v in dict(r).items()} for r in data]
    raise ValidationError("data must be records, a dict of columns, a DataFrame, a path or a URI", field=field)


def _pair(value: Any) -> list[Any] | None:
    return None if value is None else list(value)


def _body(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _compute_body(data: DataInputType, **kw: Any) -> dict[str, Any]:
    kw["bounds"] = _pair(kw.get("bounds"))
    kw["histogram_range"] = _pair(kw.get("histogram_range"))
    return _body(data=data_payload(data), **kw)


def _stream_body(session_id: str | None, data: DataInputType, data_path: str | None, **kw: Any) -> dict[str, Any]:
    if data is not None and data_path is not None:
        raise ValidationError("give data or data_path, not both", field="data_path")
    kw["bounds"] = _pair(kw.get("bounds"))
    payload = data_payload(data if data is not None else data_path)
    body = _body(session_id=session_id, data=payload, **kw)
    body["get_result"] = bool(kw.get("get_result", False))
    return body


def _path(session_id: str) -> str:
    return quote(str(session_id), safe="")


class DPMethods:
    """Mixin: the seed's dp_* methods for the synchronous client."""

    _request: Any

    def dp_compute(
        self,
        data: DataInputType,
        *,
        mechanism: DPMechanismType | str = DPMechanismType.MEAN,
        column: str | None = None,
        columns: list[str] | None = None,
        group_by: str | None = None,
        epsilon: float = 1.0,
        delta: float = 0.0,
        noise_type: DPNoiseType | str = DPNoiseType.LAPLACE,
        bounds: tuple[Any, ...] | None = None,
        bins: int | None = None,
        histogram_range: tuple[Any, ...] | None = None,
        session_id: str | None = None,
        predicate: str | None = None,
        candidates: list[Any] | None = None,
        utility_scores: list[float] | None = None,
        sensitivity: float | None = None,
        epsilon_map: dict[str, float] | None = None,
        min_group_size: int | None = None,
        group_keys: list[Any] | None = None,
        categories: list[Any] | None = None,
        privacy_unit: str | None = None,
        max_contributions: int | None = None,
        max_partitions: int | None = None,
    ) -> DPComputeResult:
        """Compute a differentially private statistic on a data column.

        ``group_keys`` (public group keys) and ``categories`` (public histogram
        categories) are Veil extensions; without them keys are released through a DP
        threshold, which needs ``delta > 0``. ``privacy_unit`` names the column whose values
        identify a person (or other unit): each keeps at most ``max_contributions`` rows (per
        group) and, with ``group_by``, at most ``max_partitions`` groups, and the guarantee
        holds per unit.
        """
        body = _compute_body(
            data, mechanism=str(mechanism), column=column, columns=columns, group_by=group_by,
            epsilon=epsilon, delta=delta, noise_type=str(noise_type), bounds=bounds, bins=bins,
            histogram_range=histogram_range, session_id=session_id, predicate=predicate,
            candidates=candidates, utility_scores=utility_scores, sensitivity=sensitivity,
            epsilon_map=epsilon_map, min_group_size=min_group_size, group_keys=group_keys,
            categories=categories, privacy_unit=privacy_unit, max_contributions=max_contributions,
            max_partitions=max_partitions,
        )
        return DPComputeResult.from_dict(self._request("POST", "/v1/dp/compute", json=body))

    def dp_stream_update(
        self,
        session_id: str | None = None,
        data: DataInputType | None = None,
        *,
        column: str | None = None,
        columns: list[str] | None = None,
        group_by: str | None = None,
        mechanism: DPStreamMechanismType | str | None = None,
        epsilon: float | None = None,
        delta: float | None = None,
        noise_type: DPNoiseType | str | None = None,
        bounds: tuple[Any, ...] | None = None,
        get_result: bool = False,
        window_size: int | None = None,
        epsilon_map: dict[str, float] | None = None,
        min_group_size: int | None = None,
        budget_session_id: str | None = None,
        data_path: str | None = None,
        group_keys: list[Any] | None = None,
        horizon: int | None = None,
        privacy_unit: str | None = None,
        max_contributions: int | None = None,
        max_partitions: int | None = None,
    ) -> DPStreamResult:
        """Feed data into a streaming DP session (the first call fixes mechanism, epsilon and bounds)."""
        body = _stream_body(
            session_id, data, data_path, column=column, columns=columns, group_by=group_by,
            mechanism=None if mechanism is None else str(mechanism), epsilon=epsilon, delta=delta,
            noise_type=None if noise_type is None else str(noise_type), bounds=bounds, get_result=get_result,
            window_size=window_size, epsilon_map=epsilon_map, min_group_size=min_group_size,
            budget_session_id=budget_session_id, group_keys=group_keys, horizon=horizon,
            privacy_unit=privacy_unit, max_contributions=max_contributions, max_partitions=max_partitions,
        )
        return DPStreamResult.from_dict(self._request("POST", "/v1/dp/stream", json=body))

    def dp_stream_delete(self, session_id: str) -> None:
        """Delete a streaming DP session."""
        self._request("DELETE", f"/v1/dp/stream/{_path(session_id)}")

    def dp_stream_list_sessions(self) -> list[dict[str, Any]]:
        """List all active streaming DP sessions."""
        return list(self._request("GET", "/v1/dp/stream"))

    def dp_budget_create(
        self, session_id: str, epsilon_budget: float, delta_budget: float = 0.0, composition: str = "basic",
        privacy_unit: str | None = None,
    ) -> DPBudgetStatus:
        """Create a privacy budget session (``basic``, ``rdp`` or ``pld``; the last two need ``delta_budget > 0``).

        ``privacy_unit`` fixes the unit every charge must account for (default: the first charge's).
        """
        body = _body(session_id=session_id, epsilon_budget=epsilon_budget, delta_budget=delta_budget,
                     composition=composition, privacy_unit=privacy_unit)
        return DPBudgetStatus.from_dict(self._request("POST", "/v1/dp/budget", json=body))

    def dp_budget_charges(self, session_id: str) -> list[dict[str, Any]]:
        """Every charge of a budget, oldest first."""
        return list(self._request("GET", f"/v1/dp/budget/{_path(session_id)}/charges"))

    def dp_budget_charge(self, session_id: str, charge_id: str) -> dict[str, Any]:
        """One charge of a budget, by the ``charge_id`` a query's ``budget`` returned."""
        path = f"/v1/dp/budget/{_path(session_id)}/charges/{_path(charge_id)}"
        return dict(self._request("GET", path))

    def dp_budget_status(self, session_id: str) -> DPBudgetStatus:
        """Get privacy budget status for a session."""
        return DPBudgetStatus.from_dict(self._request("GET", f"/v1/dp/budget/{_path(session_id)}"))

    def dp_budget_delete(self, session_id: str) -> None:
        """Delete a privacy budget session."""
        self._request("DELETE", f"/v1/dp/budget/{_path(session_id)}")

    def dp_advise_composition(
        self, epsilon_budget: float, num_queries: int, delta_budget: float = 0.0, delta_per_query: float = 0.0
    ) -> dict[str, Any]:
        """Per-query epsilon under basic, advanced, RDP and PLD composition, a recommendation and savings_pct."""
        body = {"epsilon_budget": epsilon_budget, "num_queries": num_queries, "delta_budget": delta_budget,
                "delta_per_query": delta_per_query}
        return dict(self._request("POST", "/v1/dp/advise", json=body))


class AsyncDPMethods:
    """Mixin: the seed's dp_* methods for the asynchronous client."""

    _request: Any

    async def dp_compute(
        self,
        data: DataInputType,
        *,
        mechanism: DPMechanismType | str = DPMechanismType.MEAN,
        column: str | None = None,
        columns: list[str] | None = None,
        group_by: str | None = None,
        epsilon: float = 1.0,
        delta: float = 0.0,
        noise_type: DPNoiseType | str = DPNoiseType.LAPLACE,
        bounds: tuple[Any, ...] | None = None,
        bins: int | None = None,
        histogram_range: tuple[Any, ...] | None = None,
        session_id: str | None = None,
        predicate: str | None = None,
        candidates: list[Any] | None = None,
        utility_scores: list[float] | None = None,
        sensitivity: float | None = None,
        epsilon_map: dict[str, float] | None = None,
        min_group_size: int | None = None,
        group_keys: list[Any] | None = None,
        categories: list[Any] | None = None,
        privacy_unit: str | None = None,
        max_contributions: int | None = None,
        max_partitions: int | None = None,
    ) -> DPComputeResult:
        """Compute a differentially private statistic on a data column."""
        body = _compute_body(
            data, mechanism=str(mechanism), column=column, columns=columns, group_by=group_by,
            epsilon=epsilon, delta=delta, noise_type=str(noise_type), bounds=bounds, bins=bins,
            histogram_range=histogram_range, session_id=session_id, predicate=predicate,
            candidates=candidates, utility_scores=utility_scores, sensitivity=sensitivity,
            epsilon_map=epsilon_map, min_group_size=min_group_size, group_keys=group_keys,
            categories=categories, privacy_unit=privacy_unit, max_contributions=max_contributions,
            max_partitions=max_partitions,
        )
        return DPComputeResult.from_dict(await self._request("POST", "/v1/dp/compute", json=body))

    async def dp_stream_update(
        self,
        session_id: str | None = None,
        data: DataInputType | None = None,
        *,
        column: str | None = None,
        columns: list[str] | None = None,
        group_by: str | None = None,
        mechanism: DPStreamMechanismType | str | None = None,
        epsilon: float | None = None,
        delta: float | None = None,
        noise_type: DPNoiseType | str | None = None,
        bounds: tuple[Any, ...] | None = None,
        get_result: bool = False,
        window_size: int | None = None,
        epsilon_map: dict[str, float] | None = None,
        min_group_size: int | None = None,
        budget_session_id: str | None = None,
        data_path: str | None = None,
        group_keys: list[Any] | None = None,
        horizon: int | None = None,
        privacy_unit: str | None = None,
        max_contributions: int | None = None,
        max_partitions: int | None = None,
    ) -> DPStreamResult:
        """Feed data into a streaming DP session (the first call fixes mechanism, epsilon and bounds)."""
        body = _stream_body(
            session_id, data, data_path, column=column, columns=columns, group_by=group_by,
            mechanism=None if mechanism is None else str(mechanism), epsilon=epsilon, delta=delta,
            noise_type=None if noise_type is None else str(noise_type), bounds=bounds, get_result=get_result,
            window_size=window_size, epsilon_map=epsilon_map, min_group_size=min_group_size,
            budget_session_id=budget_session_id, group_keys=group_keys, horizon=horizon,
            privacy_unit=privacy_unit, max_contributions=max_contributions, max_partitions=max_partitions,
        )
        return DPStreamResult.from_dict(await self._request("POST", "/v1/dp/stream", json=body))

    async def dp_stream_delete(self, session_id: str) -> None:
        """Delete a streaming DP session."""
        await self._request("DELETE", f"/v1/dp/stream/{_path(session_id)}")

    async def dp_stream_list_sessions(self) -> list[dict[str, Any]]:
        """List all active streaming DP sessions."""
        return list(await self._request("GET", "/v1/dp/stream"))

    async def dp_budget_create(
        self, session_id: str, epsilon_budget: float, delta_budget: float = 0.0, composition: str = "basic",
        privacy_unit: str | None = None,
    ) -> DPBudgetStatus:
        """Create a privacy budget session (``basic``, ``rdp`` or ``pld``; the last two need ``delta_budget > 0``).

        ``privacy_unit`` fixes the unit every charge must account for (default: the first charge's).
        """
        body = _body(session_id=session_id, epsilon_budget=epsilon_budget, delta_budget=delta_budget,
                     composition=composition, privacy_unit=privacy_unit)
        return DPBudgetStatus.from_dict(await self._request("POST", "/v1/dp/budget", json=body))

    async def dp_budget_charges(self, session_id: str) -> list[dict[str, Any]]:
        """Every charge of a budget, oldest first."""
        return list(await self._request("GET", f"/v1/dp/budget/{_path(session_id)}/charges"))

    async def dp_budget_charge(self, session_id: str, charge_id: str) -> dict[str, Any]:
        """One charge of a budget, by the ``charge_id`` a query's ``budget`` returned."""
        path = f"/v1/dp/budget/{_path(session_id)}/charges/{_path(charge_id)}"
        return dict(await self._request("GET", path))

    async def dp_budget_status(self, session_id: str) -> DPBudgetStatus:
        """Get privacy budget status for a session."""
        return DPBudgetStatus.from_dict(await self._request("GET", f"/v1/dp/budget/{_path(session_id)}"))

    async def dp_budget_delete(self, session_id: str) -> None:
        """Delete a privacy budget session."""
        await self._request("DELETE", f"/v1/dp/budget/{_path(session_id)}")

    async def dp_advise_composition(
        self, epsilon_budget: float, num_queries: int, delta_budget: float = 0.0, delta_per_query: float = 0.0
    ) -> dict[str, Any]:
        """Per-query epsilon under basic, advanced, RDP and PLD composition, a recommendation and savings_pct."""
        body = {"epsilon_budget": epsilon_budget, "num_queries": num_queries, "delta_budget": delta_budget,
                "delta_per_query": delta_per_query}
        return dict(await self._request("POST", "/v1/dp/advise", json=body))
