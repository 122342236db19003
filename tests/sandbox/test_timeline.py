from __future__ import annotations

from typing import List, Optional, Tuple

from hypothesis import given
from hypothesis import strategies as st

from tiktok.sandbox._timeline import LazyTimeline, ListTimeline, first_before, page_before


def lazy(length: int, newest: int = 1000, gap: int = 3) -> LazyTimeline:
    return LazyTimeline(length, lambda i: newest - i * gap, lambda i: i)


def test_first_before_finds_the_first_strictly_older_item() -> None:
    timeline = lazy(10)  # times 1000, 997, ..., 973
    assert first_before(timeline, None) == 0
    assert first_before(timeline, 2000) == 0
    assert first_before(timeline, 1000) == 1  # strictly older: 1000 itself is excluded
    assert first_before(timeline, 999) == 1
    assert first_before(timeline, 973) == 10
    assert first_before(timeline, 0) == 10


def test_page_before_merges_sources_newest_first() -> None:
    world = lazy(5)  # 1000, 997, 994, 991, 988
    extra = ListTimeline([(995, 77), (2000, 88)])
    page, has_more = page_before([world, extra], None, 4)
    assert page == [(2000, 88), (1000, 0), (997, 1), (995, 77)]
    assert has_more
    page, has_more = page_before([world, extra], 995, 10)
    assert page == [(994, 2), (991, 3), (988, 4)]
    assert not has_more


def test_page_before_on_empty_sources() -> None:
    assert page_before([ListTimeline([]), lazy(0)], None, 5) == ([], False)


@given(
    world_size=st.integers(0, 60),
    extras=st.lists(st.integers(0, 10_000), max_size=15, unique=True),
    count=st.integers(1, 20),
)
def test_paging_by_the_oldest_time_yields_every_item_once(
    world_size: int, extras: List[int], count: int
) -> None:
    # World times are even, extra times odd: all distinct, as the sandbox keeps them.
    world = LazyTimeline(world_size, lambda i: 20_000 - 2 * i, lambda i: i)
    extra = ListTimeline([(2 * t + 1, 1_000_000 + t) for t in extras])
    seen: List[Tuple[int, int]] = []
    bound: Optional[int] = None
    while True:
        page, has_more = page_before([world, extra], bound, count)
        seen.extend(page)
        if not has_more:
            break
        bound = page[-1][0]  # the next page from the oldest time of this one (min_time)
    assert len(seen) == world_size + len(extras)
    assert len({key for _, key in seen}) == len(seen)
    assert [t for t, _ in seen] == sorted((t for t, _ in seen), reverse=True)
