"""Object storage over fsspec: a local directory by default, ``s3://bucket/prefix`` in production.

Keys are relative, slash-separated names (``jobs/<id>/result.csv``). Writes go to a
temporary name and are moved into place, so a crash or a cancelled job never leaves a
half-written object under its final key.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import uuid
from collections.abc import Iterable, Iterator
from typing import IO, Any

import fsspec

from veil.errors import InvalidInputError, NotFoundError


class ObjectStore:
    def __init__(self, root: str, storage_options: dict[str, Any] | None = None) -> None:
        self.root = root.rstrip("/")
        self.storage_options = dict(storage_options or {})
        self.fs, self._base = fsspec.core.url_to_fs(self.root, **self.storage_options)
        self.is_local = "file" in (
            self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        )
        if self.is_local:
            os.makedirs(self._base, exist_ok=True)

    # --- names
    def _path(self, key: str) -> str:
        clean = posixpath.normpath("/" + key.replace("\\", "/")).lstrip("/")
        if not clean or clean.startswith(".."):
            raise InvalidInputError("invalid object key", field="key")
        return f"{self._base}/{clean}"

    def uri(self, key: str) -> str:
        """The full URI of a key (for result_path fields)."""
        path = self._path(key)
        if self.is_local:
            return path
        protocol = self.fs.protocol[0] if isinstance(self.fs.protocol, tuple) else self.fs.protocol
        return f"{protocol}://{path}"

    # --- reads
    def exists(self, key: str) -> bool:
        return bool(self.fs.exists(self._path(key)))

    def get(self, key: str) -> bytes:
        try:
            return bytes(self.fs.cat_file(self._path(key)))
        except FileNotFoundError:
            raise NotFoundError(f"object '{key}' not found", field="key") from None

    def open(self, key: str, mode: str = "rb") -> IO[Any]:
        if "w" in mode or "a" in mode:
            raise ValueError("use writer() to write objects")
        try:
            return self.fs.open(self._path(key), mode)  # type: ignore[no-any-return]
        except FileNotFoundError:
            raise NotFoundError(f"object '{key}' not found", field="key") from None

    def size(self, key: str) -> int:
        return int(self.fs.size(self._path(key)))

    def list(self, prefix: str = "") -> list[str]:
        base = self._path(prefix) if prefix else self._base
        try:
            found = self.fs.find(base)
        except FileNotFoundError:
            return []
        out = []
        for p in found:
            rel = p[len(self._base) :].lstrip("/") if p.startswith(self._base) else p
            if not rel.endswith(".part") and ".tmp-" not in rel:
                out.append(rel)
        return sorted(out)

    # --- writes
    def put(self, key: str, data: bytes) -> str:
        with self.writer(key) as fh:
            fh.write(data)
        return key

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        """Write an iterable of byte chunks; returns the number of bytes written."""
        total = 0
        with self.writer(key) as fh:
            for chunk in chunks:
                fh.write(chunk)
                total += len(chunk)
        return total

    @contextlib.contextmanager
    def writer(self, key: str) -> Iterator[IO[bytes]]:
        """Write to a temporary name; move into place only if the block succeeds."""
        final = self._path(key)
        tmp = f"{final}.tmp-{uuid.uuid4().hex}"
        if self.is_local:
            os.makedirs(os.path.dirname(final), exist_ok=True)
        fh = self.fs.open(tmp, "wb")
        try:
            yield fh
            fh.close()
            self.fs.mv(tmp, final)
        except BaseException:
            with contextlib.suppress(Exception):
                fh.close()
            with contextlib.suppress(Exception):
                self.fs.rm(tmp)
            raise

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(self._path(key))

    def delete_prefix(self, prefix: str) -> None:
        path = self._path(prefix)
        with contextlib.suppress(FileNotFoundError):
            if self.fs.exists(path):
                self.fs.rm(path, recursive=True)

    def ping(self) -> bool:
        try:
            probe = f".health/{uuid.uuid4().hex}"
            self.put(probe, b"ok")
            ok = self.get(probe) == b"ok"
            self.delete(probe)
            return ok
        except Exception:
            return False
