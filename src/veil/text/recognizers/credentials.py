"""User names and passwords, found from their context ("my password is: ...")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import recognizer
from veil.text.spans import Span

PASSWORD = re.compile(
    r"(?i)\b(?:password|passwd|pwd|passcode|pass code|passphrase|pin(?: code| number)?)\b"
    r"(?P<sep>(?:\s+(?:is|was|will be|=|:)|\s*[:=])*)\s*[\"'“]?(?P<value>[^\s\"'”]{3,64})"
)
USERNAME = re.compile(
    r"(?i)\b(?:user\s?name|user\s?id|login(?: name| id)?|handle|screen\s?name|account name|nickname|gamertag)\b"
    r"(?P<sep>(?:\s+(?:is|was|=|:)|\s*[:=])*)\s*[\"'“]?(?P<value>@?[\w.@+-]{2,64})"
)
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
NOT_A_VALUE = {
    "a", "an", "the", "my", "your", "his", "her", "our", "their", "not", "too", "very", "wrong", "incorrect",
    "invalid", "expired", "reset", "changed", "same", "different", "correct", "required", "missing", "empty",
    "blank", "still", "also", "now", "being", "here", "there", "this", "that", "it", "and", "or", "please",
}
TRAILING = ".,;:!?)]}"
LOOKS_LIKE_CREDENTIAL = re.compile(r"\d|[^\w\s]|\w[A-Z]")


def _value_span(m: re.Match[str]) -> tuple[int, int] | None:
    start, end = m.start("value"), m.end("value")
    value = m.group("value")
    while value and value[-1] in TRAILING:
        value = value[:-1]
        end -= 1
    if len(value) < 3 or value.lower() in NOT_A_VALUE:
        return None
    if not m.group("sep").strip() and not LOOKS_LIKE_CREDENTIAL.search(value):
        return None  # "password reset", "username field": without "is"/":" only credential-like values
    return start, end


@recognizer("password", "PASSWORD")
def find_passwords(text: str) -> Iterator[Span]:
    for m in PASSWORD.finditer(text):
        span = _value_span(m)
        if span is not None:
            yield Span(span[0], span[1], "PASSWORD", 0.9, "context")


@recognizer("username", "USERNAME")
def find_usernames(text: str) -> Iterator[Span]:
    for m in USERNAME.finditer(text):
        span = _value_span(m)
        if span is not None:
            yield Span(span[0], span[1], "USERNAME", 0.9, "context")
    if "@" in text:
        for m in HANDLE.finditer(text):
            yield Span(m.start(), m.end(), "USERNAME", 0.7, "pattern")
