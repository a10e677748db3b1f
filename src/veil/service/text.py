"""Service layer of the text domain: state and jobs around `veil.text` (owned by that domain)."""
