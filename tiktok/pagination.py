"""One pager for every listing and all three pagination styles (docs/protocol.rst (Pagination))."""

from __future__ import annotations

import enum
import time
from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, TypeVar

import attrs

__all__ = ["Page", "Pager", "Style"]

T = TypeVar("T")


class Style(enum.Enum):
    """How a listing pages: which param carries the position, which key gives the next one."""

    #: ``max_cursor`` in ms (0 = newest); next from ``max_cursor``. User posts.
    CURSOR = ("max_cursor", "max_cursor")
    #: ``max_time`` in s (now); next from ``min_time``. Followers, following, requests.
    TIME = ("max_time", "min_time")
    #: ``cursor`` offset (0); next from ``cursor``. Searches, comments, hashtags, stickers.
    OFFSET = ("cursor", "cursor")
    #: Endless feeds: no position (``max_cursor`` stays 0), ``has_more`` always true.
    #: A walk ends at ``limit`` or an empty page.
    FEED = (None, None)

    def __init__(self, param: Optional[str], next_key: Optional[str]) -> None:
        self.param = param
        self.next_key = next_key

    def start(self) -> int:
        """The first position of a walk: now (in s) for ``TIME``, else 0."""
        return int(time.time()) if self is Style.TIME else 0


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing.

    ``cursor`` is where this page started, ``next_cursor`` where the next one
    would (``None`` on the last page and for feeds); ``is_last`` says the walk ends
    here; ``response`` is the typed envelope and ``raw`` its JSON body.
    """

    items: List[T]
    has_more: bool
    cursor: Optional[int]
    next_cursor: Optional[int]
    is_last: bool
    response: Any = attrs.field(repr=False)

    @property
    def raw(self) -> Dict[str, Any]:
        """The page's whole answer as JSON (``to_dict`` of :attr:`response`)."""
        from ._converter import to_dict

        return to_dict(self.response)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# fetch(cursor, count) -> (response model). The cursor is None for feeds.
Fetch = Callable[[Optional[int], int], Any]


class Pager(Generic[T]):
    """Walks a listing page by page; iterate it for items, ``.pages()`` for pages.

    Re-iterable: every ``iter()`` starts a fresh walk from the starting cursor.
    ``limit`` caps the items yielded (``None``: all); ``count`` is the page size.
    ``.cursor`` is where the next page would start: save it and pass it back as
    ``cursor=`` to resume. It is ``None`` once the listing is exhausted. Resuming
    is exact at page boundaries (a walk stopped by ``limit`` asks the last page
    for just the items it needs); a loop broken mid-page resumes at that page.
    """

    def __init__(
        self,
        fetch: Fetch,
        *,
        style: Style,
        items_key: str,
        count: int,
        limit: Optional[int] = None,
        cursor: Optional[int] = None,
    ) -> None:
        self._fetch = fetch
        self.style = style
        self.items_key = items_key
        self.count = count
        self.limit = limit
        self.start_cursor = cursor
        self.cursor: Optional[int] = cursor
        self.exhausted = False

    def __repr__(self) -> str:
        return (
            f"<Pager {self.items_key} style={self.style.name} count={self.count} "
            f"limit={self.limit} cursor={self.cursor}>"
        )

    def __iter__(self) -> Iterator[T]:
        for page in self._walk():
            items = page.items
            last = len(items) - 1
            for index, item in enumerate(items):
                if index == last:
                    # The caller has every item of the page once it holds this one.
                    self._advance(page)
                yield item
            # Let the page go before the next one is fetched and built: a walk holds one page.
            del page, items, item

    def pages(self) -> Iterator[Page[T]]:
        """Yield whole pages (items, ``has_more``, cursors, the body)."""
        for page in self._walk():
            self._advance(page)
            yield page
            del page  # not held while the next one is fetched

    def _advance(self, page: Page[T]) -> None:
        self.cursor = page.next_cursor
        self.exhausted = page.is_last

    def _walk(self) -> Iterator[Page[T]]:
        style = self.style
        cursor: Optional[int] = None
        if style is not Style.FEED:
            cursor = self.start_cursor if self.start_cursor is not None else style.start()
        self.cursor = cursor
        self.exhausted = False
        remaining = self.limit
        seen = {cursor}
        while remaining is None or remaining > 0:
            size = self.count if remaining is None else min(self.count, remaining)
            response = self._fetch(cursor, size)
            items: List[T] = getattr(response, self.items_key) or []
            has_more = bool(getattr(response, "has_more", None))
            next_cursor = self._next_cursor(response, cursor)
            if style is Style.FEED:
                last = not items
            else:
                # A repeated cursor with has_more still true must end the walk, not loop;
                # so must one that cycles back to an earlier page (0 -> 10 -> 0 ...).
                last = not items or not has_more or next_cursor in seen
            if remaining is not None and len(items) > remaining:
                # The server sent more than asked: a resume starts on this page again.
                items, next_cursor, last = items[:remaining], cursor, False
            page = Page(
                items=items,
                has_more=has_more,
                cursor=cursor,
                next_cursor=None if last else next_cursor,
                is_last=last,
                response=response,
            )
            if not items:
                self._advance(page)
                return
            taken = len(items)
            yield page
            del page, items, response  # a walk holds one page at a time (the caller, what it keeps)
            if last:
                return
            if remaining is not None:
                remaining -= taken
            cursor = next_cursor
            seen.add(cursor)

    def _next_cursor(self, response: Any, cursor: Optional[int]) -> Optional[int]:
        key = self.style.next_key
        if key is None:
            return None
        value = getattr(response, key, None)
        return value if type(value) is int else cursor
