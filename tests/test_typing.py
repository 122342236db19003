"""Types hold in users' code: mypy --strict on user-style scripts, outside the repository.

The scripts of tests/typing/ and every Python example of README.rst and docs/
are copied to a temporary directory and checked there, so ``tiktok`` resolves
the way it does in a user's project: through the installed package (README:
``pip install -e ".[test]"``), not through the repository being the working
directory. A page's examples (``python`` blocks, and the code of ``pycon``
ones) make one script, in order, as they run in tests/docs/test_examples.py:
later blocks use what earlier ones defined. mypy runs once, over all of them.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from tests.docs.test_examples import TEST_FILE, Block, doc_pages, extract_blocks

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "typing"

# What the examples take as given (docs/quickstart.rst names them), where a page does not
# define the name itself.
PRELUDE = {
    "client": "client: tiktok.Client\n",
    "sandbox": "sandbox: tiktok.sandbox.Sandbox\n",
    "my_signer": "my_signer: tiktok.sandbox.SandboxSigner\n",  # in CI it is the sandbox's
}

# A user's mistakes that must be reported (proves the checker sees our types, not Any).
MISTAKES = """\
import tiktok

tiktok.Tag(begin="0")
tiktok.Post(aweme_idd="1")
count: str = tiktok.User().follower_count
"""


def example_code(block: Block) -> Optional[str]:
    """What a reader copies from ``block``: its code (a pycon block's without prompts)."""
    if block.skipped or (block.caption and TEST_FILE.match(block.caption)):
        return None  # not run; a test file is checked by the pytest run it makes
    if block.language == "python":
        return block.code
    if block.language == "pycon":
        return "".join(
            example.source for example in doctest.DocTestParser().get_examples(block.code)
        )
    return None


def docs_scripts() -> Dict[str, str]:
    """Each page's examples as one script, with the names they assume declared."""
    scripts = {}
    for page in doc_pages():
        parts = []
        for block in extract_blocks(page.read_text(), page):
            code = example_code(block)
            if code is not None:
                parts.append(f"# {page.name}:{block.lineno}\n{code}")
        if not parts:
            continue
        code = "\n".join(parts)
        head = "from __future__ import annotations\n\nimport tiktok\nimport tiktok.sandbox\n"
        for name, declaration in PRELUDE.items():
            defined = rf"^(def {name}\b|{name} = |with .* as {name}:)"
            if not re.search(defined, code, re.MULTILINE):
                head += declaration
        scripts[f"docs_{page.stem.lower()}.py"] = head + "\n" + code
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


def test_the_docs_have_python_examples_to_check() -> None:
    scripts = docs_scripts()
    assert len(scripts) >= 12 and {"docs_readme.py", "docs_quickstart.py"} <= set(scripts)
    assert "client.users.posts" in scripts["docs_quickstart.py"]


@pytest.mark.slow
def test_user_scripts_and_docs_examples_pass_mypy_strict(tmp_path: Path) -> None:
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
    for name, code in docs_scripts().items():
        (tmp_path / name).write_text(code)
        files.append(name)
    (tmp_path / "mistakes.py").write_text(MISTAKES)
    result = run_mypy(tmp_path, [*files, "mistakes.py"])
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    good = [line for line in errors if not line.startswith("mistakes.py")]
    assert not good, "mypy --strict errors in users' code:\n" + "\n".join(good)
    # The mistakes are caught, each as what it is: the package resolved, with real types.
    mistakes = [line for line in errors if line.startswith("mistakes.py")]
    codes = sorted(re.findall(r"\[([\w-]+)\]$", line)[0] for line in mistakes)
    assert codes == ["arg-type", "assignment", "call-arg"], result.stdout
