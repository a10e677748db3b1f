"""DP enums and result dataclasses of the SDK (owned by the dp domain)."""
