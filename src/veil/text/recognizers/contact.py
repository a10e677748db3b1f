"""URL and phone number recognizers (e-mail and IP addresses are declarative:
veil/text/data/recognizers.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from veil.text.recognizers.base import ALL_LANGUAGES, cue_before, cue_near, digits, has_digit, recognizer
from veil.text.spans import Span

URL = re.compile(r"(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'|\\]+", re.IGNORECASE)
TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|tv|us|uk|ca|de|fr|es|it|nl|be|ch|at|se|no|"
    "dk|fi|pl|pt|br|ru|jp|cn|in|au|nz|ie|cz|hu|gr|ro|za|mx|ar|cl|kr|eu|online|site|shop|xyz"
)
DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+(?:{TLDS})(?:\.[a-z]{{2}})?"
    r"(?:/[^\s<>\"']*)?(?![\w@-])"
)
TRAILING = ".,;:!?)]}'\""

# Digits in groups with phone-like separators (no newlines inside a number).
PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+\d{1,3}[ \t.-]?)?(?:\(\d{1,5}\)[ \t.-]?)?\d{1,12}(?:[ \t.-]\(?\d{1,8}\)?){0,6}"
    r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6})?(?![\w/]|[.-]\d)"
)
EXT_SUFFIX = re.compile(r"[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6}$")
PHONE_CUE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|cell|fax|call(?:ed|ing)?|text|sms|whatsapp|contact|number|"
    r"reach|dial|office|landline|hotline|ring)\b|\bph\b|\bmob\b|#"
)
EXTENSION = re.compile(r"(?i)(?<![\w])(?:x|ext\.?|extension)\s?\d{1,6}(?!\w)")
EXT_CUE = re.compile(r"(?i)\b(?:phone|tel|telephone|mobile|cell|fax|call|extension|ext|number)\b")


def _trim_url(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in TRAILING:
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        end -= 1
    return end



def _names_a_host(url: str) -> bool:
    """A URL names a host: a domain with a dot and a letter TLD after any ``www.``, an IP
    address, ``localhost``, or a dotless intranet host with a path or query after it. So
    "www.microsoft" and a bare "http://microsoft" are words, not URLs."""
    rest = url.split("://", 1)[1] if "://" in url else url
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    host, tail = rest[:cut], rest[cut:]
    host = host.rpartition("@")[2].lower()
    if host.startswith("["):
        return True
    host = host.partition(":")[0].rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    label = host.rpartition(".")[2]
    if "." in host and ((label.isalpha() and len(label) >= 2) or label.isdigit()):
        return True
    return host == "localhost" or ("://" in url and bool(host) and len(tail.strip("/")) > 0)


@recognizer("url", "URL", languages=ALL_LANGUAGES)
def find_urls(text: str) -> Iterator[Span]:
    for m in URL.finditer(text):
        end = _trim_url(text, m.start(), m.end())
        if end - m.start() > 7 and _names_a_host(text[m.start() : end]):
            yield Span(m.start(), end, "URL", 0.9, "pattern")
    if "." in text:
        for m in DOMAIN.finditer(text):
            end = _trim_url(text, m.start(), m.end())
            yield Span(m.start(), end, "URL", 0.75, "pattern")



def _is_valid_phone(raw: str) -> bool:
    try:
        region = None if raw.startswith("+") else "US"
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def _balanced_length(raw: str) -> int:
    """Length of the longest prefix of a phone match with no unbalanced bracket: a ``)`` that
    closes nothing ("412-67-3390)") and a ``(`` left open are the sentence's, not the number's;
    the separators left before the cut go too."""
    depth, cut, last_open = 0, len(raw), -1
    for i, ch in enumerate(raw):
        if ch == "(":
            depth, last_open = depth + 1, i
        elif ch == ")":
            if depth == 0:
                cut = i
                break
            depth -= 1
    if depth > 0 and cut == len(raw):
        cut = last_open
    return len(raw[:cut].rstrip(" \t.-"))


@recognizer("phone", "PHONE_NUMBER")
def find_phones(text: str) -> Iterator[Span]:
    if not has_digit(text):
        return  # every pattern below needs a digit
    for m in PHONE.finditer(text):
        start = m.start()
        raw = m.group()[: _balanced_length(m.group())]
        end = start + len(raw)
        if not raw:
            continue
        ext = EXT_SUFFIX.search(raw)
        main = raw[: ext.start()] if ext else raw
        n = len(digits(main))
        if n < 7 or n > 15:
            continue
        separated = any(ch in raw for ch in " .-()\t") or raw.startswith("+")
        # a bare run of digits is a phone only with a cue, and 13+ digits is an id, not a phone
        if not separated and (n > 12 or not cue_before(text, start, PHONE_CUE, 40)):
            continue
        groups = [g for g in re.split(r"[ \t.()\-+]+", main) if g]
        if "." in main and not main.startswith("+") and len(groups) == 3 and all(len(g) <= 2 for g in groups[:2]):
            continue  # 12.05.2020-like dates
        cue = cue_near(text, start, end, PHONE_CUE, 40)
        valid = _is_valid_phone(main)
        if valid and cue:
            score = 0.95
        elif valid or (cue and n >= 7) or ext is not None:
            score = 0.85
        elif n >= 9 and len(groups) >= 2 and not all(len(g) == 4 for g in groups):
            score = 0.7
        elif n >= 8 and len(groups) >= 3 and all(2 <= len(g) <= 3 for g in groups):
            score = 0.6
        else:
            continue
        yield Span(start, end, "PHONE_NUMBER", score, "pattern")
    if "x" in text.lower():
        for m in EXTENSION.finditer(text):
            if cue_before(text, m.start(), EXT_CUE, 80):
                yield Span(m.start(), m.end(), "PHONE_NUMBER", 0.8, "context")
