"""Structured logging with scrubbing.

Every record is one JSON object (or a console line). Values of secret-bearing parameters
(``key``, ``key1``, ``key2``, ``secret``, ``api_key``, ``password``, ``token``,
``Authorization``) are replaced by ``***`` wherever they appear in a message (query
strings, headers, ``name=value``, JSON); request and response bodies are never logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

SECRET_NAMES = (
    "key",
    "key1",
    "key2",
    "secret",
    "api_key",
    "apikey",
    "x-api-key",
    "password",
    "token",
    "authorization",
    "master_key",
)
_NAMES = "|".join(re.escape(n) for n in sorted(SECRET_NAMES, key=len, reverse=True))
_PATTERNS = [
    # query strings and form bodies: key1=abc&...
    re.compile(rf"(?i)(?<![A-Za-z0-9_])({_NAMES})=([^&\s\"']+)"),
    # JSON: "secret": "abc"
    re.compile(rf"(?i)(\"(?:{_NAMES})\"\s*:\s*)\"[^\"]*\""),
    # headers: Authorization: Bearer abc / X-API-Key: abc
    re.compile(r"(?i)(authorization|x-api-key)(\s*[:=]\s*)(bearer\s+)?\S+"),
    re.compile(r"veil_[A-Za-z0-9_\-]{20,}"),
]


def scrub(text: str) -> str:
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}=***", text)
    text = _PATTERNS[1].sub(lambda m: f'{m.group(1)}"***"', text)
    text = _PATTERNS[2].sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}***", text)
    return _PATTERNS[3].sub("veil_***", text)


_STD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "color_message"}


class ScrubbingFormatter(logging.Formatter):
    def __init__(self, fmt: str = "json") -> None:
        super().__init__()
        self.fmt = fmt

    def format(self, record: logging.LogRecord) -> str:
        message = scrub(record.getMessage())
        extra = {k: v for k, v in record.__dict__.items() if k not in _STD_ATTRS and not k.startswith("_")}
        if self.fmt == "console":
            line = f"{datetime.now(UTC).strftime('%H:%M:%S')} {record.levelname:<7} {record.name}: {message}"
            if record.exc_info:
                line += "\n" + scrub(self.formatException(record.exc_info))
            return line
        payload: dict[str, Any] = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": message,
        }
        for k, v in extra.items():
            payload[k] = scrub(v) if isinstance(v, str) else v
        if record.exc_info:
            payload["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(payload, default=str)


def configure_logging(level: str = "INFO", fmt: str = "json") -> dict[str, Any]:
    """Configure the root and uvicorn loggers; returns a uvicorn ``log_config`` dict."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ScrubbingFormatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"veil": {"()": "veil.logs.ScrubbingFormatter", "fmt": fmt}},
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "veil", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            # our access log (veil.access) replaces uvicorn's, which would print query strings
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
