"""SDK for text de-identification (seed 002): ``TextClient`` (sync) and ``AsyncTextClient``.

    from veil.client import TextClient
    with TextClient("http://localhost:8000", api_key="...") as tc:
        res = tc.deidentify("Hi John, my name is Grace.")
        res["result"]   # 'Hi [NAME_1], my name is [NAME_2].'

``deidentify`` returns the seed's response: one dict for a string, a list of dicts for a
list of strings. The key goes in the body's ``key`` field (the seed's contract) and, when
the client has one, in the ``X-API-Key`` header too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from veil.client.core import AsyncClient, SyncClient


def _body(
    text: str | Sequence[str],
    key: str | None,
    default_key: str | None,
    options: dict[str, Any],
) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text if isinstance(text, str) else list(text), "key": key or default_key or ""}
    body.update({k: v for k, v in options.items() if v is not None})
    return body


class TextClient(SyncClient):
    """Synchronous client of ``/deidentify_text``, ``/get_usage``, ``/healthz`` and ``/v1/entity_types``."""

    def _default_key(self) -> str | None:
        return self._headers.get("X-API-Key")

    def deidentify(
        self,
        text: str | Sequence[str],
        *,
        key: str | None = None,
        accuracy_mode: str | None = None,
        link_batch: bool | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> Any:
        """De-identify a text (-> dict) or a list of texts (-> list of dicts)."""
        options = {
            "accuracy_mode": accuracy_mode,
            "link_batch": link_batch,
            "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
            "unique_pii_markers": unique_pii_markers,
            "marker_format": marker_format,
            "allow_list": list(allow_list) if allow_list is not None else None,
            "block_list": block_list,
            "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
            "preserve_relationships": preserve_relationships,
        }
        body = _body(text, key, self._default_key(), options)
        return self._request("POST", "/deidentify_text", json=body, timeout=timeout)

    def get_usage(self, key: str | None = None) -> int:
        """API credits used this month by the key."""
        out = self._request("POST", "/get_usage", json={"key": key or self._default_key() or ""})
        return int(out["calls_made"])

    def healthz(self) -> dict[str, bool]:
        result: dict[str, bool] = self._request("GET", "/healthz")
        return result

    def entity_types(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/v1/entity_types")["entity_types"]
        return result


class AsyncTextClient(AsyncClient):
    """Asynchronous twin of :class:`TextClient`."""

    def _default_key(self) -> str | None:
        return self._headers.get("X-API-Key")

    async def deidentify(
        self,
        text: str | Sequence[str],
        *,
        key: str | None = None,
        accuracy_mode: str | None = None,
        link_batch: bool | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> Any:
        """De-identify a text (-> dict) or a list of texts (-> list of dicts)."""
        options = {
            "accuracy_mode": accuracy_mode,
            "link_batch": link_batch,
            "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
            "unique_pii_markers": unique_pii_markers,
            "marker_format": marker_format,
            "allow_list": list(allow_list) if allow_list is not None else None,
            "block_list": block_list,
            "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
            "preserve_relationships": preserve_relationships,
        }
        body = _body(text, key, self._default_key(), options)
        return await self._request("POST", "/deidentify_text", json=body, timeout=timeout)

    async def get_usage(self, key: str | None = None) -> int:
        out = await self._request("POST", "/get_usage", json={"key": key or self._default_key() or ""})
        return int(out["calls_made"])

    async def healthz(self) -> dict[str, bool]:
        result: dict[str, bool] = await self._request("GET", "/healthz")
        return result

    async def entity_types(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = (await self._request("GET", "/v1/entity_types"))["entity_types"]
        return result
