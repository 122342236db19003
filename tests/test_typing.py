"""Types hold in users' code: mypy --strict on user-style scripts, outside the repository.

The scripts of tests/typing/ and every Python example of README.rst are copied
to a temporary directory and checked there, so ``tiktok`` resolves the way it
does in a user's project: through the installed package (README: ``pip install
-e ".[test]"``), not through the repository being the working directory.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Dict, List

import pytest

from tests.docs.test_examples import extract_blocks

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "typing"
README = ROOT / "README.rst"

# What the README's examples take as given (docs/quickstart.rst names them).
PRELUDE = {
    "client": "client: tiktok.Client\n",
    "my_signer": ("def my_signer(url: str, ts: int, device_id: str) -> str:\n    return url\n"),
}

# A user's mistakes that must be reported (proves the checker sees our types, not Any).
MISTAKES = """\
import tiktok

tiktok.Tag(begin="0")
tiktok.Post(aweme_idd="1")
count: str = tiktok.User().follower_count
"""


def readme_scripts() -> Dict[str, str]:
    """Each Python block of README.rst as a script, with the names it assumes declared."""
    scripts = {}
    for number, block in enumerate(extract_blocks(README.read_text(), README)):
        if block.language != "python":
            continue
        head = "from __future__ import annotations\n\nimport tiktok\n"
        for name, declaration in PRELUDE.items():
            if not re.search(rf"^(def {name}\b|{name} = )", block.code, re.MULTILINE):
                head += declaration
        scripts[f"readme_{number}.py"] = head + "\n" + block.code
    return scripts


def installed_with_an_import_hook() -> bool:
    # setuptools' editable finder (a .pth that imports a hook): type checkers cannot follow it.
    site = Path(sysconfig.get_paths()["purelib"])
    return any(site.glob("__editable___tiktok_*_finder.py"))


def run_mypy(directory: Path, files: List[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(directory / ".cache"),
            *files,
        ],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_readme_has_python_examples_to_check() -> None:
    scripts = readme_scripts()
    assert len(scripts) >= 3
    assert any("client.users.posts" in code for code in scripts.values())


@pytest.mark.slow
def test_user_scripts_and_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[dev]')")
    if installed_with_an_import_hook():
        pytest.skip(
            "tiktok is installed through an import hook (an editable install made before "
            "setup.cfg set package_dir): reinstall with pip install -e '.[dev]'"
        )
    files = []
    for script in sorted(SCRIPTS.glob("*.py")):
        if script.name != "__init__.py":
            (tmp_path / script.name).write_text(script.read_text())
            files.append(script.name)
    for name, code in readme_scripts().items():
        (tmp_path / name).write_text(code)
        files.append(name)
    (tmp_path / "mistakes.py").write_text(MISTAKES)
    result = run_mypy(tmp_path, [*files, "mistakes.py"])
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    good = [line for line in errors if not line.startswith("mistakes.py")]
    assert not good, "mypy --strict errors in users' code:\n" + "\n".join(good)
    # The mistakes are caught, each as what it is: the package resolved, with real types.
    codes = sorted(re.findall(r"\[([\w-]+)\]$", line)[0] for line in errors)
    assert codes == ["arg-type", "assignment", "call-arg"], result.stdout
