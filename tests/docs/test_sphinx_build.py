"""The docs gate under pytest: ``sphinx-build -W`` (warnings are errors) must pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.slow
def test_sphinx_build_has_no_warnings(tmp_path: Path) -> None:
    pytest.importorskip("sphinx", reason="sphinx is not installed: pip install -e '.[dev]'")
    pytest.importorskip("furo", reason="the furo theme is not installed: pip install -e '.[dev]'")
    command = [
        sys.executable, "-m", "sphinx",
        "-W", "--keep-going", "-q", "-b", "html",
        "-d", str(tmp_path / "doctrees"),
        str(DOCS), str(tmp_path / "html"),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"sphinx-build -W failed:\n{result.stderr}"
    assert (tmp_path / "html" / "api.html").is_file()
