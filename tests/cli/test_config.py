"""The listing writer, in-process."""

from __future__ import annotations

import io
from typing import Any, List, Optional

import attrs
import pytest

from tiktok._cli.output import stream
from tiktok.models import Model
from tiktok.pagination import Pager, Style


@attrs.define
class FakePage:
    aweme_list: List[Any]
    has_more: int
    cursor: int


@attrs.define(kw_only=True)
class Item(Model):
    n: Optional[int] = None


def offset_pager(pages: List[FakePage], *, limit: Optional[int]) -> Pager[Any]:
    def fetch(cursor: Optional[int], count: int) -> FakePage:
        return pages[(cursor or 0) // 2]

    return Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=2, limit=limit)


def test_an_empty_last_page_means_the_end_so_no_resume_cursor() -> None:
    # has_more stays true on page 2, then page 3 is empty: the walk ended, nothing to resume.
    pages = [
        FakePage([Item(n=1), Item(n=2)], has_more=1, cursor=2),
        FakePage([Item(n=3), Item(n=4)], has_more=1, cursor=4),
        FakePage([], has_more=1, cursor=6),
    ]
    out, err = io.StringIO(), io.StringIO()
    assert stream(offset_pager(pages, limit=None), out, err, label="x") == 4
    assert err.getvalue() == ""
    assert [line for line in out.getvalue().splitlines()] == [f'{{"n": {n}}}' for n in (1, 2, 3, 4)]


def test_an_error_after_some_pages_still_prints_where_to_resume() -> None:
    pages = [FakePage([Item(n=1), Item(n=2)], has_more=1, cursor=2)]

    def fetch(cursor: Optional[int], count: int) -> FakePage:
        if cursor:
            raise RuntimeError("network down")
        return pages[0]

    pager: Pager[Any] = Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=2)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(RuntimeError):
        stream(pager, out, err, label="x")
    assert len(out.getvalue().splitlines()) == 2
    assert err.getvalue() == "next cursor: 2 (resume with --cursor 2)\n"
