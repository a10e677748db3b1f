"""The one error model of Veil.

Every layer raises these. The domain libraries (``veil.text``, ``veil.tabular``,
``veil.dp``, ``veil.pprl``) raise them for bad input; the API turns each into a
JSON body ``{"error": {"code", "message", "field"}}`` with the class's HTTP
status; the SDK and the CLI show the same code, message and field.

This module must stay dependency-free: the domain libraries import it.
"""

from __future__ import annotations

from typing import Any


class VeilError(Exception):
    """Base of every error Veil reports to a caller.

    ``field`` names the offending input (a dotted path such as
    ``attributes[2].hierarchy`` or ``features[0].format.pattern``) when there is one.
    ``details`` carries extra structured data that is safe to return (never raw
    personal data, never secrets).
    """

    status_code: int = 400
    code: str = "invalid_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.details:
            body["details"] = self.details
        return body

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInputError(VeilError):
    """The input is well-formed but its values are not acceptable (HTTP 400)."""

    status_code = 400
    code = "invalid_input"


class UnprocessableError(VeilError):
    """Wrong types or shapes in a request (HTTP 422)."""

    status_code = 422
    code = "validation_error"


class AuthenticationError(VeilError):
    status_code = 401
    code = "unauthorized"


class ForbiddenError(VeilError):
    status_code = 403
    code = "forbidden"


class TierRestrictedError(ForbiddenError):
    """The caller's tier does not include a feature (HTTP 403 with tier fields)."""

    code = "tier_restricted"

    def __init__(self, feature: str, tier: str, required_tier: str | None = None) -> None:
        super().__init__(
            f"feature '{feature}' is not available in tier '{tier}'",
            field=None,
            details={"feature": feature, "tier": tier, "required_tier": required_tier},
        )


class NotFoundError(VeilError):
    status_code = 404
    code = "not_found"


class ConflictError(VeilError):
    status_code = 409
    code = "conflict"


class PayloadTooLargeError(VeilError):
    status_code = 413
    code = "payload_too_large"


class BudgetExceededError(VeilError):
    """A differential-privacy query would exceed its budget; nothing was spent."""

    status_code = 409
    code = "budget_exceeded"


class JobCancelledError(VeilError):
    """Raised inside a running job when its cancel flag is set."""

    status_code = 409
    code = "job_cancelled"
