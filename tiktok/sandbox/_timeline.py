"""Lazy, time-ordered sequences and the three pagination styles of docs/protocol.rst (Pagination).

A listing is one or more sources merged: the world's lazy sequence and, when
the account wrote something, a short list of the state's own items.
"""

from __future__ import annotations

import heapq
from typing import Callable, List, Optional, Sequence, Tuple

__all__ = ["LazyTimeline", "ListTimeline", "Timeline", "first_before", "page_before"]

# (time, key): time in seconds (or any strictly ordered number), key an id.
Entry = Tuple[int, int]


class Timeline:
    """Items newest first; ``time_at`` strictly decreases with the index."""

    def __len__(self) -> int:
        raise NotImplementedError

    def time_at(self, index: int) -> int:
        raise NotImplementedError

    def key_at(self, index: int) -> int:
        raise NotImplementedError


class LazyTimeline(Timeline):
    """A timeline computed on demand from an index: costs no memory whatever its length."""

    __slots__ = ("_key", "_length", "_time")

    def __init__(
        self, length: int, time_at: Callable[[int], int], key_at: Callable[[int], int]
    ) -> None:
        self._length = length
        self._time = time_at
        self._key = key_at

    def __len__(self) -> int:
        return self._length

    def time_at(self, index: int) -> int:
        return self._time(index)

    def key_at(self, index: int) -> int:
        return self._key(index)


class ListTimeline(Timeline):
    """A small materialised timeline (the account's own follows, approved requests…)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._entries = sorted(entries, reverse=True)

    def __len__(self) -> int:
        return len(self._entries)

    def time_at(self, index: int) -> int:
        return self._entries[index][0]

    def key_at(self, index: int) -> int:
        return self._entries[index][1]


def first_before(timeline: Timeline, bound: Optional[int]) -> int:
    """The index of the first item older than ``bound`` (``None``: the newest item)."""
    low, high = 0, len(timeline)
    if bound is None:
        return 0
    while low < high:
        middle = (low + high) // 2
        if timeline.time_at(middle) < bound:
            high = middle
        else:
            low = middle + 1
    return low


def page_before(
    sources: Sequence[Timeline], bound: Optional[int], count: int
) -> Tuple[List[Entry], bool]:
    """Up to ``count`` items older than ``bound`` from all sources, newest first, and has_more."""
    positions = [first_before(source, bound) for source in sources]
    heap: List[Tuple[int, int]] = [
        (-source.time_at(position), number)
        for number, (source, position) in enumerate(zip(sources, positions))
        if position < len(source)
    ]
    heapq.heapify(heap)
    page: List[Entry] = []
    while heap and len(page) < count:
        negative_time, number = heapq.heappop(heap)
        source, position = sources[number], positions[number]
        page.append((-negative_time, source.key_at(position)))
        positions[number] = position + 1
        if position + 1 < len(source):
            heapq.heappush(heap, (-source.time_at(position + 1), number))
    return page, bool(heap)
