"""Helpers to run the real clkhash releases (test-only peers in their own virtual environments)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("clkhash_driver.py")
PEERS = {"two-key": ROOT / ".peers" / "clkhash014", "secret": ROOT / ".peers" / "clkhash0183"}


def peer_python(mode: str) -> Path:
    env = PEERS[mode]
    python = env / "bin" / "python"
    if not python.exists():
        pytest.skip(f"peer environment {env} is missing (run `make peers`)")
    return python


def run_clkhash(mode: str, jobs: list[dict[str, Any]]) -> list[list[str | None]]:
    """Hash each job's rows with the real clkhash; None marks a row clkhash rejects."""
    for _attempt in range(2):  # one retry: a loaded CI machine can kill a subprocess
        proc = subprocess.run(
            [str(peer_python(mode)), str(DRIVER)],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode == 0:
            return json.loads(proc.stdout)  # type: ignore[no-any-return]
    raise AssertionError(f"clkhash driver failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
