"""tiktok.pagination: a walk holds one page at a time, so memory stays flat however long it runs.

benchmarks/bench_memory.py measures the whole client over 200,000 followers; this
checks the pager's part of it directly: when the next page is fetched and built,
nothing of the previous one is still referenced by the pager.
"""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace
from typing import Any, List, Optional

import pytest

from tiktok.pagination import Pager, Style


class Item:
    """A weak-referenceable stand-in for a model."""

    def __init__(self, number: int) -> None:
        self.number = number


class Listing:
    """Three pages of two items; remembers, at each fetch, which earlier items were alive."""

    def __init__(self) -> None:
        self.refs: List[weakref.ref[Item]] = []
        self.alive_at_fetch: List[List[int]] = []

    def fetch(self, cursor: Optional[int], size: int) -> Any:
        gc.collect()  # only references count, not garbage waiting for a collection
        self.alive_at_fetch.append([ref().number for ref in self.refs if ref() is not None])
        start = cursor or 0
        items = [Item(start + n) for n in range(2)]
        self.refs.extend(weakref.ref(item) for item in items)
        return SimpleNamespace(items=items, has_more=start < 4, cursor=start + 2)


def number_of(item: Item) -> int:
    return item.number


def pager(listing: Listing) -> Pager[Item]:
    return Pager(listing.fetch, style=Style.OFFSET, items_key="items", count=2)


def test_iterating_items_keeps_no_earlier_page_alive() -> None:
    listing = Listing()
    # map() hands each item on and lets it go: a loop variable would keep the last one alive.
    numbers = list(map(number_of, pager(listing)))
    assert numbers == [0, 1, 2, 3, 4, 5]
    assert listing.alive_at_fetch == [[], [], []]


def test_iterating_pages_keeps_no_earlier_page_alive() -> None:
    listing = Listing()
    sizes = list(map(len, pager(listing).pages()))
    assert sizes == [2, 2, 2]
    assert listing.alive_at_fetch == [[], [], []]


@pytest.mark.parametrize("keep", [True, False])
def test_what_the_caller_keeps_stays_alive(keep: bool) -> None:
    listing = Listing()
    kept = [item for item in pager(listing)] if keep else None
    alive = [ref() is not None for ref in listing.refs]
    assert all(alive) if keep else not any(alive)
    assert kept is None or len(kept) == 6
