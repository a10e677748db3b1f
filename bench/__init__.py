"""Benchmarks: each module has ``main() -> None`` and compares Veil with its peers in one run."""
