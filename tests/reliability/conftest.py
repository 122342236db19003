"""Fixtures of the reliability tests."""

from __future__ import annotations

import sys
from typing import Any, Iterator

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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how many hostile bodies the property tests tried (see test_hostile_bodies)."""
    module = sys.modules.get(f"{__package__}.test_hostile_bodies")
    tried = getattr(module, "TRIED", None)
    if tried:
        terminalreporter.write_line(
            f"hostile bodies tried: {sum(tried.values())} over {len(tried)} calls; "
            f"outcomes: {dict(module.OUTCOMES.most_common())}"  # type: ignore[union-attr]
        )
    headers = sys.modules.get(f"{__package__}.test_hostile_headers")
    if headers is not None and getattr(headers, "TRIED", None):
        terminalreporter.write_line(
            f"hostile status lines and headers tried: {sum(headers.TRIED.values())}; "  # type: ignore[attr-defined]
            f"outcomes: {dict(headers.HEADER_OUTCOMES.most_common())}"  # type: ignore[attr-defined]
        )
    configs = getattr(
        sys.modules.get(f"{__package__}.test_hostile_config"), "CONFIG_OUTCOMES", None
    )
    if configs:
        terminalreporter.write_line(f"random client configurations: {dict(configs)}")
    soak = getattr(sys.modules.get(f"{__package__}.test_soak"), "FIGURES", None)
    if soak:
        terminalreporter.write_line(f"soak figures: {soak}")
