"""API keys, principals and tiers.

Auth is on when ``VEIL_AUTH=on``, or (``auto``, the default) as soon as any key exists:
``VEIL_API_KEYS`` or a key created with ``veil keys create``. Keys are stored as SHA-256
digests. Each key is its own principal: it sees only its own projects, jobs, budgets and
audit entries. With auth off every request is the principal ``local``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update

from veil.errors import AuthenticationError, InvalidInputError, NotFoundError, TierRestrictedError
from veil.settings import Settings
from veil.store.db import Database
from veil.store.models import ApiKey, new_id, utcnow
from veil.store.secrets import generate_api_key, hash_api_key

#: Features a tier includes. A key may also carry an explicit feature list.
TIERS: dict[str, frozenset[str]] = {
    "free": frozenset({"text", "detect", "risk", "validate", "measure", "audit", "jobs"}),
    "standard": frozenset(
        {"text", "detect", "risk", "validate", "measure", "audit", "jobs", "anonymize", "patterns", "pprl"}
    ),
    "enterprise": frozenset(
        {
            "text",
            "detect",
            "risk",
            "validate",
            "measure",
            "audit",
            "jobs",
            "anonymize",
            "patterns",
            "pprl",
            "dp",
        }
    ),
}
TIER_ORDER = ("free", "standard", "enterprise")
ALL_FEATURES = TIERS["enterprise"]


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    tier: str = "enterprise"
    features: frozenset[str] = field(default=ALL_FEATURES)
    authenticated: bool = False

    def require(self, feature: str) -> None:
        if feature not in self.features:
            required = next((t for t in TIER_ORDER if feature in TIERS[t]), None)
            raise TierRestrictedError(feature=feature, tier=self.tier, required_tier=required)


LOCAL = Principal(id="local", name="local")


def _key_to_dict(k: ApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "name": k.name,
        "prefix": k.prefix,
        "tier": k.tier,
        "features": k.features,
        "created_at": k.created_at.isoformat(),
        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
        "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
    }


class AuthService:
    CACHE_SECONDS = 1.0

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._env = {hash_api_key(k): k for k in settings.env_api_keys}
        self._enabled_cache: tuple[float, bool] | None = None

    # --- mode
    def enabled(self) -> bool:
        if self.settings.auth == "on":
            return True
        if self.settings.auth == "off":
            return False
        if self._env:
            return True
        now = time.monotonic()
        if self._enabled_cache and now - self._enabled_cache[0] < self.CACHE_SECONDS:
            return self._enabled_cache[1]
        with self.db.session() as s:
            n = s.execute(
                select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))
            ).scalar_one()
        self._enabled_cache = (now, n > 0)
        return n > 0

    # --- authentication
    def authenticate(self, key: str | None) -> Principal:
        """The principal for a presented key; raises 401 when auth is on and the key is missing or wrong."""
        if not self.enabled():
            return LOCAL
        if not key:
            raise AuthenticationError("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key'")
        digest = hash_api_key(key)
        if digest in self._env:
            return Principal(id=f"env-{digest[:12]}", name=f"env-{digest[:12]}", authenticated=True)
        with self.db.session() as s:
            row = s.execute(select(ApiKey).where(ApiKey.key_hash == digest)).scalar_one_or_none()
            if row is None or row.revoked_at is not None:
                raise AuthenticationError("invalid or revoked API key")
            s.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=utcnow()))
            features = (
                frozenset(row.features) if row.features is not None else TIERS.get(row.tier, ALL_FEATURES)
            )
            return Principal(id=row.id, name=row.name, tier=row.tier, features=features, authenticated=True)

    # --- key management (CLI)
    def create_key(
        self, name: str, tier: str = "enterprise", features: list[str] | None = None
    ) -> dict[str, Any]:
        """Create a key. The clear key is returned exactly once, here."""
        if tier not in TIERS:
            raise InvalidInputError(f"unknown tier '{tier}'; one of {', '.join(TIER_ORDER)}", field="tier")
        if features is not None:
            unknown = sorted(set(features) - ALL_FEATURES)
            if unknown:
                raise InvalidInputError(f"unknown features: {', '.join(unknown)}", field="features")
        key = generate_api_key()
        row = ApiKey(
            id=new_id(),
            name=name,
            prefix=key[:9],
            key_hash=hash_api_key(key),
            tier=tier,
            features=features,
            created_at=utcnow(),
        )
        with self.db.session() as s:
            s.add(row)
        self._enabled_cache = None
        out = _key_to_dict(row)
        out["key"] = key
        return out

    def list_keys(self) -> list[dict[str, Any]]:
        with self.db.session() as s:
            return [_key_to_dict(k) for k in s.execute(select(ApiKey).order_by(ApiKey.created_at)).scalars()]

    def revoke_key(self, key_id: str) -> dict[str, Any]:
        with self.db.session() as s:
            row = s.get(ApiKey, key_id)
            if row is None:
                row = s.execute(select(ApiKey).where(ApiKey.name == key_id)).scalars().first()
            if row is None:
                raise NotFoundError(f"API key '{key_id}' not found", field="key_id")
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            out = _key_to_dict(row)
        self._enabled_cache = None
        return out
