from __future__ import annotations

import pytest

from veil.text import TextDeidentifier


@pytest.fixture(scope="session")
def engine() -> TextDeidentifier:
    return TextDeidentifier()
