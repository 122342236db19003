"""Fixtures of the reliability tests."""

from __future__ import annotations

from typing import Iterator

import pytest

from ._scripted import ScriptServer


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    """A scripted HTTP server on 127.0.0.1 (see ``_scripted.py``)."""
    scripted = ScriptServer()
    try:
        yield scripted
    finally:
        scripted.close()
