"""Service layer of the dp domain: state and jobs around `veil.dp` (owned by that domain)."""
