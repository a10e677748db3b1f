"""Multilingual NER: Veil's multilingual detection per language on WikiNEuRal and KLUE.

Run: ``.venv/bin/python -m bench text_multilingual``

Data (``../shared/datasets/text/``; evaluation only, nothing here is trained on it):
- WikiNEuRal test, first 2000 sentences for en, de, es, fr, it, pt (tokens joined by one space);
- KLUE-NER v1.1 dev (ko), all 5000 sentences, character-level tags PS/LC/OG.

Metrics over PER/LOC/ORG (MISC, and KLUE's DT/TI/QT, are not scored by type):
- strict F1: micro over the three types, typed spans with exact offsets;
- overlap F1: a prediction is right if it overlaps a gold span of its type (precision over
  predictions), a gold span is found if a prediction of its type overlaps it (recall);
- char recall PER+LOC: share of the non-space characters of gold persons and locations that
  are covered by any detected span (any label: the leakage view);
- char precision: share of non-space characters in predicted PER/LOC/ORG spans that are inside
  some gold entity (PER/LOC/ORG/MISC, or any KLUE tag);
- language id: share of sentences whose detected language is the data set's language;
- docs/s: the whole set in one call with auto-detected language, after a warm-up on 20
  sentences of every language (model and lexicon loads excluded; the timed pass is the first
  over most sentences, so caches and spaCy's vocabulary are still filling).
The detector is told nothing about the language: it detects it, as the API does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "text"
WIKI_LANGS = ("en", "de", "es", "fr", "it", "pt")
TYPES = ("PER", "LOC", "ORG")
KLUE_TYPES = {"PS": "PER", "LC": "LOC", "OG": "ORG"}
VEIL_TO_TYPE = {
    "NAME": "PER", "NAME_GIVEN": "PER", "NAME_FAMILY": "PER", "NAME_MEDICAL_PROFESSIONAL": "PER",
    "LOCATION": "LOC", "LOCATION_CITY": "LOC", "LOCATION_STATE": "LOC", "LOCATION_COUNTRY": "LOC",
    "LOCATION_ADDRESS": "LOC", "LOCATION_ADDRESS_STREET": "LOC",
    "ORGANIZATION": "ORG", "ORGANIZATION_MEDICAL_FACILITY": "ORG",
}

Entity = tuple[int, int, str]


@dataclass
class Doc:
    text: str
    gold: list[Entity]  # scored types only
    other: list[tuple[int, int]]  # every gold entity of any type (for char precision)


def _spans_from_bio(tags: Sequence[tuple[int, int, str]]) -> list[Entity]:
    """(start, end, tag) per unit -> entity spans; I- after O starts a new entity."""
    out: list[Entity] = []
    cur: list[int | str] | None = None
    for start, end, tag in tags:
        boundary = tag == "O" or tag.startswith("B-") or (cur is not None and tag[2:] != cur[2])
        if boundary and cur is not None:
            out.append((int(cur[0]), int(cur[1]), str(cur[2])))
            cur = None
        if tag == "O":
            continue
        if cur is None:
            cur = [start, end, tag[2:]]
        else:
            cur[1] = end
    if cur is not None:
        out.append((int(cur[0]), int(cur[1]), str(cur[2])))
    return out


def load_wikineural(lang: str, limit: int = 2000) -> list[Doc]:
    docs: list[Doc] = []
    tokens: list[tuple[str, str]] = []
    path = DATA / f"wikineural_{lang}_test_first2000.conllu"

    def flush() -> None:
        if not tokens:
            return
        parts, tags, pos = [], [], 0
        for tok, tag in tokens:
            parts.append(tok)
            tags.append((pos, pos + len(tok), tag))
            pos += len(tok) + 1
        ents = _spans_from_bio(tags)
        docs.append(Doc(" ".join(parts), [e for e in ents if e[2] in TYPES], [(a, b) for a, b, _ in ents]))
        tokens.clear()

    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        cols = line.split("\t")
        if len(cols) >= 3:
            tokens.append((cols[1], cols[2]))
    flush()
    return docs[:limit]


def load_klue(limit: int | None = None) -> list[Doc]:
    docs: list[Doc] = []
    chars: list[tuple[str, str]] = []

    def flush() -> None:
        if not chars:
            return
        text = "".join(c for c, _ in chars)
        ents = _spans_from_bio([(i, i + 1, t) for i, (_, t) in enumerate(chars)])
        gold = [(a, b, KLUE_TYPES[t]) for a, b, t in ents if t in KLUE_TYPES]
        docs.append(Doc(text, gold, [(a, b) for a, b, _ in ents]))
        chars.clear()

    for line in (DATA / "klue-ner-v1.1_dev.tsv").read_text("utf-8").split("\n"):
        if line.startswith("##"):
            continue
        if line == "":
            flush()
            continue
        ch, _, tag = line.rpartition("\t")
        chars.append((ch, tag))
    flush()
    return docs if limit is None else docs[:limit]


@dataclass
class Scores:
    strict_f1: float
    overlap_f1: float
    char_recall: float
    char_precision: float
    per_type: dict[str, float]


def _f1(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> float:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(docs: Sequence[Doc], preds: Sequence[Sequence[Entity]], covered: Sequence[Sequence[tuple[int, int]]]) -> Scores:
    """``preds``: typed PER/LOC/ORG predictions; ``covered``: every detected span (any label)."""
    tp = n_pred = n_gold = 0
    o_tp_p = o_tp_r = 0
    by_type = {t: [0, 0, 0] for t in TYPES}  # tp, pred, gold
    rec_hit = rec_all = prec_hit = prec_all = 0
    for doc, pred, cov in zip(docs, preds, covered, strict=True):
        gold = set(doc.gold)
        pset = set(pred)
        tp += len(gold & pset)
        n_pred += len(pset)
        n_gold += len(gold)
        for t in TYPES:
            by_type[t][0] += len({e for e in gold & pset if e[2] == t})
            by_type[t][1] += len({e for e in pset if e[2] == t})
            by_type[t][2] += len({e for e in gold if e[2] == t})
        o_tp_p += sum(1 for a, b, t in pset if any(a < gb and ga < b and t == gt for ga, gb, gt in gold))
        o_tp_r += sum(1 for ga, gb, gt in gold if any(a < gb and ga < b and t == gt for a, b, t in pset))
        mask = [False] * len(doc.text)
        for a, b in cov:
            for i in range(max(0, a), min(len(mask), b)):
                mask[i] = True
        for a, b, t in gold:
            if t in ("PER", "LOC"):
                for i in range(a, b):
                    if not doc.text[i].isspace():
                        rec_all += 1
                        rec_hit += mask[i]
        inside = [False] * len(doc.text)
        for a, b in doc.other:
            for i in range(a, b):
                inside[i] = True
        for a, b, _ in pset:
            for i in range(max(0, a), min(len(inside), b)):
                if not doc.text[i].isspace():
                    prec_all += 1
                    prec_hit += inside[i]
    per_type = {t: _f1(v[0], v[1], v[0], v[2]) for t, v in by_type.items()}
    return Scores(
        strict_f1=_f1(tp, n_pred, tp, n_gold),
        overlap_f1=_f1(o_tp_p, n_pred, o_tp_r, n_gold),
        char_recall=rec_hit / rec_all if rec_all else 0.0,
        char_precision=prec_hit / prec_all if prec_all else 0.0,
        per_type=per_type,
    )


def datasets() -> dict[str, list[Doc]]:
    out = {lang: load_wikineural(lang) for lang in WIKI_LANGS}
    out["ko"] = load_klue()
    return out


Detect = Callable[[list[str]], list[list[tuple[int, int, str]]]]


def evaluate(lang: str, docs: list[Doc], detect: Detect) -> tuple[Scores, float]:
    texts = [d.text for d in docs]
    detect(texts[:20])  # warm-up (the caller has also warmed every language's models)
    t0 = time.perf_counter()
    found = detect(texts)
    elapsed = time.perf_counter() - t0
    preds = [[(a, b, VEIL_TO_TYPE[lab]) for a, b, lab in spans if lab in VEIL_TO_TYPE] for spans in found]
    covered = [[(a, b) for a, b, _ in spans] for spans in found]
    return score(docs, preds, covered), len(texts) / elapsed if elapsed > 0 else float("inf")


def veil_detector(use_models: bool) -> Detect:
    from veil.text.multilingual import detect_entities_batch

    def detect(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        found = detect_entities_batch(texts, use_models=use_models)
        return [[(s.start, s.end, s.label) for s in spans] for spans in found]

    return detect


# accuracy_mode -> whether the spaCy models run (standard_high_multilingual: rules, Kiwi and the
# English small model only).
MODES = {"high_multilingual": True, "standard_high_multilingual": False}


def main() -> None:
    from veil.text.multilingual import detect_language

    data = datasets()
    ids = {lang: sum(1 for d in docs if detect_language(d.text) == lang) / len(docs) for lang, docs in data.items()}
    for mode, use_models in MODES.items():
        print(f"\naccuracy_mode={mode}")
        _table(data, ids, veil_detector(use_models))
    print("targets: strict F1 >= 0.70 and char recall PER+LOC >= 0.90 in every language")


def _table(data: dict[str, list[Doc]], ids: dict[str, float], detect: Detect) -> None:
    header = (
        f"{'lang':<5}{'docs':>6}{'strict F1':>10}{'PER':>6}{'LOC':>6}{'ORG':>6}{'overlap F1':>11}"
        f"{'chR PER+LOC':>12}{'chP':>6}{'langid':>8}{'docs/s':>9}"
    )
    print(header)
    print("-" * len(header))
    # a few sentences of every language first: a sentence identified as another language loads
    # that language's models lazily, which must not land in some other language's timing
    detect([d.text for docs in data.values() for d in docs[:20]])
    for lang, docs in data.items():
        s, rate = evaluate(lang, docs, detect)
        acc = ids[lang]
        print(
            f"{lang:<5}{len(docs):>6}{s.strict_f1:>10.3f}{s.per_type['PER']:>6.2f}{s.per_type['LOC']:>6.2f}"
            f"{s.per_type['ORG']:>6.2f}{s.overlap_f1:>11.3f}{s.char_recall:>12.3f}{s.char_precision:>6.2f}"
            f"{acc:>8.3f}{rate:>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
