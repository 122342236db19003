"""Fixtures of the reliability tests."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, Dict, Iterator

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


# The figures the property and soak tests count, by module and counter name. Under
# pytest-xdist each worker counts its own share; the workers hand theirs over
# (xdist's ``workeroutput``) and the summary adds them up.
COUNTERS = {
    "test_hostile_bodies": ("TRIED", "OUTCOMES"),
    "test_hostile_headers": ("TRIED", "HEADER_OUTCOMES"),
    "test_hostile_config": ("CONFIG_OUTCOMES",),
    "test_soak": ("FIGURES",),
}
FROM_WORKERS = "reliability figures"
counted: Dict[str, Dict[str, Any]] = {}


def own_figures() -> Dict[str, Dict[str, Any]]:
    """This process's counters, as plain dicts (module.NAME -> counts)."""
    figures = {}
    for module_name, names in COUNTERS.items():
        module = sys.modules.get(f"{__package__}.{module_name}")
        for name in names:
            figures[f"{module_name}.{name}"] = dict(getattr(module, name, None) or {})
    return figures


def add(figures: Dict[str, Dict[str, Any]]) -> None:
    for key, counts in figures.items():
        total = counted.setdefault(key, {})
        for what, value in counts.items():
            # Counts add up; the soak's figures (one dict per signing) are kept as they are.
            total[what] = total.get(what, 0) + value if isinstance(value, int) else value


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker
        workeroutput[FROM_WORKERS] = own_figures()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    add(getattr(node, "workeroutput", {}).get(FROM_WORKERS, {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how many hostile inputs the property tests tried (see test_hostile_*)."""
    add(own_figures())
    write = terminalreporter.write_line
    tried, outcomes = counted["test_hostile_bodies.TRIED"], counted["test_hostile_bodies.OUTCOMES"]
    if tried:
        write(
            f"hostile bodies tried: {sum(tried.values())} over {len(tried)} calls; "
            f"outcomes: {dict(Counter(outcomes).most_common())}"
        )
    tried, outcomes = (
        counted["test_hostile_headers.TRIED"],
        counted["test_hostile_headers.HEADER_OUTCOMES"],
    )
    if tried:
        write(
            f"hostile status lines and headers tried: {sum(tried.values())}; "
            f"outcomes: {dict(Counter(outcomes).most_common())}"
        )
    if counted["test_hostile_config.CONFIG_OUTCOMES"]:
        write(f"random client configurations: {counted['test_hostile_config.CONFIG_OUTCOMES']}")
    if counted["test_soak.FIGURES"]:
        write(f"soak figures: {counted['test_soak.FIGURES']}")
