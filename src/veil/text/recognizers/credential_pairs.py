"""A user name and a password written as a pair: "login: jsmith / Tr0ub4dor!", "creds
admin:S3cret#", "user/pass: ana.r / hunter22". The part after the ``/`` or ``:`` is the
``PASSWORD`` (the user name is also reported, as ``USERNAME``).

The pair needs a login cue before it, and the password part must look like a credential
(a digit, a symbol or an inner capital), so "login: yes/no" or "account: open/closed" stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

PAIR = re.compile(
    r"(?i)\b(?:log[- ]?in(?:\s+(?:details|credentials|info))?|credentials?|creds|user(?:\s?name)?(?:\s*/\s*pass(?:word)?)?|"
    r"account|sign[- ]?in|ssh|ftp|wi-?fi|admin(?:\s+account)?|u/p|user:pass)"
    r"(?:\s+(?:is|are|was|were))?\s*[:=]?\s*"
    r"(?P<user>[A-Za-z0-9][\w.@+-]{1,63})[ \t]*(?P<sep>/|:)[ \t]*(?P<password>[^\s/\"'”]{3,64})"
)
PASSWORD_THEN = re.compile(
    r"(?i)\b(?:password|passwd|pwd|passcode|pin)\s*(?:/|or|and)\s*(?:pin|code|passcode|password)\s*"
    r"(?:is|:|=)?\s*(?P<password>[^\s\"'”]{3,64})"
)
CREDENTIAL_LIKE = re.compile(r"\d|[^\w\s]|[a-z][A-Z]")
TRAILING = ".,;:)]}"  # "!" and "?" are kept: they end passwords as often as sentences


def _end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return end


@recognizer("credential_pair", "USERNAME", "PASSWORD")
def find_credential_pairs(text: str) -> Iterator[Span]:
    if "/" in text or ":" in text:
        for m in PAIR.finditer(text):
            start = m.start("password")
            end = _end(text, start, m.end("password"))
            value = text[start:end]
            if len(value) < 3 or not CREDENTIAL_LIKE.search(value) or value.startswith("//"):
                continue
            yield Span(m.start("user"), m.end("user"), "USERNAME", 0.85, "context")
            yield Span(start, end, "PASSWORD", 0.9, "context")
    for m in PASSWORD_THEN.finditer(text):
        start = m.start("password")
        end = _end(text, start, m.end("password"))
        if end - start >= 3:
            yield Span(start, end, "PASSWORD", 0.85, "context")
