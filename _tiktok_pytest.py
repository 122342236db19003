"""The ``pytest11`` entry point of ``tiktok``: the fixtures of :mod:`tiktok.testing`.

pytest imports every installed plugin in every run of every project. This
module is outside the ``tiktok`` package so that loading it imports nothing of
``tiktok`` (nor ``requests``): the sandbox and the client are imported inside
the fixtures, when a test first uses one. :mod:`tiktok.testing` documents the
fixtures and re-exports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:  # imported lazily: pytest loads this plugin in every run
    from tiktok.client import Client
    from tiktok.sandbox import Sandbox

__all__ = ["tiktok_client", "tiktok_sandbox"]


@pytest.fixture(scope="session")
def tiktok_sandbox() -> Iterator[Sandbox]:
    """A running sandbox (seed 0, no faults) shared by the whole test session."""
    from tiktok.sandbox import Sandbox

    with Sandbox(seed=0, fault_rate=0.0) as sandbox:
        yield sandbox


@pytest.fixture
def tiktok_client(tiktok_sandbox: Sandbox) -> Iterator[Client]:
    """A new client on the sandbox, logged in as the sandbox account; closed after the test."""
    from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD

    client = tiktok_sandbox.client()
    try:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        yield client
    finally:
        client.close()
