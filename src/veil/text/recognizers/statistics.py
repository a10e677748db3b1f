"""``STATISTICS``: the figures of medical and research prose.

Found without a cue: p-values ("p < 0.001"), confidence intervals ("95% CI 1.2-3.4"), effect
ratios ("HR 0.82", "OR = 1.9"), sample sizes ("n = 120"), means and spreads ("mean 45.2",
"12.1 ± 3.4", "SD 2.1") and test values in clinical units ("140/90 mmHg", "7.2 mmol/L",
"HbA1c 6.8%"). A bare percentage ("12.5%", "40 percent") counts only in a sentence with a
research word (patients, cohort, mortality, risk, placebo, ...): "50% off" is not a statistic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import has_digit, recognizer
from veil.text.spans import Span

NUM = r"\d+(?:[.,]\d+)?"
DASH = r"\s?(?:-|–|—|to)\s?"
UNITS = (
    r"mmhg|mmol/l|mg/dl|g/dl|g/l|mg/l|µmol/l|umol/l|mmol/mol|meq/l|iu/l|u/l|ng/ml|pg/ml|µg/l|ug/l|"
    r"bpm|beats\s+per\s+minute|breaths\s+per\s+minute|cells/µl|cells/mm3|x\s?10\^?9/l|kg/m2|kg/m²"
)
LAB = r"hba1c|a1c|ldl|hdl|bmi|egfr|crp|psa|tsh|inr|ast|alt|troponin|hemoglobin|haemoglobin|creatinine|cholesterol|glucose|spo2|sao2"
STAT = re.compile(
    rf"(?i)(?<![\w.])(?:"
    rf"p\s?(?:<|>|=|≤|≥|<=|>=)\s?0?\.\d+"  # p-values
    rf"|\d{{2}}\s?%\s?(?:ci|confidence\s+interval)[:,]?\s?(?:\({NUM}{DASH}{NUM}\)|\[{NUM}{DASH}{NUM}\]|{NUM}{DASH}{NUM})"
    rf"|(?:a?or|a?hr|a?rr|irr|odds\s+ratio|hazard\s+ratio|relative\s+risk)\s?(?:=|:|of|was)?\s?{NUM}"
    rf"(?:\s?\(\s?(?:\d{{2}}\s?%\s?ci[:,]?\s?)?{NUM}{DASH}{NUM}\s?\))?"
    rf"|n\s?=\s?\d{{1,3}}(?:,\d{{3}})*"  # sample size
    rf"|(?:mean|median|sd|se|sem|iqr|standard\s+deviation|average)\s?(?:=|:|of|was)?\s?{NUM}"
    rf"(?:\s?(?:±|\+/-)\s?{NUM})?(?:\s?\(\s?(?:sd|se|iqr|range)?\s?{NUM}(?:{DASH}{NUM})?\s?\))?"
    rf"|{NUM}\s?(?:±|\+/-)\s?{NUM}(?:\s?%)?"
    rf"|\d{{2,3}}/\d{{2,3}}\s?mmhg"
    rf"|{NUM}\s?(?:{UNITS})"
    rf"|(?:{LAB})\s?(?:of|was|is|=|:)?\s?{NUM}(?:\s?%|\s?(?:{UNITS}))?"
    rf")(?![\w%])"
)
PERCENT = re.compile(r"(?i)(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:%|per\s?cent\b)")
RESEARCH = re.compile(
    r"(?i)\b(?:patients?|participants?|subjects?|cohorts?|stud(?:y|ies)|trials?|mortality|morbidity|"
    r"incidence|prevalence|risk|survival|response|efficacy|sample|respondents|cases|placebo|treatment|"
    r"population|significant(?:ly)?|remission|recurrence|adverse|outcomes?|baseline|arm|randomi[sz]ed|"
    r"diagnosed|infected|vaccinated|hospitali[sz]ed|admitted|readmission|relapse|sensitivity|specificity)\b"
)
SENTENCE = re.compile(r"[.!?\n]\s")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in SENTENCE.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    m = SENTENCE.search(text, end, min(len(text), end + 300))
    return left, m.start() if m else min(len(text), end + 300)


@recognizer("statistics", "STATISTICS")
def find_statistics(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return
    for m in STAT.finditer(text):
        yield Span(m.start(), m.end(), "STATISTICS", 0.75, "pattern")
    for m in PERCENT.finditer(text):
        a, b = _sentence(text, m.start(), m.end())
        if RESEARCH.search(text, a, b):
            yield Span(m.start(), m.end(), "STATISTICS", 0.7, "pattern")
