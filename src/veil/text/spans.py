"""Candidate entity spans and the deterministic overlap resolution."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# How specific a source is: a user's block list beats a checksum-validated pattern,
# which beats a context rule, which beats another mention of a found entity (propagation),
# which beats the statistical NER.
SPECIFICITY: dict[str, float] = {
    "block_list": 4,
    "validated": 3,
    "pattern": 2,
    "context": 1,
    "propagated": 0.5,
    "ner": 0,
    "hint": -1,
}

# Values whose text legitimately holds other identifiers (an e-mail or an IP address inside a
# URL, a number inside a file name): a validated match inside one does not break it up.
CONTAINER_LABELS = frozenset({"URL", "EMAIL_ADDRESS", "FILENAME"})


@dataclass(slots=True)  # slots: many spans per text; cheaper to make and to read
class Span:
    start: int
    end: int
    label: str
    score: float
    source: str = "pattern"
    # Sub-spans (start, end, subtype) used when a caller asks for a collapsed subtype
    # (NAME_GIVEN / NAME_FAMILY of a full name).
    parts: tuple[tuple[int, int, str], ...] = ()
    labels: dict[str, float] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start

    def rank(self) -> tuple[int, float, float, int, str]:
        return (self.length, SPECIFICITY.get(self.source, 0), self.score, -self.start, self.label)


def _inside_container(span: Span, containers: list[Span]) -> bool:
    return any(
        c is not span and c.start <= span.start and span.end <= c.end and c.length > span.length
        for c in containers
    )


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep a non-overlapping subset.

    Order of precedence:

    1. the caller's block list;
    2. *validated* matches (a checksum, a calendar or address check: a Luhn-valid card, a
       valid SSN, IBAN, IP address), even against a longer span: a model's organisation
       "Visa 4111-1111-1111-1111" or a phone-shaped "412-67-3390)" loses to the card or SSN
       it contains. The exception is a validated value inside a longer URL, e-mail address
       or file name, which keeps the whole container;
    3. everything else, longest first, then most specific source, then score;
    4. spans from ``hint`` sources only fill gaps left by all the others.

    Ties after that are broken by position and label name, so the result is deterministic.
    A kept span also collects the labels (with scores) of dropped spans with exactly its
    offsets and an at least as specific source, so ``labels`` carries every applicable label.
    Kept intervals are held sorted, so each check is a binary search (n log n overall).
    """
    containers = [s for s in spans if s.label in CONTAINER_LABELS and s.source not in ("ner", "hint")]
    first = {
        id(s)
        for s in spans
        if s.source == "validated" and not (containers and _inside_container(s, containers))
    }
    ordered = sorted(
        spans,
        key=lambda s: (s.source == "block_list", s.source != "hint", id(s) in first, *s.rank()),
        reverse=True,
    )
    by_offsets: dict[tuple[int, int], Span] = {}
    starts: list[int] = []
    ends: list[int] = []
    for span in ordered:
        if span.length <= 0:
            continue
        same = by_offsets.get((span.start, span.end))
        if same is not None:
            weaker = SPECIFICITY.get(span.source, 0) < SPECIFICITY.get(same.source, 0)
            if span.label not in same.labels and not weaker:
                same.labels[span.label] = span.score
            continue
        i = bisect.bisect_right(starts, span.start)
        if i > 0 and ends[i - 1] > span.start:
            continue  # the kept interval starting at or before us reaches into us
        if i < len(starts) and starts[i] < span.end:
            continue  # the next kept interval starts inside us
        if span.label not in span.labels:
            span.labels = {span.label: span.score, **span.labels}
        starts.insert(i, span.start)
        ends.insert(i, span.end)
        by_offsets[(span.start, span.end)] = span
    return sorted(by_offsets.values(), key=lambda s: s.start)
