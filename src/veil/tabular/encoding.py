"""Integer encodings of quasi-identifiers and sensitive attributes.

Each quasi-identifier with hierarchy ``H`` (``R`` rows, ``L`` levels) becomes:

* ``leaf``: for every record, the index of its hierarchy row (``int32``);
* ``gen[level]``: for every hierarchy row, the code of its value at ``level``;
* ``labels[level]``: the text of each code at ``level``;
* ``share[level]``: ARX's domain share of each code (rows of ``H`` mapping to the
  code divided by ``R``).

Records are then reduced to the distinct combinations of leaf codes (plus sensitive
codes) with a weight, and every transformation of the lattice is evaluated on that
reduced table with numpy gathers and ``bincount`` (no per-record Python loops).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from veil.tabular.hierarchy import Hierarchy, column_text

_INT64_SAFE = 1 << 62


@dataclass
class EncodedQI:
    name: str
    hierarchy: Hierarchy
    leaf: np.ndarray  # (n,) int32 hierarchy row per record
    gen: list[np.ndarray]  # per level: (R,) int32 code
    labels: list[np.ndarray]  # per level: (C_level,) object
    share: list[np.ndarray]  # per level: (C_level,) float64
    functional: bool  # True when every level's value determines the next level's value

    @property
    def height(self) -> int:
        return len(self.gen) - 1

    def cardinality(self, level: int) -> int:
        return int(self.labels[level].shape[0])


def _fast_text_dtype(dtype: object) -> bool:
    """Dtypes whose distinct values have distinct texts under :func:`column_text` and whose
    factorization merges only values that print alike (object columns merge ``1``, ``1.0``
    and ``True``; floats ``-0.0`` and ``0.0``, checked by the caller)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, np.dtype) and dtype.kind in "iufb"


def text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(column_text(column), sort=False)``: the code of every cell and the
    distinct texts in order of first appearance.

    For text and numeric columns the column is factorized first and only its distinct values
    are turned into text (a million cells of a few hundred values: one hash pass instead of a
    million Python strings); the result is the same arrays."""
    fast = _fast_text_dtype(column.dtype)
    if fast and column.dtype.kind == "f":  # -0.0 and 0.0 hash alike but print differently
        values = column.to_numpy()
        fast = not bool(np.any((values == 0) & np.signbit(values)))
    if not fast:
        codes, uniq = pd.factorize(column_text(column), sort=False)
        return np.asarray(codes), np.asarray(uniq, dtype=object)
    raw_codes, raw_uniq = pd.factorize(column, sort=False, use_na_sentinel=False)
    texts = column_text(pd.Series(raw_uniq, dtype=column.dtype))
    t_codes, t_uniq = pd.factorize(texts, sort=False)  # "" and a missing cell share a text
    return np.asarray(t_codes)[raw_codes], np.asarray(t_uniq, dtype=object)


def encode_qi(name: str, column: pd.Series, hierarchy: Hierarchy, *, field: str) -> EncodedQI:
    codes_, uniq = text_codes(column)
    hierarchy.check_covers(uniq, field=field)
    rows = hierarchy.rows
    index = {r[0]: i for i, r in enumerate(rows)}
    lookup = np.array([index[u] for u in uniq], dtype=np.int32)
    leaf = lookup[codes_]
    gen: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    share: list[np.ndarray] = []
    n_rows = len(rows)
    for level in range(hierarchy.levels):
        col = np.array([r[level] for r in rows], dtype=object)
        codes, uniques = pd.factorize(col, sort=False)
        gen.append(codes.astype(np.int32))
        labels.append(np.asarray(uniques, dtype=object))
        counts = np.bincount(codes, minlength=len(uniques)).astype(np.float64)
        share.append(counts / float(n_rows))
    functional = True
    for level in range(hierarchy.levels - 1):
        a, b = gen[level], gen[level + 1]
        pairs = np.unique(a.astype(np.int64) * (b.max() + 1) + b)
        if pairs.shape[0] != labels[level].shape[0]:
            functional = False
            break
    return EncodedQI(name, hierarchy, leaf, gen, labels, share, functional)


@dataclass
class EncodedSensitive:
    name: str
    codes: np.ndarray  # (n,) int32
    labels: np.ndarray  # (V,) object
    order: np.ndarray | None = None  # rank of each code for ordered distance
    hierarchy_gen: list[np.ndarray] | None = None  # per level (V,) codes, for hierarchical EMD

    @property
    def size(self) -> int:
        return int(self.labels.shape[0])


def _numeric_order(labels: np.ndarray) -> np.ndarray | None:
    try:
        values = np.array([float(v) for v in labels])
    except (TypeError, ValueError):
        return None
    return values


def encode_sensitive(
    name: str,
    column: pd.Series,
    *,
    order: list[str] | None = None,
    hierarchy: Hierarchy | None = None,
    field: str,
) -> EncodedSensitive:
    codes, uniques = text_codes(column)
    labels = np.asarray(uniques, dtype=object)
    enc = EncodedSensitive(name, codes.astype(np.int32), labels)
    # Order for ordered-distance EMD: explicit order, else numeric, else lexical.
    if order is not None:
        pos = {v: i for i, v in enumerate(order)}
        missing = [v for v in labels if v not in pos]
        if missing:
            from veil.errors import InvalidInputError

            raise InvalidInputError(
                f"the order does not list {len(missing)} value(s) of the data", field=field
            )
        rank_values = np.array([pos[v] for v in labels], dtype=np.float64)
    else:
        numeric = _numeric_order(labels)
        rank_values = numeric if numeric is not None else np.array(labels, dtype=str).astype(object)
    enc.order = np.argsort(np.argsort(np.asarray(rank_values), kind="stable"), kind="stable").astype(np.int64)
    if hierarchy is not None:
        hierarchy.check_covers(labels, field=field)
        index = {r[0]: i for i, r in enumerate(hierarchy.rows)}
        rows = np.array([index[v] for v in labels], dtype=np.int64)
        gens: list[np.ndarray] = []
        for level in range(hierarchy.levels):
            col = np.array([r[level] for r in hierarchy.rows], dtype=object)[rows]
            c, _ = pd.factorize(col, sort=False)
            gens.append(c.astype(np.int64))
        enc.hierarchy_gen = gens
    return enc


def combine_codes(columns: list[np.ndarray], cards: list[int]) -> tuple[np.ndarray, int]:
    """Mixed-radix key over several code columns; compresses with factorize before overflow.

    Returns ``(key, key_space)`` where ``key`` is int64 in ``[0, key_space)``.
    """
    if not columns:
        return np.zeros(0, dtype=np.int64), 1
    # in-place multiply-add; int64 inputs (as the evaluator keeps them) avoid any conversion
    key = columns[0].astype(np.int64, copy=True)
    space = max(int(cards[0]), 1)
    for col, card in zip(columns[1:], cards[1:], strict=True):
        card = max(int(card), 1)
        if space * card >= _INT64_SAFE:
            codes, uniq = pd.factorize(key, sort=False)
            key = codes.astype(np.int64)
            space = max(len(uniq), 1)
        key *= card
        key += col
        space *= card
    return key, space


@dataclass
class ReducedTable:
    """Distinct combinations of QI leaf codes and sensitive codes, with weights."""

    leaf: np.ndarray  # (m, d) int32
    weight: np.ndarray  # (m,) int64
    sensitive: np.ndarray  # (m, s) int32
    row_group: np.ndarray  # (n,) int64: which reduced row each record belongs to
    extras: dict[str, np.ndarray] = field(default_factory=dict)


def reduce_records(qis: list[EncodedQI], sensitive: list[EncodedSensitive]) -> ReducedTable:
    cols = [q.leaf for q in qis] + [s.codes for s in sensitive]
    cards = [len(q.hierarchy.rows) for q in qis] + [s.size for s in sensitive]
    n = qis[0].leaf.shape[0] if qis else (sensitive[0].codes.shape[0] if sensitive else 0)
    if not cols:
        return ReducedTable(np.zeros((1, 0), np.int32), np.array([n], np.int64), np.zeros((1, 0), np.int32),
                            np.zeros(n, np.int64))
    key, _ = combine_codes(cols, cards)
    group, first = _factorize_first(key)
    weight = np.bincount(group).astype(np.int64)
    leaf = np.stack([q.leaf[first] for q in qis], axis=1) if qis else np.zeros((first.shape[0], 0), np.int32)
    sens = (
        np.stack([s.codes[first] for s in sensitive], axis=1)
        if sensitive
        else np.zeros((first.shape[0], 0), np.int32)
    )
    return ReducedTable(leaf.astype(np.int32), weight, sens.astype(np.int32), group)


def _factorize_first(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group ids in order of first appearance and the index of each group's first record."""
    codes, uniq = pd.factorize(key, sort=False)
    first = np.full(len(uniq), -1, dtype=np.int64)
    # the first occurrence of each code: reverse assignment keeps the smallest index
    idx = np.arange(codes.shape[0], dtype=np.int64)
    first[codes[::-1]] = idx[::-1]
    return codes.astype(np.int64), first
