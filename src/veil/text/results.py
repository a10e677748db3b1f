"""Result records of a de-identification call, shaped like the seed's response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PiiEntity:
    marker: str
    text: str
    best_label: str
    stt_idx: int
    end_idx: int
    labels: dict[str, float]
    fake_text: list[str] | None = None
    fake_stt_idx: int | None = None
    fake_end_idx: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "marker": self.marker,
            "text": self.text,
            "best_label": self.best_label,
            "stt_idx": self.stt_idx,
            "end_idx": self.end_idx,
            "labels": dict(self.labels),
        }
        if self.fake_text is not None:
            out["fake_text"] = list(self.fake_text)
            out["fake_stt_idx"] = self.fake_stt_idx
            out["fake_end_idx"] = self.fake_end_idx
        return out


@dataclass
class DeidResult:
    result: str
    result_fake: str | None
    pii: list[PiiEntity] = field(default_factory=list)
    api_calls_used: int = 1
    output_checks_passed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "result_fake": self.result_fake,
            "pii": [p.to_dict() for p in self.pii],
            "api_calls_used": self.api_calls_used,
            "output_checks_passed": self.output_checks_passed,
        }
