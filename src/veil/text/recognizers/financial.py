"""Payment recognizers: cards (Luhn), IBANs, routing and account numbers, CVV, expiry, money."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn
from stdnum.us import rtn

from veil.text.recognizers.base import cue_before, digits, recognizer, values_after_cues
from veil.text.spans import Span

CARD = re.compile(r"(?<![\w+-])(?:\d[ -]?){11,18}\d(?![\w-])")
CARD_CUE = re.compile(r"(?i)\b(?:card|visa|mastercard|amex|american express|discover|credit|debit|cc)\b")
PHONE_HINT = re.compile(r"(?i)\b(?:phone|tel|call|mobile|fax|cell)\b")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}(?![A-Za-z0-9])")
ROUTING_CUE = re.compile(r"(?i)\b(?:routing|aba|transit number|rtn)\b")
NINE_DIGITS = re.compile(r"(?<![\d-])\d{9}(?![\d-])")
ACCOUNT_CUE = re.compile(r"(?i)\b(?:account|acct|a/c)\.?(?:\s+(?:number|no\.?|num|#))?\s*(?:is|:|#)?\s*")
ACCOUNT_VALUE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d{4})[A-Z0-9][A-Z0-9-]{4,22}[A-Z0-9](?![\w-])")
BANK_CUE = re.compile(r"(?i)\bbank\b")
CVV_CUE = re.compile(r"(?i)\b(?:cvv2?|cvc2?|cv2|security code|card code|card verification(?: code| value)?)\b")
CVV_VALUE = re.compile(r"(?<!\d)\d{3,4}(?!\d)")
EXP_CUE = re.compile(r"(?i)\b(?:exp(?:iry|iration|ires|\.)?|valid (?:thru|through|until)|good thru)\b")
EXP_VALUE = re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])\s?[/-]\s?(?:\d{4}|\d{2})(?![\d/])")
CURRENCY = r"(?:[$€£¥₹₩]|USD|EUR|GBP|CAD|AUD|JPY|CHF|INR|US\$|C\$|A\$)"
AMOUNT = r"\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
SCALE = r"(?:\s?(?:million|billion|thousand|k|m|bn|mn))?"
MONEY = re.compile(
    rf"(?<![\w$€£¥₹₩]){CURRENCY}\s?(?:{AMOUNT}){SCALE}(?![\w])"
    rf"|(?<![\w.,])(?:{AMOUNT}){SCALE}\s?(?:{CURRENCY}|dollars?|euros?|pounds?(?: sterling)?|yen|rupees?|cents?)(?![\w])",
    re.IGNORECASE,
)


@recognizer("credit_card", "CREDIT_CARD")
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


@recognizer("iban", "BANK_ACCOUNT")
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


@recognizer("routing", "ROUTING_NUMBER")
def find_routing(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, ROUTING_CUE, NINE_DIGITS, 40):
        if rtn.is_valid(m.group()):
            yield Span(m.start(), m.end(), "ROUTING_NUMBER", 0.95, "validated")


@recognizer("account", "ACCOUNT_NUMBER", "BANK_ACCOUNT")
def find_accounts(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, ACCOUNT_CUE, ACCOUNT_VALUE, 12):
        label = "BANK_ACCOUNT" if cue_before(text, m.start(), BANK_CUE, 40) else "ACCOUNT_NUMBER"
        # anchored on its own cue, so it outranks a generic pattern (a phone) on the same digits
        yield Span(m.start(), m.end(), label, 0.9, "pattern")


@recognizer("cvv", "CVV")
def find_cvv(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, CVV_CUE, CVV_VALUE, 20):
        yield Span(m.start(), m.end(), "CVV", 0.9, "context")


@recognizer("card_expiry", "CREDIT_CARD_EXPIRATION")
def find_expiry(text: str) -> Iterator[Span]:
    for m in values_after_cues(text, EXP_CUE, EXP_VALUE, 25):
        yield Span(m.start(), m.end(), "CREDIT_CARD_EXPIRATION", 0.9, "context")


@recognizer("money", "MONEY")
def find_money(text: str) -> Iterator[Span]:
    for m in MONEY.finditer(text):
        value = m.group().rstrip()
        if any(ch.isdigit() for ch in value):
            yield Span(m.start(), m.start() + len(value), "MONEY", 0.85, "pattern")
