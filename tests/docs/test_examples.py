"""Run every Python example in docs/*.rst against the sandbox, so a doc that rots fails.

Two kinds of blocks are collected:

- ``.. code-block:: python``: executed as a script;
- ``.. code-block:: pycon``: run as a doctest, the printed output checked
  (``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` on).

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
import re
import textwrap
import traceback
from pathlib import Path
from typing import Any, Dict, Iterator, List, NamedTuple

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
RUNNABLE = {"python", "pycon"}
# Languages that are not Python, or Python that is shown, never run (shell sessions...).
NOT_PYTHON = {"text", "console", "shell", "bash", "sh", "javascript", "js", "json", "ini", "toml"}
SKIP_COMMENT = ".. skip: next"
MAX_SKIPPED = 6
# Where the fixture keeps the names every block starts with.
RESERVED = "__docs_reserved__"

DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$")


class Block(NamedTuple):
    path: Path
    lineno: int  # 1-based line of the first line of code
    language: str
    code: str
    skipped: bool


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
        while index < len(lines) and lines[index].strip().startswith(":"):
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
        blocks.append(Block(path, first or index, match["lang"], code, skip_next))
        skip_next = False
    return blocks


def doc_pages() -> List[Path]:
    return sorted(DOCS.glob("*.rst"))


def all_blocks() -> List[Block]:
    return [block for page in doc_pages() for block in extract_blocks(page.read_text(), page)]


def runnable_pages() -> List[Path]:
    return sorted({b.path for b in all_blocks() if b.language in RUNNABLE and not b.skipped})


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
    runnable = [b for b in all_blocks() if b.language in RUNNABLE and not b.skipped]
    assert len(runnable) >= 30
    assert len(runnable_pages()) >= 8


def run_block(block: Block, namespace: Dict[str, Any]) -> None:
    if block.language == "python":
        # Pad so that tracebacks point at the line in the .rst file.
        source = "\n" * (block.lineno - 1) + block.code
        exec(compile(source, str(block.path), "exec"), namespace)
        return
    parser = doctest.DocTestParser()
    test = parser.get_doctest(
        block.code, namespace, f"{block.path.name}:{block.lineno}", str(block.path), block.lineno
    )
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.FAIL_FAST,
        verbose=False,
    )
    report: List[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # DocTest works on a copy: later blocks see these names
    if runner.failures:
        raise AssertionError(f"{block.path.name}:{block.lineno}:\n" + "".join(report))


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


@pytest.mark.parametrize("page", runnable_pages(), ids=lambda page: page.name)
def test_page_examples_run(page: Path, page_namespace: Dict[str, Any]) -> None:
    for block in extract_blocks(page.read_text(), page):
        if block.language in RUNNABLE and not block.skipped:
            page_namespace.update(page_namespace[RESERVED])
            run_block(block, page_namespace)
