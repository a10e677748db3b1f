"""Service layer of the tabular domain: state and jobs around `veil.tabular` (owned by that domain)."""
