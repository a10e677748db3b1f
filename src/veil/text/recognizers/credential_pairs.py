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
# short field labels of a credentials line ("user: ana.r / pass: x7!Kq"): "pass" and "user" are
# too common as words to be cues on their own, so they need the colon or equals sign
FIELD = re.compile(
    r"(?i)(?<![\w])(?P<field>user|usr|u|pass|pw|pwd|p)\s*[:=]\s*(?P<value>[^\s/\"'”;,]{2,64})"
)
CREDENTIAL_LIKE = re.compile(r"\d|[^\w\s]|[a-z][A-Z]")
TRAILING = ".,;:)]}"  # "!" and "?" are kept: they end passwords as often as sentences


def _credentials_line(text: str, pos: int) -> bool:
    """A one-letter field label ("u:", "p:") counts only on a line that has both."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)].lower()
    return bool(re.search(r"(?<![\w])u\s*[:=]", line) and re.search(r"(?<![\w])p\s*[:=]", line))


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
    if ":" in text or "=" in text:
        for m in FIELD.finditer(text):
            start = m.start("value")
            end = _end(text, start, m.end("value"))
            field = m.group("field").lower()
            if end - start < 2 or (field in ("u", "p") and not _credentials_line(text, m.start())):
                continue
            label = "USERNAME" if field.startswith("u") else "PASSWORD"
            yield Span(start, end, label, 0.85, "context")
    for m in PASSWORD_THEN.finditer(text):
        start = m.start("password")
        end = _end(text, start, m.end("password"))
        if end - start >= 3:
            yield Span(start, end, "PASSWORD", 0.85, "context")
