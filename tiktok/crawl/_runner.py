"""The crawl: identities take targets from the store and walk them page by page."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

import attrs

from .._converter import to_dict
from .._identity import OK, Health, health_after
from ..errors import (
    EmptyResponseError,
    LoginRequiredError,
    RateLimitError,
    TikTokError,
    TransportError,
)
from ._store import DEFAULT_STORE, Claim, ConflictError, Limits, Store, TargetStatus
from ._targets import KINDS, Target, item_key, parse_target

__all__ = ["Crawl", "Progress", "Summary"]

# How often an idle identity looks again for a target another one gave back.
POLL_SECONDS = 0.2


@attrs.frozen
class Progress:
    """A snapshot for a progress display, taken after every saved page."""

    targets: List[TargetStatus]
    new_items: int
    elapsed: float
    #: identity name -> seconds it still rests
    resting: Dict[str, float]
    #: identity name -> why it rests or was lost ("rate limited", "retired: IPBlockedError"...)
    reasons: Dict[str, str] = attrs.field(factory=dict)
    #: identity name -> why the crawl lost it (retired, or waiting for a login)
    lost: Dict[str, str] = attrs.field(factory=dict)

    @property
    def rate(self) -> float:
        """New items a second since the run started."""
        return self.new_items / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def items(self) -> int:
        """Items stored over all targets."""
        return sum(t.items for t in self.targets)

    @property
    def total(self) -> Optional[int]:
        """Items expected over all targets, where every target's total is known."""
        left = [t for t in self.targets if not t.done and t.error is None]
        if any(t.total is None for t in left):
            return None
        return self.items + sum(max(0, (t.total or 0) - t.items) for t in left)

    @property
    def seconds_left(self) -> Optional[float]:
        """Time left at the current rate, where :attr:`total` is known."""
        total = self.total
        rate = self.rate
        if total is None or rate <= 0:
            return None
        return max(0, total - self.items) / rate


@attrs.frozen
class Summary:
    """How a run ended."""

    targets: int
    done: int
    new_items: int
    pages: int
    seconds: float
    #: target -> why it failed in this run
    failed: Dict[str, str]
    #: identity name -> pages it saved in this run
    pages_by_identity: Dict[str, int] = attrs.field(factory=dict)
    #: identity name -> its health at the end, for those not ok (resting, retired, login)
    health: Dict[str, Health] = attrs.field(factory=dict)

    @property
    def lost(self) -> Dict[str, Health]:
        """The identities this crawl can no longer use: retired, or waiting for a login."""
        return {name: h for name, h in self.health.items() if h.state in _LOST}

    @property
    def complete(self) -> bool:
        """Every target of the store is done."""
        return self.done == self.targets


@attrs.define
class _Identity:
    name: str
    client: Any
    owner: str
    resting_until: float = 0.0
    reason: str = ""
    pages: int = 0
    health: Health = OK

    @property
    def lost(self) -> bool:
        return self.health.state in _LOST


Clients = Union[Any, Sequence[Any], Mapping[str, Any]]


class Crawl:
    """A resumable crawl of many listings into a store.

    ``clients`` is one :class:`tiktok.Client`, or several (a list, or a mapping
    of names to clients): the identities the work is spread over. ``store`` is
    a SQLite path (default ``tiktok-crawl.db``), a ``postgresql://`` URL or a
    :class:`Store`. ``count`` is the page size, ``limit`` caps the items of
    each target; the store remembers both, and a crawl given neither (``None``)
    walks with the ones remembered, so a resume goes on as the crawl began (one
    given overrides, and is remembered in turn). Each identity's health follows
    the typed failures (:class:`tiktok.Health`): one that is rate limited, soft
    blocked (empty answers, trap replies, a captcha) or whose network fails
    rests for ``cooldown`` seconds (or the server's ``Retry-After``) while the
    others go on; one that is banned (its IP or itself) or whose app is too old
    is retired, and one whose session ended waits for a login: the crawl goes on
    without them, and the store remembers every identity's health across runs
    (:meth:`forget_health` gives one back). A target every usable identity was
    rejected on fails for this run.
    ``progress`` is called with a :class:`Progress` after every saved page;
    ``totals=True`` asks each target's total (a profile's ``follower_count``...)
    once, for it.

    ::

        crawl = Crawl(client, store="followers.db")
        crawl.add("followers:6800000000000000002")
        summary = crawl.run()
        for target, item in crawl.export():
            ...
    """

    def __init__(
        self,
        clients: Clients,
        store: Union[str, os.PathLike[str], Store] = DEFAULT_STORE,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cooldown: float = 60.0,
        lease: float = 120.0,
        progress: Optional[Callable[[Progress], None]] = None,
        totals: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if count is not None and (type(count) is not int or not 1 <= count <= 100):
            raise ValueError(f"count must be None or an int from 1 to 100, not {count!r}")
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ValueError(f"limit must be None or an int >= 1, not {limit!r}")
        if not cooldown >= 0 or not lease > 0:
            raise ValueError("cooldown must be >= 0 and lease > 0")
        self.store = store if isinstance(store, Store) else Store(store)
        self._own_store = not isinstance(store, Store)
        self.count = count
        self.limit = limit
        self._limits = Limits(count, limit)
        self.cooldown = float(cooldown)
        self.lease = float(lease)
        self.progress = progress
        self.totals = totals
        self._clock = clock
        host = socket.gethostname()
        pid = os.getpid()
        self.identities = [
            _Identity(name, client, f"{host}:{pid}:{name}") for name, client in _named(clients)
        ]
        if not self.identities:
            raise ValueError("a crawl needs at least one client")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._rejected: Dict[str, Set[str]] = {}
        self._failed: Dict[str, str] = {}
        self._statuses: Dict[str, TargetStatus] = {}
        self._new_items = 0
        self._pages = 0
        self._started = 0.0
        self._error: Optional[BaseException] = None
        self._dead: List[str] = []
        self._new_only = False

    def __repr__(self) -> str:
        return f"<tiktok.crawl.Crawl {self.store!r} identities={len(self.identities)}>"

    def close(self) -> None:
        """Close the store (if the crawl opened it)."""
        if self._own_store:
            self.store.close()

    def __enter__(self) -> Crawl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what to crawl ---------------------------------------------------------------

    def add(self, *targets: Union[str, Target]) -> int:
        """Add targets (``"followers:ID"`` or :class:`Target`); return how many were new."""
        parsed = [t if isinstance(t, Target) else parse_target(t) for t in targets]
        return self.store.add([str(t) for t in parsed])

    def status(self) -> List[TargetStatus]:
        """Every target: items, pages, done, the cursor after its last saved page."""
        return self.store.status()

    def export(self, target: Optional[str] = None) -> Iterator[Tuple[str, Dict[str, Any]]]:
        """``(target, item)`` in crawl order, each item as ``to_dict`` gave it."""
        return self.store.export(target)

    # -- running -----------------------------------------------------------------------

    def run(self, *, new: bool = False) -> Summary:
        """Crawl every unfinished target of the store; return when none is left to try.

        Each page's items and the cursor after it are saved in one transaction, so
        running it again after any interruption resumes exactly.

        ``new``: only what appeared since the store's last run. Every target is
        walked again from its start, each page committed as usual, and stops at
        the first page holding an item already stored: with nothing new, one
        request per target (docs/crawling.rst (Only what's new)).
        """
        if new:
            self.store.reopen()
        self._new_only = new
        self._stop.clear()
        self._failed.clear()
        self._rejected.clear()
        self._error = None
        self._new_items = self._pages = 0
        self._started = self._clock()
        remembered = self.store.health()
        for identity in self.identities:
            identity.pages, identity.reason = 0, ""
            identity.health = remembered.get(identity.name, OK)
            identity.resting_until = identity.health.until or 0.0
        self._limits = self.store.limits(count=self.count, limit=self.limit)
        self.store.clear_errors()
        with self._lock:
            self._statuses = {s.target: s for s in self.store.status()}
        self._dead = _dead_owners(self.store.holders())
        threads = [
            threading.Thread(target=self._work, args=(identity,), name=f"tiktok-crawl-{n}")
            for n, identity in enumerate(self.identities)
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.5)
        except BaseException:
            self._stop.set()  # Ctrl-C: every identity saves the page in hand and stops
            for thread in threads:
                thread.join()
            raise
        if self._error is not None:
            raise self._error
        statuses = self.store.status()
        return Summary(
            targets=len(statuses),
            done=sum(s.done for s in statuses),
            new_items=self._new_items,
            pages=self._pages,
            seconds=self._clock() - self._started,
            failed=dict(self._failed),
            pages_by_identity={i.name: i.pages for i in self.identities},
            health={i.name: i.health for i in self.identities if i.health.state != "ok"},
        )

    def health(self) -> Dict[str, Health]:
        """Every identity's health as the store remembers it (ok unless told otherwise)."""
        remembered = self.store.health()
        return {i.name: remembered.get(i.name, OK) for i in self.identities}

    def forget_health(self, *names: str) -> None:
        """Make identities usable again (after a login, a new proxy, an app update)."""
        for name in names:
            self.store.set_health(name, OK)

    def stop(self) -> None:
        """Ask a running crawl to stop after the pages in hand (from another thread)."""
        self._stop.set()

    def _work(self, identity: _Identity) -> None:
        try:
            while not self._stop.is_set() and not identity.lost:
                left = identity.resting_until - self._clock()
                if left > 0:
                    if not self._unfinished():
                        return  # the others finished the work meanwhile
                    self._stop.wait(min(left, POLL_SECONDS))
                    continue
                claim = self.store.claim(
                    identity.owner, now=self._clock(), lease=self.lease, steal=self._dead
                )
                if claim is None:
                    if not self._unfinished():
                        return
                    self._stop.wait(POLL_SECONDS)
                    continue
                try:
                    self._crawl(identity, claim)
                finally:
                    self.store.release(identity.owner, claim.target)
        except BaseException as exc:  # a bug or the store failing: stop everyone
            with self._lock:
                if self._error is None:
                    self._error = exc
            self._stop.set()

    def _unfinished(self) -> bool:
        """Whether any target is left that someone may still finish in this run."""
        return any(not s.done and s.error is None for s in self.store.status())

    def _crawl(self, identity: _Identity, claim: Claim) -> None:
        target = parse_target(claim.target)
        try:
            self._walk(identity, target, claim)
        except ConflictError:
            return  # another worker saved a page of it meanwhile: the store has it
        except (TikTokError, ValueError) as exc:
            health = health_after(exc, now=self._clock(), rest=self.cooldown)
            if health is None:
                self._fail(claim.target, exc)
                return
            self._set_health(identity, health, _reason(exc))
            if isinstance(exc, RateLimitError):
                return  # the identity's pace, not the target
            with self._lock:
                rejected = self._rejected.setdefault(claim.target, set())
                rejected.add(identity.name)
                usable = {i.name for i in self.identities if not i.lost}
                every = usable <= rejected
            if every:
                self._fail(claim.target, exc)

    def _walk(self, identity: _Identity, target: Target, claim: Claim) -> None:
        name = str(target)
        if self.totals and self._statuses.get(name, _EMPTY).total is None:
            self._fetch_total(identity, target)

        def saved(pages: int, new: int, cursor: Optional[int], done: bool) -> None:
            identity.pages += 1
            if identity.health.state != "ok":  # it works again: the store forgets its rest
                identity.health = OK
                self.store.set_health(identity.name, OK)
            self._saved(name, pages, new, cursor, done)

        walk_claim(
            identity.client,
            self.store,
            identity.owner,
            claim,
            count=self._limits.count,
            limit=self._limits.limit,
            lease=self.lease,
            clock=self._clock,
            stop=self._stop.is_set,
            saved=saved,
            new_only=self._new_only,
        )

    def _fetch_total(self, identity: _Identity, target: Target) -> None:
        try:
            total = KINDS[target.kind].total(identity.client, target.id)
        except (TikTokError, ValueError) as exc:
            if health_after(exc, now=0.0, rest=0.0) is not None:
                raise  # about the identity: the walk would meet it too
            return  # the total is for the display only: the walk goes on without it
        if total is not None:
            name = str(target)
            self.store.set_total(name, total)
            with self._lock:
                self._statuses[name] = attrs.evolve(self._statuses.get(name, _EMPTY), total=total)

    def _saved(self, target: str, pages: int, new: int, cursor: Optional[int], done: bool) -> None:
        with self._lock:
            self._rejected.pop(target, None)
            self._new_items += new
            self._pages += 1
            old = self._statuses.get(target, _EMPTY)
            self._statuses[target] = attrs.evolve(
                old, target=target, items=old.items + new, pages=pages, done=done, cursor=cursor
            )
        self._report()

    def _set_health(self, identity: _Identity, health: Health, reason: str) -> None:
        identity.health = health
        identity.resting_until = health.until or 0.0
        identity.reason = reason
        self.store.set_health(identity.name, health)
        self._report()

    def _fail(self, target: str, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        with self._lock:
            self._failed[target] = message
            self._statuses[target] = attrs.evolve(
                self._statuses.get(target, _EMPTY), target=target, error=message
            )
        self.store.set_error(target, message)

    def _report(self) -> None:
        if self.progress is None:
            return
        now = self._clock()
        with self._lock:
            snapshot = Progress(
                targets=list(self._statuses.values()),
                new_items=self._new_items,
                elapsed=now - self._started,
                resting={
                    i.name: i.resting_until - now for i in self.identities if i.resting_until > now
                },
                reasons={
                    i.name: i.reason for i in self.identities if i.resting_until > now or i.lost
                },
                lost={i.name: i.reason for i in self.identities if i.lost},
            )
        self.progress(snapshot)


def walk_claim(
    client: Any,
    store: Store,
    owner: str,
    claim: Claim,
    *,
    count: Optional[int],
    limit: Optional[int],
    lease: float,
    clock: Callable[[], float] = time.time,
    max_pages: Optional[int] = None,
    stop: Callable[[], bool] = lambda: False,
    saved: Optional[Callable[[int, int, Optional[int], bool], None]] = None,
    new_only: bool = False,
) -> bool:
    """Walk a claimed target from its saved cursor, saving each page with the cursor after it.

    Stops when the target is done (returns True), after ``max_pages`` pages, or
    when ``stop()`` says so after a page. ``saved(pages, new_items, cursor, done)``
    is called after each commit. API errors propagate; the caller releases the claim.
    """
    target = parse_target(claim.target)
    kind = KINDS[target.kind]
    name = str(target)
    # A --new walk starts over from the top: its limit counts the items it walks now.
    pages, items = claim.pages, 0 if new_only else claim.items

    def save(rows: List[Tuple[str, str]], cursor: Optional[int], done: bool) -> int:
        new = store.save_page(
            owner, name, pages=pages, items=rows, cursor=cursor, done=done,
            lease_until=clock() + lease,
        )  # fmt: skip
        if saved is not None:
            saved(pages + 1, new, cursor, done)
        return new

    if limit is not None and items >= limit and not new_only:
        save([], claim.cursor, True)
        return True
    pager = kind.listing(client, target.id, count, claim.cursor)
    for walked, page in enumerate(pager.pages(), 1):
        batch = page.items
        done = page.is_last
        if limit is not None and items + len(batch) >= limit:
            batch, done = batch[: limit - items], True
        rows = [
            (
                item_key(kind, item, f"{pages}:{index}"),
                json.dumps(to_dict(item), ensure_ascii=False, separators=(",", ":")),
            )
            for index, item in enumerate(batch)
        ]
        del batch
        new = save(rows, page.next_cursor, done)
        items += new
        pages += 1
        # Only what's new: an item already stored means the rest was stored before.
        stored_before = new_only and new < len(rows)
        del page, rows  # a crawl holds one page at a time
        if done:
            return True
        if stored_before:
            save([], None, True)
            return True
        if stop() or (max_pages is not None and walked >= max_pages):
            return False
    # The walk ended on an empty page: nothing more to store, but the target is done.
    save([], None, True)
    return True


_RESTING = (RateLimitError, EmptyResponseError, LoginRequiredError, TransportError)
_EMPTY = TargetStatus(target="", items=0, pages=0, done=False, cursor=None)


_LOST = ("retired", "login")


def _reason(exc: BaseException) -> str:
    """A few words for a progress line (the full reason is the identity's health)."""
    if isinstance(exc, RateLimitError):
        return "rate limited"
    if isinstance(exc, LoginRequiredError):
        return "login required"
    health = health_after(exc, now=0.0, rest=0.0)
    if health is not None and health.state == "retired":
        return f"retired: {type(exc).__name__}"
    if isinstance(exc, EmptyResponseError):
        return "empty answers"
    if isinstance(exc, TransportError):
        return "network failing"
    return f"soft blocked: {type(exc).__name__}"


def _named(clients: Clients) -> Iterable[Tuple[str, Any]]:
    if isinstance(clients, Mapping):
        return [(str(name), client) for name, client in clients.items()]
    if isinstance(clients, (list, tuple)):
        return [(f"identity-{n + 1}", client) for n, client in enumerate(clients)]
    return [("identity-1", clients)]


def _dead_owners(holders: Sequence[str]) -> List[str]:
    """Lease holders that were processes on this machine and are gone (killed mid-crawl)."""
    host = socket.gethostname()
    dead = []
    for holder in holders:
        owner_host, _, rest = holder.partition(":")
        pid_text = rest.partition(":")[0]
        if owner_host != host or not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.append(holder)
        except PermissionError:
            pass  # alive, another user's
    return dead
