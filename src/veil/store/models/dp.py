"""Tables of the dp service (owned by that domain; see docs/architecture.md)."""
