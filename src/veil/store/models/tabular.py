"""Tables of the tabular service (owned by that domain; see docs/architecture.md)."""
