"""A sandbox for crawl tests, and the environment a ``tiktok crawl`` subprocess needs for it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterator

import pytest

from tiktok.sandbox import Sandbox, sandbox_device

REPO = Path(__file__).resolve().parents[2]
SANDBOX_SIGNER = "tiktok.sandbox:SandboxSigner"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def cli_env(sandbox: Sandbox) -> Dict[str, str]:
    """A ``tiktok`` subprocess's environment pointing at ``sandbox``."""
    device = sandbox_device()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKTOK_")}
    env.update(
        PYTHONIOENCODING="utf-8",
        TIKTOK_BASE_URL=sandbox.url,
        TIKTOK_SIGNER=SANDBOX_SIGNER,
        TIKTOK_DEVICE_ID=device.device_id,
        TIKTOK_IID=device.iid,
        TIKTOK_OPENUDID=device.openudid,
        TIKTOK_FP=device.fp,
    )
    return env
