"""Payment recognizers: cards (Luhn), IBANs and account numbers (routing numbers, CVV, expiry and
money are declarative: veil/text/data/recognizers.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn

from veil.text.recognizers.base import ALL_LANGUAGES, cue_before, digits, recognizer, values_after_cues
from veil.text.spans import Span

CARD = re.compile(r"(?<![\w+-])(?:\d[ -]?){11,18}\d(?![\w-])")
CARD_CUE = re.compile(r"(?i)\b(?:card|visa|mastercard|amex|american express|discover|credit|debit|cc)\b")
PHONE_HINT = re.compile(r"(?i)\b(?:phone|tel|call|mobile|fax|cell)\b")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}(?![A-Za-z0-9])")
ACCOUNT_CUE = re.compile(r"(?i)\b(?:account|acct|a/c)\.?(?:\s+(?:number|no\.?|num|#))?\s*(?:is|:|#)?\s*")
ACCOUNT_VALUE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d{4})[A-Z0-9][A-Z0-9-]{4,22}[A-Z0-9](?![\w-])")
BANK_CUE = re.compile(r"(?i)\bbank\b")


@recognizer("credit_card", "CREDIT_CARD", languages=ALL_LANGUAGES)
def find_cards(text: str) -> Iterator[Span]:
    for m in CARD.finditer(text):
        raw = m.group()
        number = digits(raw)
        if not 12 <= len(number) <= 19 or len(set(number)) == 1:
            continue
        if not luhn.is_valid(number):
            continue
        card_cue = cue_before(text, m.start(), CARD_CUE, 60)
        if not card_cue and cue_before(text, m.start(), PHONE_HINT, 30):
            continue
        yield Span(m.start(), m.end(), "CREDIT_CARD", 0.95 if card_cue else 0.9, "validated")


@recognizer("iban", "BANK_ACCOUNT", languages=ALL_LANGUAGES)
def find_ibans(text: str) -> Iterator[Span]:
    for m in IBAN_RE.finditer(text):
        raw = m.group()
        # the pattern may run into a following word: try shorter prefixes at group boundaries
        candidates = [len(raw)] + [i for i in range(len(raw) - 1, 14, -1) if raw[i] == " "]
        for cut in candidates:
            value = raw[:cut].rstrip()
            if iban.is_valid(value):
                yield Span(m.start(), m.start() + len(value), "BANK_ACCOUNT", 0.95, "validated")
                break



@recognizer("account", "ACCOUNT_NUMBER", "BANK_ACCOUNT")
def find_accounts(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, ACCOUNT_CUE, ACCOUNT_VALUE, 12):
        label = "BANK_ACCOUNT" if cue_before(text, m.start(), BANK_CUE, 40) else "ACCOUNT_NUMBER"
        # anchored on its own cue, so it outranks a generic pattern (a phone) on the same digits
        yield Span(m.start(), m.end(), label, 0.9, "pattern")


