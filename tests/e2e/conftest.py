"""End-to-end fixtures: a real sandbox on a loopback socket and clients of the public API."""

from __future__ import annotations

from typing import Iterator

import pytest

import tiktok
from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    """A fresh sandbox per test module: writes of one module never leak into another."""
    with Sandbox(seed=0) as sandbox:
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
