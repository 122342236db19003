"""One pager for every listing and all three pagination styles (docs/protocol.rst (Pagination))."""

from __future__ import annotations

import collections
import enum
import logging
import time
import warnings
from typing import (
    Any,
    Callable,
    Deque,
    Dict,
    Final,
    Generic,
    Iterator,
    List,
    Literal,
    Optional,
    Set,
    TypeVar,
    Union,
)

import attrs

from .errors import DecodeError
from .models import SkippedItem

__all__ = ["END", "Cursor", "Page", "Pager", "Stall", "Style", "Walk"]

log = logging.getLogger("tiktok")

T = TypeVar("T")
#: pages in a row whose every item was set aside, after which a walk gives up (an endless
#: feed of unreadable items would otherwise be asked for forever)
BARREN_PAGES = 10
#: pages whose item ids a walk remembers, to notice a page of only items it already gave
#: (a bounded window: a walk's memory stays flat however long it runs)
REMEMBERED_PAGES = 10
# The attributes that name an item, in the order tried; a search result names its
# user or hashtag inside (docs/pagination.rst (Stalls)).
_ITEM_IDS = ("aweme_id", "cid", "uid", "id", "room_id")
_ITEM_WRAPPERS = ("user_info", "challenge_info")
T_co = TypeVar("T_co", covariant=True)

#: The position of a listing walked to its end. Saved and passed back as
#: ``cursor=``, it gives a walk that yields nothing and sends nothing (``None``
#: would start from the beginning). A plain string, so it stores as JSON.
END: Final = "end"

#: A saved position: an ``int`` (as the API counts) or :data:`END`.
Cursor = Union[int, Literal["end"]]


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


class Stall(enum.Enum):
    """Why a walk stopped before the listing said it ended (docs/pagination.rst (Stalls)).

    Each is logged as a warning on the ``tiktok`` logger when it happens and kept
    on the walk (:attr:`Walk.stall`, :attr:`Pager.stall`); the walk ends there as
    at the listing's end.
    """

    #: the next cursor did not move (or came back to an earlier page), ``has_more`` still true
    CURSOR_STUCK = "the next cursor did not move, has_more still true"
    #: every item of a page had already been given by this walk (within its last pages)
    REPEATED_ITEMS = "a page of only items already seen"
    #: an empty page while ``has_more`` is still true (feeds excepted: that is their end)
    NOTHING_NEW = "an empty page, has_more still true"


def item_id(item: object) -> Optional[str]:
    """What names an item of a listing (a post's ``aweme_id``, a comment's ``cid``...), or ``None``."""
    for wrapper in _ITEM_WRAPPERS:
        inner = getattr(item, wrapper, None)
        if inner is not None:
            item = inner
            break
    for name in _ITEM_IDS:
        value = getattr(item, name, None)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return f"{name}:{value}"
    return None


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing.

    ``cursor`` is where this page started, ``next_cursor`` where the next one
    would (``None`` on the last page and for feeds); ``is_last`` says the walk ends
    here; ``response`` is the typed envelope and :meth:`to_dict` its JSON body.
    ``skipped`` holds each item that did not fit its model, with its JSON and the
    reason (see docs/models.rst); ``items`` holds all the others.
    """

    items: List[T]
    has_more: bool
    cursor: Optional[int]
    next_cursor: Optional[int]
    is_last: bool
    response: Any = attrs.field(repr=False)
    #: The items of this page that did not fit their model (left out of ``items``).
    skipped: List[SkippedItem] = attrs.field(factory=list)

    def to_dict(self) -> Dict[str, Any]:
        """The page's whole answer as JSON (``tiktok.to_dict`` of :attr:`response`)."""
        from ._converter import to_dict

        return to_dict(self.response)

    @property
    def raw(self) -> Dict[str, Any]:
        """Deprecated: the same as :meth:`to_dict`, which replaces it."""
        warnings.warn(
            "Page.raw is deprecated: use Page.to_dict()", DeprecationWarning, stacklevel=2
        )
        return self.to_dict()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# fetch(cursor, count) -> (response model). The cursor is None for feeds.
Fetch = Callable[[Optional[int], int], Any]


class _Position:
    """Where one walk stands; shared by the walk's iterator and its generator (no cycle)."""

    __slots__ = ("cursor", "exhausted", "skipped_count", "stall")

    def __init__(self, cursor: Optional[Cursor]) -> None:
        self.cursor = cursor
        self.exhausted = cursor == END
        self.skipped_count = 0
        self.stall: Optional[Stall] = None


class Walk(Iterator[T_co]):
    """One walk over a listing: what ``iter(pager)`` and ``pager.pages()`` return.

    Each walk keeps its own position, so two walks of one pager never move each
    other's: :attr:`cursor` and :attr:`exhausted` are this walk's.
    """

    def __init__(self, position: _Position, steps: Iterator[T_co]) -> None:
        self._position = position
        self._steps = steps

    @property
    def cursor(self) -> Optional[Cursor]:
        """Where this walk would go on: an ``int``, :data:`END` once exhausted, ``None`` for feeds."""
        return self._position.cursor

    @property
    def exhausted(self) -> bool:
        """``True`` once this walk has seen the listing's last page."""
        return self._position.exhausted

    @property
    def skipped_count(self) -> int:
        """How many items this walk set aside because they did not fit their model."""
        return self._position.skipped_count

    @property
    def stall(self) -> Optional[Stall]:
        """Why this walk stopped early (a :class:`Stall`), or ``None``: it did not stall."""
        return self._position.stall

    def __iter__(self) -> Walk[T_co]:
        return self

    def __next__(self) -> T_co:
        return next(self._steps)

    def __repr__(self) -> str:
        return f"<Walk cursor={self.cursor!r} exhausted={self.exhausted}>"


class Pager(Generic[T]):
    """Walks a listing page by page; iterate it for items, ``.pages()`` for pages.

    Re-iterable: every ``iter()`` starts a fresh walk from the starting cursor,
    and each walk keeps its own position (see :class:`Walk`). ``limit`` caps the
    items yielded (``None``: all); ``count`` is the page size. ``.cursor`` is
    where the most recently started walk would go on: save it and pass it back
    as ``cursor=`` to resume. It is :data:`END` once the listing is exhausted
    (a walk resumed from :data:`END` yields nothing and sends nothing) and
    ``None`` for feeds, which have no position. Resuming is exact at page
    boundaries (a walk stopped by ``limit`` asks the last page for just the
    items it needs); a loop broken mid-page resumes at that page.
    """

    def __init__(
        self,
        fetch: Fetch,
        *,
        style: Style,
        items_key: str,
        count: int,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        since: Optional[int] = None,
        until: Optional[int] = None,
    ) -> None:
        self._fetch = fetch
        #: Only items whose ``create_time`` (epoch s) is at least ``since`` and before
        #: ``until``; the listing must be newest first (docs/pagination.rst (Since and until)).
        self.since = since
        self.until = until
        self.style = style
        self.items_key = items_key
        self.count = count
        self.limit = limit
        self.start_cursor = cursor
        self._latest: Optional[_Position] = None
        #: Items set aside (not fitting their model) over every walk of this pager.
        self.skipped_count = 0

    @property
    def cursor(self) -> Optional[Cursor]:
        """Where the most recently started walk would go on (before any walk: the start).

        An ``int`` position, :data:`END` once that walk saw the last page, ``None``
        for feeds (and before a first walk that starts from the beginning).
        """
        if self._latest is None:
            return self.start_cursor
        return self._latest.cursor

    @property
    def exhausted(self) -> bool:
        """``True`` once the most recently started walk has seen the listing's last page."""
        if self._latest is None:
            return self.start_cursor == END
        return self._latest.exhausted

    @property
    def stall(self) -> Optional[Stall]:
        """Why the most recently started walk stopped early (a :class:`Stall`), or ``None``."""
        return None if self._latest is None else self._latest.stall

    def __repr__(self) -> str:
        return (
            f"<Pager {self.items_key} style={self.style.name} count={self.count} "
            f"limit={self.limit} cursor={self.cursor}>"
        )

    def __iter__(self) -> Walk[T]:
        position = self._start()
        return Walk(position, self._items(position))

    def pages(self) -> Walk[Page[T]]:
        """Yield whole pages (items, ``has_more``, cursors, the body), as a :class:`Walk`."""
        position = self._start()
        return Walk(position, self._pages(position))

    def first(self) -> Optional[T]:
        """The listing's first item (from the starting cursor), or ``None``.

        One request, asking for one item; it does not move :attr:`cursor`.
        """
        if self.limit == 0:
            return None
        for page in self._walk(self._position(), limit=1):
            if page.items:  # a page whose items were all set aside goes on to the next
                return page.items[0]
        return None

    def _position(self) -> _Position:
        cursor: Optional[Cursor] = None
        if self.style is not Style.FEED:
            cursor = self.start_cursor if self.start_cursor is not None else self.style.start()
        return _Position(cursor)

    def _start(self) -> _Position:
        position = self._position()
        self._latest = position
        return position

    def _items(self, position: _Position) -> Iterator[T]:
        for page in self._walk(position, self.limit):
            items = page.items
            if not items:  # every item was set aside: the page is done
                self._advance(position, page)
                del page, items
                continue
            last = len(items) - 1
            for index, item in enumerate(items):
                if index == last:
                    # The caller has every item of the page once it holds this one.
                    self._advance(position, page)
                yield item
            # Let the page go before the next one is fetched and built: a walk holds one page.
            del page, items, item

    def _pages(self, position: _Position) -> Iterator[Page[T]]:
        for page in self._walk(position, self.limit):
            self._advance(position, page)
            yield page
            del page  # not held while the next one is fetched

    def _advance(self, position: _Position, page: Page[T]) -> None:
        position.exhausted = page.is_last
        if page.is_last and self.style is not Style.FEED:
            position.cursor = END
        else:
            position.cursor = page.next_cursor

    def _walk(self, position: _Position, limit: Optional[int]) -> Iterator[Page[T]]:
        style = self.style
        if position.exhausted:
            return
        start = position.cursor
        assert start != END  # for mypy: an exhausted position returned above
        cursor: Optional[int] = start
        remaining = limit
        seen = {cursor}
        barren = 0
        # The item ids of the walk's last pages (a bounded window, see REMEMBERED_PAGES).
        recent: Deque[Set[str]] = collections.deque(maxlen=REMEMBERED_PAGES)
        while remaining is None or remaining > 0:
            size = self.count if remaining is None else min(self.count, remaining)
            response = self._fetch(cursor, size)
            items: List[T] = getattr(response, self.items_key) or []
            skipped: List[SkippedItem] = getattr(response, "skipped", None) or []
            # A page whose items were all set aside is not the end of the listing.
            empty = not items and not skipped
            # Newest first: once a page ends before `since`, every later page does too.
            # (Its last item, not its first: a pinned old post may open the first page.)
            before_since = False
            if self.since is not None or self.until is not None:
                before_since = self._before_since(items[-1]) if items else False
                items = [item for item in items if self._within(item)]
            has_more = bool(getattr(response, "has_more", None))
            next_cursor = self._next_cursor(response, cursor)
            ids = {key for key in map(item_id, items) if key is not None}
            stall: Optional[Stall] = None
            if style is not Style.FEED and has_more:
                if empty:
                    stall = Stall.NOTHING_NEW
                elif next_cursor in seen:
                    stall = Stall.CURSOR_STUCK
            # Feeds excepted: they may serve a post again, and end at their limit.
            if (
                style is not Style.FEED
                and items
                and len(ids) == len(items)
                and any(ids <= page for page in recent)
            ):
                stall = Stall.REPEATED_ITEMS
            # A feed ends only on an empty page. Elsewhere a repeated cursor with has_more
            # still true must end the walk, not loop; so must one that cycles back to an
            # earlier page (0 -> 10 -> 0 ...).
            last = (
                empty
                or before_since
                or (style is not Style.FEED and (not has_more or next_cursor in seen))
            )
            if remaining is not None and len(items) > remaining:
                # The server sent more than asked: a resume starts on this page again.
                items, next_cursor, last = items[:remaining], cursor, False
                stall = None
            page = Page(
                items=items,
                has_more=has_more,
                cursor=cursor,
                next_cursor=None if last else next_cursor,
                is_last=last,
                response=response,
                skipped=skipped,
            )
            position.skipped_count += len(skipped)
            self.skipped_count += len(skipped)
            barren = barren + 1 if skipped and not items else 0
            if barren >= BARREN_PAGES and not last:
                raise DecodeError(
                    f"{barren} pages in a row had no item that could be read "
                    f"({self.skipped_count} set aside in this listing, logged as they came): "
                    "the walk stops rather than ask for more"
                )
            if stall is not None:
                position.stall = stall
                log.warning(
                    "listing of %s stalled at cursor %s: %s; the walk stops there",
                    self.items_key,
                    cursor,
                    stall.value,
                )
            if empty or stall is Stall.REPEATED_ITEMS:
                # Nothing new to give: the walk ends here as at the listing's end.
                self._advance(position, attrs.evolve(page, is_last=True, next_cursor=None))
                return
            recent.append(ids)
            taken = len(items)
            yield page
            del page, items, response  # a walk holds one page at a time (the caller, what it keeps)
            if last:
                return
            if remaining is not None:
                remaining -= taken
            cursor = next_cursor
            seen.add(cursor)

    def _before_since(self, item: object) -> bool:
        created = getattr(item, "create_time", None)
        return self.since is not None and type(created) is int and created < self.since

    def _within(self, item: object) -> bool:
        created = getattr(item, "create_time", None)
        if type(created) is not int:
            return True  # an undated item is not judged by a date
        if self.since is not None and created < self.since:
            return False
        return self.until is None or created < self.until

    def _next_cursor(self, response: Any, cursor: Optional[int]) -> Optional[int]:
        key = self.style.next_key
        if key is None:
            return None
        value = getattr(response, key, None)
        return value if type(value) is int else cursor
