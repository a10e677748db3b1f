"""Tables of the text service (owned by that domain; see docs/architecture.md)."""
