"""Run every example in docs/*.rst and README.rst against the sandbox, so a doc that rots fails.

Blocks collected:

- ``.. code-block:: python``: executed as a script; with a ``:caption:`` that
  names a test file (``test_*.py``) it is written to that file and run by
  pytest in a subprocess (the ``tiktok.testing`` plugin loads from the
  installed package), which must pass;
- ``.. code-block:: pycon``: run as a doctest, the printed output checked
  (``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` on);
- ``.. code-block:: console`` whose first command is ``tiktok ...``: each
  ``$ command`` runs in bash (``tiktok`` is ``python -m tiktok``), must exit 0,
  and prints stdout then stderr as shown under it (when something is shown).
  Other console blocks (``pip install``...) are shown only.

The blocks of one page run in order in one namespace, on a fresh sandbox
(seed 0), in a temporary working directory. The namespace starts with the names
the guide says its examples assume (see docs/quickstart.rst):

- ``tiktok``: the package;
- ``sandbox``: the running :class:`tiktok.sandbox.Sandbox`;
- ``client``: a client on it, logged in as the sandbox account;
- ``my_signer``: stands for the reader's own signer (here the sandbox's).

These four names are bound again before every block, so a block that makes its
own ``with Sandbox() as sandbox: client = ...`` does not leave the next block a
stopped one.

A block that cannot run (it needs a real device or signer) is preceded by the
reST comment ``.. skip: next``; such blocks are counted and kept few.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RUNNABLE = {"python", "pycon", "console"}
# Languages that are never run.
NOT_PYTHON = {"text", "shell", "bash", "sh", "javascript", "js", "json", "ini", "toml"}
SKIP_COMMENT = ".. skip: next"
MAX_SKIPPED = 6
# Where the fixture keeps the names every block starts with.
RESERVED = "__docs_reserved__"

DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$")
CAPTION = re.compile(r"^\s*:caption:\s*(?P<caption>.+?)\s*$")
TEST_FILE = re.compile(r"^test_\w+\.py$")
CHECK_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class Block(NamedTuple):
    path: Path
    lineno: int  # 1-based line of the first line of code
    language: str
    code: str
    skipped: bool
    caption: Optional[str] = None

    @property
    def runs(self) -> bool:
        """Whether the test runs this block (console: only ``tiktok`` sessions)."""
        if self.skipped or self.language not in RUNNABLE:
            return False
        if self.language == "console":
            commands = console_commands(self.code)
            return bool(commands) and commands[0][0].startswith("tiktok ")
        return True


def extract_blocks(text: str, path: Path) -> List[Block]:
    """Every code block of a reST text, with its language, first line and skip mark."""
    lines = text.splitlines()
    blocks: List[Block] = []
    skip_next = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() == SKIP_COMMENT:
            skip_next = True
            index += 1
            continue
        match = DIRECTIVE.match(line)
        if not match:
            if line.strip() and skip_next and not line.lstrip().startswith(".."):
                raise ValueError(f"{path}:{index + 1}: '{SKIP_COMMENT}' is not before a block")
            index += 1
            continue
        indent = len(match["indent"])
        index += 1
        # Options (":caption: ...") directly under the directive.
        caption = None
        while index < len(lines) and lines[index].strip().startswith(":"):
            if option := CAPTION.match(lines[index]):
                caption = option["caption"]
            index += 1
        body: List[str] = []
        first = None
        while index < len(lines):
            current = lines[index]
            if current.strip() and len(current) - len(current.lstrip()) <= indent:
                break
            if first is None and current.strip():
                first = index + 1
            body.append(current)
            index += 1
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        blocks.append(Block(path, first or index, match["lang"], code, skip_next, caption))
        skip_next = False
    return blocks


def doc_pages() -> List[Path]:
    return [*sorted(DOCS.glob("*.rst")), ROOT / "README.rst"]


def all_blocks() -> List[Block]:
    return [block for page in doc_pages() for block in extract_blocks(page.read_text(), page)]


def runnable_pages() -> List[Path]:
    return sorted({b.path for b in all_blocks() if b.runs})


def console_commands(code: str) -> List[Tuple[str, str]]:
    """``(command, expected output)`` pairs of a console session (``$ `` prompts)."""
    commands: List[Tuple[str, List[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return [(command, "\n".join(output).strip()) for command, output in commands]


# -- the extractor itself ------------------------------------------------------

SAMPLE = """\
Title
=====

.. code-block:: python
   :caption: first

   x = 1
   if x:
       y = 2

Text.

.. skip: next

.. code-block:: python

   needs_a_real_phone()

.. code-block:: pycon

   >>> x + y
   3

.. code-block:: text

   not python
"""


def test_extractor_finds_blocks_lines_languages_and_skip_marks() -> None:
    blocks = extract_blocks(SAMPLE, Path("sample.rst"))
    assert [(b.language, b.lineno, b.skipped) for b in blocks] == [
        ("python", 7, False),
        ("python", 17, True),
        ("pycon", 21, False),
        ("text", 26, False),
    ]
    assert blocks[0].code == "x = 1\nif x:\n    y = 2\n"
    assert blocks[2].code == ">>> x + y\n3\n"


def test_a_skip_mark_must_precede_a_block() -> None:
    with pytest.raises(ValueError, match="not before a block"):
        extract_blocks(".. skip: next\n\nSome text.\n", Path("bad.rst"))


def test_a_failing_pycon_block_fails() -> None:
    block = extract_blocks(".. code-block:: pycon\n\n   >>> 1 + 1\n   3\n", Path("bad.rst"))[0]
    with pytest.raises(AssertionError, match="Expected"):
        run_block(block, {})


def test_a_failing_python_block_fails_with_its_doc_line() -> None:
    text = "Intro.\n\n.. code-block:: python\n\n   ok = 1\n   assert ok == 2\n"
    block = extract_blocks(text, Path("bad.rst"))[0]
    with pytest.raises(AssertionError) as raised:
        run_block(block, {})
    frames = traceback.extract_tb(raised.value.__traceback__)
    assert ("bad.rst", 6) in [(frame.filename, frame.lineno) for frame in frames]


def test_console_sessions_split_into_commands_and_output() -> None:
    session = "$ tiktok --version\ntiktok 0.1.0\n$ tiktok users get 1\n"
    assert console_commands(session) == [
        ("tiktok --version", "tiktok 0.1.0"),
        ("tiktok users get 1", ""),
    ]
    block = extract_blocks(
        ".. code-block:: console\n\n   " + session.replace("\n", "\n   "), Path("x")
    )[0]
    assert block.runs
    install = extract_blocks(".. code-block:: console\n\n   $ pip install -e .\n", Path("x"))[0]
    assert not install.runs


def test_a_console_command_printing_something_else_fails() -> None:
    block = extract_blocks(
        ".. code-block:: console\n\n   $ tiktok --version\n   nope\n", Path("x")
    )[0]
    with pytest.raises(AssertionError, match="expected"):
        run_block(block, {})


def test_a_captioned_test_file_runs_under_pytest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = ".. code-block:: python\n   :caption: test_sample.py\n\n   def test_fails():\n       assert 1 == 2\n"
    block = extract_blocks(text, Path("x.rst"))[0]
    assert block.caption == "test_sample.py"
    with pytest.raises(AssertionError, match=r"pytest test_sample\.py failed"):
        run_block(block, {})
    assert (tmp_path / "test_sample.py").exists()


# -- the docs ------------------------------------------------------------------


def test_every_code_block_has_a_known_language() -> None:
    unknown = [
        f"{b.path.name}:{b.lineno} ({b.language or 'no language'})"
        for b in all_blocks()
        if b.language not in RUNNABLE | NOT_PYTHON
    ]
    assert not unknown, "give these blocks a language (python/pycon run in CI): " + ", ".join(
        unknown
    )


def test_no_doctest_outside_a_pycon_block() -> None:
    # A bare ">>>" paragraph or "::" literal would be shown but never run.
    inside = {
        (b.path, b.lineno + offset)
        for b in all_blocks()
        if b.language == "pycon"
        for offset in range(b.code.count("\n") + 1)
    }
    stray = [
        f"{page.name}:{number}"
        for page in doc_pages()
        for number, line in enumerate(page.read_text().splitlines(), 1)
        if line.lstrip().startswith(">>>") and (page, number) not in inside
    ]
    assert not stray, "'>>>' lines outside a pycon code-block: " + ", ".join(stray)


def test_skipped_examples_are_few() -> None:
    skipped = [f"{b.path.name}:{b.lineno}" for b in all_blocks() if b.skipped]
    assert len(skipped) <= MAX_SKIPPED, f"too many examples skipped: {skipped}"


def test_the_guide_has_examples_to_run() -> None:
    # Guards the collection: an extractor that finds nothing would pass every page.
    runnable = [b for b in all_blocks() if b.runs]
    assert len(runnable) >= 30
    assert {b.language for b in runnable} == RUNNABLE
    assert any(b.caption and TEST_FILE.match(b.caption) for b in runnable)
    assert len(runnable_pages()) >= 8


def run_block(block: Block, namespace: Dict[str, Any]) -> None:
    if block.language == "console":
        run_console(block)
    elif block.language == "pycon":
        run_doctest(block, namespace)
    elif block.caption and TEST_FILE.match(block.caption):
        run_test_file(block)
    else:
        # Pad so that tracebacks point at the line in the .rst file.
        source = "\n" * (block.lineno - 1) + block.code
        exec(compile(source, str(block.path), "exec"), namespace)


def run_doctest(block: Block, namespace: Dict[str, Any]) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(
        block.code, namespace, f"{block.path.name}:{block.lineno}", str(block.path), block.lineno
    )
    runner = doctest.DocTestRunner(optionflags=CHECK_FLAGS | doctest.FAIL_FAST, verbose=False)
    report: List[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # DocTest works on a copy: later blocks see these names
    if runner.failures:
        raise AssertionError(f"{block.path.name}:{block.lineno}:\n" + "".join(report))


def subprocess_env() -> Dict[str, str]:
    # The reader's TIKTOK_* settings must not change what the examples do.
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIKTOK_")}
    env["PYTHON"] = sys.executable
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_console(block: Block) -> None:
    checker = doctest.OutputChecker()
    for command, expected in console_commands(block.code):
        script = 'tiktok() { "$PYTHON" -m tiktok "$@"; }\n' + command
        result = subprocess.run(
            ["bash", "-c", script],
            capture_output=True,
            text=True,
            timeout=120,
            env=subprocess_env(),
            check=False,
        )
        where = f"{block.path.name}:{block.lineno}: $ {command}"
        assert result.returncode == 0, f"{where}\nexit {result.returncode}\n{result.stderr}"
        got = result.stdout + result.stderr
        if expected and not checker.check_output(expected + "\n", got, CHECK_FLAGS):
            raise AssertionError(f"{where}\nexpected:\n{expected}\ngot:\n{got}")


def run_test_file(block: Block) -> None:
    assert block.caption is not None
    Path(block.caption).write_text(block.code)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", block.caption],
        capture_output=True,
        text=True,
        timeout=300,
        env=subprocess_env(),
        check=False,
    )
    assert result.returncode == 0, (
        f"{block.path.name}:{block.lineno}: pytest {block.caption} failed:\n{result.stdout}"
    )


@pytest.fixture
def page_namespace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dict[str, Any]]:
    import tiktok
    from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox, SandboxSigner

    monkeypatch.chdir(tmp_path)  # examples may write files (sessions, crawl state)
    with Sandbox(seed=0) as sandbox:
        client = sandbox.client()
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        reserved = {
            "tiktok": tiktok,
            "sandbox": sandbox,
            "client": client,
            "my_signer": SandboxSigner(),
        }
        namespace: Dict[str, Any] = {"__name__": "__docs__", RESERVED: reserved}
        try:
            yield namespace
        finally:
            for value in namespace.values():
                if isinstance(value, tiktok.Client):
                    value.close()
            client.close()


# Modules of an extra (``pip install -e ".[celery]"``) that some examples import: without
# the extra those blocks are left out and the page is reported skipped, after the rest ran.
EXTRA_MODULES = {"tiktok.crawl.celery": "celery"}


def missing_extra(block: Block) -> Optional[str]:
    for module, needs in EXTRA_MODULES.items():
        if module in block.code and importlib.util.find_spec(needs) is None:
            return needs
    return None


@pytest.mark.parametrize("page", runnable_pages(), ids=lambda page: page.name)
def test_page_examples_run(page: Path, page_namespace: Dict[str, Any]) -> None:
    left_out = []
    for block in extract_blocks(page.read_text(), page):
        if block.runs:
            needs = missing_extra(block)
            if needs is not None:
                left_out.append(f"{page.name}:{block.lineno} needs {needs}")
                continue
            page_namespace.update(page_namespace[RESERVED])
            run_block(block, page_namespace)
    if left_out:
        pytest.skip(f"the other examples ran; not run without an extra: {', '.join(left_out)}")
