"""Readers over byte streams shared by uploads and job results."""

from __future__ import annotations

import io
from typing import IO, Any


class PrefixedReader(io.RawIOBase):
    """A read-only stream: ``head`` (bytes already read from ``fh``) then the rest of ``fh``,
    so a format sniffed from the first bytes can be read from the start without seeking."""

    def __init__(self, head: bytes, fh: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._fh = fh

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._fh.read(len(b))
        b[: len(data)] = data
        return len(data)
