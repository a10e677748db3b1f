"""Tables of the pprl service (owned by that domain; see docs/architecture.md)."""
