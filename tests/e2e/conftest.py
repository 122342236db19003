"""End-to-end fixtures: a real sandbox on a loopback socket and clients of the public API.

Every test here runs in both signing modes of docs/protocol.rst (Request signing): URL
signatures (``as``/``cp``/``mas``) and header signatures (``X-Gorgon`` and friends).
A test that starts a sandbox of its own passes ``signing=signing``.
"""

from __future__ import annotations

from typing import Iterator

import pytest

import tiktok
from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

SIGNING_MODES = ("url", "headers")


@pytest.fixture(scope="module", params=SIGNING_MODES)
def signing(request: pytest.FixtureRequest) -> str:
    """The sandbox's signing mode; ``sb.client()`` picks the signer of that mode."""
    mode: str = request.param
    return mode


@pytest.fixture(scope="module")
def sb(signing: str) -> Iterator[Sandbox]:
    """A fresh sandbox per test module and mode: writes of one module never leak into another."""
    with Sandbox(seed=0, signing=signing) as sandbox:
        yield sandbox


@pytest.fixture
def guest(sb: Sandbox) -> Iterator[tiktok.Client]:
    """A client that has not logged in."""
    with sb.client() as client:
        yield client


@pytest.fixture
def account(sb: Sandbox) -> Iterator[tiktok.Client]:
    """A client logged in as the sandbox account."""
    with sb.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        yield client
