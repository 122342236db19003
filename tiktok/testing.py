"""Pytest fixtures for testing your own code against the tiktok sandbox.

Installing ``tiktok`` registers this module with pytest (entry point
``pytest11``), so these fixtures are available in every test without an
import. pytest loads it in every run of every project where tiktok is
installed: it imports nothing of the client or of ``requests`` until a test
uses a fixture.

``tiktok_sandbox``
    A :class:`tiktok.sandbox.Sandbox` running on ``127.0.0.1`` (a free port),
    seed 0, no injected faults. Session-scoped: it starts the first time a test
    asks for it and stops when the test run ends. ``tiktok_sandbox.url`` is its
    base URL; ``tiktok_sandbox.client(**kwargs)`` makes a client signed for it.

``tiktok_client``
    A fresh :class:`tiktok.Client` on that sandbox, already logged in as the
    sandbox account (``tiktok.sandbox.SANDBOX_EMAIL``), so calls that need a
    session (comments, likes, follows, live) work. Function-scoped and closed
    after the test.

Example, in your project's ``tests/test_report.py``::

    from tiktok.sandbox import BIG_USER_ID

    from myproject.report import top_posts  # your code, taking a tiktok.Client


    def test_top_posts_reads_three_pages(tiktok_client):
        posts = top_posts(tiktok_client, BIG_USER_ID, pages=3)
        assert len(posts) == 60


    def test_my_code_against_a_raw_url(tiktok_sandbox):
        # For code that builds its own client: point it at the sandbox.
        client = tiktok_sandbox.client(timeout=2.0)
        assert client.users.get(BIG_USER_ID).follower_count >= 250_000

The sandbox's world is deterministic for a seed, but writes are real and the
sandbox lives for the whole session: a comment or follow made in one test is
visible to the next. Tests that need a pristine world, another seed or fault
injection can start their own, e.g. ``with Sandbox(seed=1, fault_rate=0.2) as sb:``
inside the test (it binds a free port and starts in milliseconds).

Nothing starts unless a test uses one of these fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:  # imported in the fixtures: pytest loads this plugin in every run
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
