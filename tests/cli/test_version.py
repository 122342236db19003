from __future__ import annotations

import tiktok

from .conftest import run_cli


def test_version_prints_the_package_version() -> None:
    run = run_cli("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"tiktok {tiktok.__version__}"
