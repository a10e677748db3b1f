"""DP methods of the anonymization clients (owned by the dp domain; see docs/architecture.md)."""


class DPMethods:
    """Mixin: the seed's dp_* methods for the synchronous client."""


class AsyncDPMethods:
    """Mixin: the seed's dp_* methods for the asynchronous client."""
