"""SDK exceptions (the names of seed 001). Every one inherits from :class:`AnonymizationClientError`."""

from __future__ import annotations

from typing import Any


class AnonymizationClientError(Exception):
    """Base exception for all SDK errors."""


#: A neutral alias for code that is not about anonymization (text, linkage).
VeilClientError = AnonymizationClientError


class APIError(AnonymizationClientError):
    """The API returned an error response (4xx or 5xx)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.code = code
        self.field = field

    def __str__(self) -> str:
        where = f" (field: {self.field})" if self.field else ""
        return f"[{self.status_code} {self.code}] {self.message}{where}"


class ValidationError(AnonymizationClientError):
    """Request validation failed (422 from the server, or a client-side check)."""

    def __init__(
        self, message: str, *, field: str | None = None, status_code: int | None = None, body: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status_code = status_code
        self.body = body

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidRequestError(ValidationError, APIError):  # type: ignore[misc]  # status_code: int | None vs int
    """The server refused the request's values: a 422, or a 400 that names the field.

    Both the seed's :class:`ValidationError` and an :class:`APIError` (``status_code``,
    ``code``, ``field``), so ``except ValidationError`` and ``except APIError`` both catch it.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        AnonymizationClientError.__init__(self, message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return APIError.__str__(self)


class AnonymizationConnectionError(AnonymizationClientError):
    """Failed to connect to the API (network error or timeout)."""

    @classmethod
    def unreachable(cls, base_url: str, exc: BaseException) -> AnonymizationConnectionError:
        """The error for a transport failure: it names the server and the failure's type only."""
        return cls(f"cannot reach {base_url}: {type(exc).__name__}")


class TierRestrictionError(AnonymizationClientError):
    """The feature is not available in the caller's tier (403 from the server)."""

    def __init__(
        self,
        message: str,
        *,
        tier: str | None = None,
        feature: str | None = None,
        required_tier: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.tier = tier
        self.feature = feature
        self.required_tier = required_tier
        self.body = body
        self.status_code = 403
