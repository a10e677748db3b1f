"""Text de-identification on Presidio's labelled recognizer test cases and on messy documents.

Run: ``.venv/bin/python -m bench text_presidio_cases`` (Presidio runs in ``.peers/presidio``).

Data (see ``bench/data/README.md``):
- ``presidio_recognizer_cases.jsonl``: (text, Presidio entity type, expected spans) cases
  transcribed from microsoft/presidio's ``presidio-analyzer/tests/test_*_recognizer.py``
  (MIT); a case with no span is a negative (a bad checksum or a wrong shape). A
  **development set**: it was read while writing rules.
- ``messy_documents.jsonl``: chats, call transcripts, e-mails with signatures, forms and
  logs written by the Veil team, with the values that must be masked. Also a development
  set: the leaks it printed were fixed during the session that wrote it.

Metrics (Veil ``high`` mode and Presidio's AnalyzerEngine with the md model, default
recognizers and threshold; every detection of any type masks its characters):
- bare: positive cases whose text is only the value(s): share of values masked, i.e. every
  letter and digit of the value is inside a detected span;
- in a sentence: the other positive cases (the value inside Presidio's own sentence);
- with a cue: every positive value behind a cue phrase of its type ("my IBAN is ...");
- negatives: share of negative cases with no detection *of their type* (a bad-checksum
  card flagged as NUMERICAL_PII counts as not flagged: the issue asks for identifier-shaped
  values to be masked even when their checksum fails);
- messy documents: must-mask values (every occurrence, whole words, case as written) with a
  letter or digit left unmasked, per 100 must-mask values.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "presidio_recognizer_cases.jsonl"
MESSY = HERE / "data" / "messy_documents.jsonl"

#: The cue phrase put before a value for the "with a cue" figures.
CUES = {
    "CREDIT_CARD": "my credit card number is",
    "CRYPTO": "my bitcoin wallet address is",
    "EMAIL_ADDRESS": "my email address is",
    "IBAN_CODE": "my IBAN is",
    "PHONE_NUMBER": "you can call me on",
    "IP_ADDRESS": "the server's IP address is",
    "US_SSN": "my social security number is",
    "URL": "please visit",
    "US_DRIVER_LICENSE": "my driver's license number is",
    "US_ITIN": "my taxpayer identification number (ITIN) is",
    "US_PASSPORT": "my passport number is",
    "US_BANK_NUMBER": "my bank account number is",
    "ABA_ROUTING_NUMBER": "the bank routing number is",
    "MEDICAL_LICENSE": "the doctor's medical license number is",
    "UK_NHS": "my NHS number is",
    "UK_NINO": "my national insurance number is",
    "IN_PAN": "my PAN card number is",
    "IN_AADHAAR": "my Aadhaar number is",
    "ES_NIF": "my Spanish NIF is",
    "IT_FISCAL_CODE": "my Italian codice fiscale is",
    "KR_RRN": "my Korean resident registration number is",
}
#: Veil labels that count as "the case's type" for the negatives (a Veil type of the same
#: name counts too).
VEIL_TYPES = {
    "CREDIT_CARD": {"CREDIT_CARD"},
    "CRYPTO": {"CRYPTO", "CRYPTO_WALLET", "ACCOUNT_NUMBER", "BANK_ACCOUNT"},
    "EMAIL_ADDRESS": {"EMAIL_ADDRESS"},
    "IBAN_CODE": {"BANK_ACCOUNT"},
    "PHONE_NUMBER": {"PHONE_NUMBER"},
    "IP_ADDRESS": {"IP_ADDRESS"},
    "US_SSN": {"SSN"},
    "URL": {"URL"},
    "US_DRIVER_LICENSE": {"DRIVER_LICENSE"},
    "US_ITIN": {"SSN"},
    "US_PASSPORT": {"PASSPORT_NUMBER"},
    "US_BANK_NUMBER": {"BANK_ACCOUNT", "ACCOUNT_NUMBER"},
    "ABA_ROUTING_NUMBER": {"ROUTING_NUMBER"},
    "MEDICAL_LICENSE": {"MEDICAL_LICENSE"},
    "UK_NHS": {"HEALTHCARE_NUMBER"},
    "UK_NINO": {"SSN"},
    "IN_PAN": {"SSN"},
    "IN_AADHAAR": {"SSN"},
    "ES_NIF": {"SSN"},
    "IT_FISCAL_CODE": {"SSN"},
    "KR_RRN": {"SSN"},
}

Spans = list[tuple[int, int, str]]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def masked(text: str, start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> bool:
    """Every letter and digit of ``text[start:end]`` lies inside a detected span."""
    covered = set()
    for s, e, _ in spans:
        covered.update(range(max(s, start), min(e, end)))
    return all(k in covered for k in range(start, end) if text[k].isalnum())


def build_inputs(cases: Sequence[dict[str, Any]]) -> tuple[list[str], list[tuple[str, str, int, int, str]]]:
    """All texts to analyse and, per text, what is scored: (group, entity type, start, end, kind)."""
    texts: list[str] = []
    meta: list[tuple[str, str, int, int, str]] = []
    for case in cases:
        ent = case["entity_type"]
        if not case["spans"]:
            texts.append(case["text"])
            meta.append(("negative", ent, 0, len(case["text"]), case["id"]))
            continue
        group = "bare" if case["bare"] else "sentence"
        for s, e in case["spans"]:
            texts.append(case["text"])
            meta.append((group, ent, s, e, case["id"]))
        for value in case["values"]:
            cue = CUES[ent] + " "
            texts.append(cue + value)
            meta.append(("cue", ent, len(cue), len(cue) + len(value), case["id"]))
    return texts, meta


def score_cases(
    texts: Sequence[str], meta: Sequence[tuple[str, str, int, int, str]], predicted: Sequence[Spans], own_type: Any
) -> dict[str, dict[str, list[int]]]:
    """{entity type: {group: [hits, total]}}; ``own_type(entity, label)``: whether a label is the case's type."""
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for text, (group, ent, s, e, _), spans in zip(texts, meta, predicted, strict=True):
        cell = table[ent][group]
        cell[1] += 1
        if group == "negative":
            cell[0] += not any(own_type(ent, label) for _, _, label in spans)
        else:
            cell[0] += masked(text, s, e, spans)
    return table


def misses(
    texts: Sequence[str], meta: Sequence[tuple[str, str, int, int, str]], predicted: Sequence[Spans], own_type: Any
) -> list[str]:
    """The texts that fail, with what was detected (for the printed list)."""
    out = []
    for text, (group, ent, s, e, _), spans in zip(texts, meta, predicted, strict=True):
        if group == "negative":
            wrong = [f"{text[a:b]!r}={label}" for a, b, label in spans if own_type(ent, label)]
            if wrong:
                out.append(f"  negative {ent}: {text!r} flagged {', '.join(wrong)}")
        elif not masked(text, s, e, spans):
            found = ", ".join(f"{text[a:b]!r}={label}" for a, b, label in spans) or "nothing"
            out.append(f"  {group} {ent}: {text!r} (value {text[s:e]!r}); detected {found}")
    return out


def leaks(docs: Sequence[dict[str, Any]], predicted: Sequence[Spans]) -> tuple[int, int, list[str]]:
    """(values leaked, must-mask values, ids of the leaks) over the messy documents."""
    leaked, total, where = 0, 0, []
    for doc, spans in zip(docs, predicted, strict=True):
        for value in doc["must_mask"]:
            total += 1
            hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", doc["text"])]
            if not hits or not all(masked(doc["text"], s, e, spans) for s, e in hits):
                leaked += 1
                where.append(f"{doc['id']}: {value!r}")
    return leaked, total, where


def run_veil(texts: Sequence[str]) -> list[Spans]:
    from veil.text import DeidentifyOptions, TextDeidentifier

    results = TextDeidentifier().deidentify(list(texts), DeidentifyOptions(accuracy_mode="high"))
    return [[(p.stt_idx, p.end_idx, p.best_label) for p in r.pii] for r in results]


def run_presidio(texts: Sequence[str]) -> list[Spans] | None:
    from bench.text_deid import run_presidio as presidio

    out = presidio(list(texts), "md")
    return None if out is None else out[0]


def _pct(cell: Sequence[int]) -> str:
    hits, total = cell
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "    -"


def _totals(table: dict[str, dict[str, list[int]]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for groups in table.values():
        for group, (hits, total) in groups.items():
            out[group][0] += hits
            out[group][1] += total
    return out


GROUPS = ("bare", "sentence", "cue", "negative")


def print_table(name: str, table: dict[str, dict[str, list[int]]]) -> None:
    print(f"\n{name}: values masked (bare / in a sentence / with a cue) and negatives not flagged as their type")
    print(f"{'entity type':<20} {'bare':>18} {'sentence':>18} {'cue':>18} {'negatives':>18}")
    for ent in sorted(table):
        print(f"{ent:<20} " + " ".join(f"{_pct(table[ent][g]):>18}" for g in GROUPS))
    totals = _totals(table)
    print(f"{'ALL':<20} " + " ".join(f"{_pct(totals[g]):>18}" for g in GROUPS))


def main() -> None:
    from veil.text.entities import ENTITY_TYPES

    cases = load_jsonl(CASES)
    docs = load_jsonl(MESSY)
    texts, meta = build_inputs(cases)
    print(f"Presidio recognizer cases: {len(cases)} cases from {len({c['source'] for c in cases})} test files, "
          f"{len(texts)} scored texts; messy documents: {len(docs)}, "
          f"{sum(len(d['must_mask']) for d in docs)} must-mask values")

    def veil_type(ent: str, label: str) -> bool:
        return label in VEIL_TYPES.get(ent, set()) or (label == ent and ent in ENTITY_TYPES)

    veil_spans = run_veil(texts)
    veil_table = score_cases(texts, meta, veil_spans, veil_type)
    print_table("Veil (high)", veil_table)
    failures = misses(texts, meta, veil_spans, veil_type)
    if failures:
        print(f"\nVeil (high) failures ({len(failures)}):")
        print("\n".join(failures))
    veil_docs = run_veil([d["text"] for d in docs])
    v_leaked, v_total, v_where = leaks(docs, veil_docs)
    print(f"\nVeil (high) messy documents: {v_leaked} of {v_total} must-mask values leaked "
          f"= {100 * v_leaked / v_total:.1f} per 100")
    if v_where:
        print("  leaked (the documents are made up): " + "; ".join(v_where))

    presidio_spans = run_presidio(texts)
    if presidio_spans is None:
        return
    p_table = score_cases(texts, meta, presidio_spans, lambda ent, label: label == ent)
    print_table("Presidio (md, default recognizers)", p_table)
    p_docs = run_presidio([d["text"] for d in docs])
    if p_docs is not None:
        p_leaked, p_total, _ = leaks(docs, p_docs)
        print(f"\nPresidio (md) messy documents: {p_leaked} of {p_total} must-mask values leaked "
              f"= {100 * p_leaked / p_total:.1f} per 100")
    vt, pt = _totals(veil_table), _totals(p_table)
    print("\nSummary (Veil high vs Presidio md):")
    for g in GROUPS:
        print(f"  {g:<9} Veil {_pct(vt[g])}   Presidio {_pct(pt[g])}")


if __name__ == "__main__":
    main()
