"""Service layer of the pprl domain: state and jobs around `veil.pprl` (owned by that domain)."""
