"""Veil: a self-hosted privacy engine.

Text de-identification (``veil.text``), tabular anonymization (``veil.tabular``),
differential privacy (``veil.dp``) and record-linkage hashing (``veil.pprl``) as
plain libraries, served by one FastAPI service (``veil.api``) with an SDK
(``veil.client``) and a CLI (``veil``).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
