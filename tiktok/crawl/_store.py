"""The crawl's store: every target with the cursor after its last saved page, and its items.

:class:`Store` is the interface; the location chooses the implementation: a
SQLite file on one machine (:class:`SQLiteStore`, the default), or a
PostgreSQL database given as a ``postgresql://`` URL for workers on many
machines (:class:`PostgresStore`). The operations are written once, on
:class:`Store`; each implementation says how it connects, its placeholder,
how a writer takes its lock and how it streams an export. Each page's items
and the cursor after it are written in one transaction, so a crawl killed at
any moment resumes from the last page that is whole in the store. Items are
unique by ``(target, key)``: a page stored twice keeps its items once.

Cursors are kept as decimal text: the API's cursors are integers of any size
(one beyond 64 bits must not stop a crawl, nor lose its place). A new table
is one more statement in :data:`SCHEMA` and the methods that use it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sqlite3
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

import attrs

from .._identity import Health

__all__ = [
    "Claim",
    "ConflictError",
    "Limits",
    "PostgresStore",
    "SQLiteStore",
    "Store",
    "TargetStatus",
    "UnstorablePageError",
    "open_store",
]

DEFAULT_STORE = "tiktok-crawl.db"

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS crawl_targets (
        target TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        next_cursor TEXT,
        pages INTEGER NOT NULL DEFAULT 0,
        items INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        total BIGINT,
        error TEXT,
        lease_owner TEXT,
        lease_until DOUBLE PRECISION
    )""",
    """CREATE TABLE IF NOT EXISTS crawl_items (
        target TEXT NOT NULL,
        seq BIGINT NOT NULL,
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (target, key)
    )""",
    "CREATE INDEX IF NOT EXISTS crawl_items_order ON crawl_items (target, seq)",
    # What the crawl was started with (its limits), by name, as JSON.
    """CREATE TABLE IF NOT EXISTS crawl_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # Each identity's health (tiktok.Health), by the identity's name: it outlives the run.
    """CREATE TABLE IF NOT EXISTS crawl_identities (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        reason TEXT NOT NULL,
        until DOUBLE PRECISION
    )""",
)

# A page's items are numbered page * PAGE_SPAN + index: export follows crawl order.
PAGE_SPAN = 1_000_000

# What a BIGINT column holds; a total beyond it (a hostile profile) is not kept.
_BIGINT = range(-(2**63), 2**63)

_STATUS_COLUMNS = "target, items, pages, done, next_cursor, total, error, lease_owner, lease_until"


class ConflictError(Exception):
    """The target moved on since it was claimed (another worker saved a page, or it is done)."""


class UnstorablePageError(ValueError):
    """The store cannot hold a page as the API gave it (text that is not valid Unicode...).

    The crawl fails that target alone, with this message; the others go on.
    """


@attrs.frozen
class TargetStatus:
    """A target as the store has it."""

    target: str
    items: int
    pages: int
    done: bool
    cursor: Optional[int]
    total: Optional[int] = None
    error: Optional[str] = None
    lease_owner: Optional[str] = None
    lease_until: Optional[float] = None

    def to_json(self) -> Dict[str, Any]:
        """What ``tiktok crawl status`` prints for it."""
        data: Dict[str, Any] = {
            "target": self.target,
            "items": self.items,
            "pages": self.pages,
            "done": self.done,
            "cursor": self.cursor,
        }
        if self.total is not None:
            data["total"] = self.total
        if self.error is not None:
            data["error"] = self.error
        return data


@attrs.frozen
class Claim:
    """A target a worker holds: where its walk resumes and what is already stored."""

    target: str
    cursor: Optional[int]
    pages: int
    items: int


@attrs.frozen
class Limits:
    """What a crawl walks each target with: the page size and the cap on its items.

    ``None`` is the endpoint's page size, and no cap.
    """

    count: Optional[int] = None
    limit: Optional[int] = None


def _cursor(text: Optional[str]) -> Optional[int]:
    return None if text is None else int(text)


def _status(row: Sequence[Any]) -> TargetStatus:
    target, items, pages, done, cursor, total, error, owner, until = row
    return TargetStatus(
        target=target,
        items=int(items),
        pages=int(pages),
        done=bool(done),
        cursor=_cursor(cursor),
        total=None if total is None else int(total),
        error=error,
        lease_owner=owner,
        lease_until=None if until is None else float(until),
    )


def _is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def shown_location(location: str) -> str:
    """A store's location, safe to print: a URL's scheme and host, not its password."""
    if not _is_postgres(location):
        return location
    scheme, _, rest = location.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


class Store:
    """The targets and items of one crawl; each thread gets its own connection.

    ``Store(location)`` opens the implementation ``location`` names: a SQLite
    file's path (:class:`SQLiteStore`) or a ``postgresql://`` URL
    (:class:`PostgresStore`). With ``create=False`` a location that holds no
    crawl store raises ``FileNotFoundError`` ("no crawl store at ...") instead
    of making one.
    """

    #: The placeholder the implementation's driver takes in its statements.
    mark: str
    #: What starts a transaction that writes.
    begin_write: str
    #: What a writer's SELECT adds to lock the rows it read until it commits.
    lock_rows: str

    def __new__(cls, location: Union[str, os.PathLike[str]], *, create: bool = True) -> Store:
        if cls is Store:
            cls = PostgresStore if _is_postgres(os.fspath(location)) else SQLiteStore
        return super().__new__(cls)

    def __init__(self, location: Union[str, os.PathLike[str]], *, create: bool = True) -> None:
        self.location = os.fspath(location)
        self._local = threading.local()
        self._connections: List[Any] = []
        self._lock = threading.Lock()
        if create:
            with self._write() as cursor:
                for statement in SCHEMA:
                    cursor.execute(statement)
                self._upgrade(cursor)
        elif not self._has_schema():
            self.close()
            raise FileNotFoundError(f"no crawl store at {self.public_location}")

    def __repr__(self) -> str:
        return f"<tiktok.crawl.{type(self).__name__} {self.public_location}>"

    @property
    def public_location(self) -> str:
        """The location, safe to print (a URL's scheme and host, not its password)."""
        return shown_location(self.location)

    # -- what each implementation says -----------------------------------------------

    def _connect(self) -> Any:
        """A new DB-API connection, in autocommit mode (transactions are explicit)."""
        raise NotImplementedError

    def _has_schema(self) -> bool:
        """Whether the location holds a crawl store."""
        raise NotImplementedError

    def _columns(self, cursor: Any, table: str) -> Set[str]:
        """The names of ``table``'s columns."""
        raise NotImplementedError

    def _upgrade(self, cursor: Any) -> None:
        # Stores made before cursors were text kept them in a BIGINT column "cursor".
        if "next_cursor" not in self._columns(cursor, "crawl_targets"):
            cursor.execute("ALTER TABLE crawl_targets ADD COLUMN next_cursor TEXT")
            cursor.execute(
                "UPDATE crawl_targets SET next_cursor = CAST(cursor AS TEXT), cursor = NULL "
                "WHERE cursor IS NOT NULL"
            )

    # -- connections ---------------------------------------------------------------

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        """Close every connection this store opened (from any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(Exception):
                connection.close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        connection = self._connection()
        cursor = connection.cursor()
        cursor.execute(self.begin_write)
        try:
            yield cursor
        except BaseException:
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        cursor = self._connection().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    # -- the crawl's settings ----------------------------------------------------------

    def limits(self, *, count: Optional[int] = None, limit: Optional[int] = None) -> Limits:
        """The page size and cap the crawl walks with: those given are remembered, those
        not given (``None``) are the ones remembered, so a resume walks as the crawl began."""
        p = self.mark
        given = {"count": count, "limit": limit}
        with self._write() as cursor:
            for name, value in given.items():
                if value is not None:
                    cursor.execute(f"DELETE FROM crawl_settings WHERE name = {p}", (name,))
                    cursor.execute(
                        f"INSERT INTO crawl_settings (name, value) VALUES ({p}, {p})",
                        (name, json.dumps(value)),
                    )
            cursor.execute("SELECT name, value FROM crawl_settings")
            kept = {name: json.loads(value) for name, value in cursor.fetchall()}
        return Limits(count=kept.get("count"), limit=kept.get("limit"))

    # -- targets ---------------------------------------------------------------------

    def add(self, targets: Sequence[str]) -> int:
        """Add targets not in the store yet, after the others; return how many were new."""
        p = self.mark
        added = 0
        with self._write() as cursor:
            cursor.execute("SELECT COALESCE(MAX(position), 0) FROM crawl_targets")
            position = int(cursor.fetchone()[0])
            for target in targets:
                cursor.execute(f"SELECT 1 FROM crawl_targets WHERE target = {p}", (target,))
                if cursor.fetchone() is not None:
                    continue
                position += 1
                cursor.execute(
                    f"INSERT INTO crawl_targets (target, position) VALUES ({p}, {p})",
                    (target, position),
                )
                added += 1
        return added

    def status(self, target: Optional[str] = None) -> List[TargetStatus]:
        """Every target (or the one named) in the order they were added."""
        where = f" WHERE target = {self.mark}" if target is not None else ""
        with self._read() as cursor:
            cursor.execute(
                f"SELECT {_STATUS_COLUMNS} FROM crawl_targets{where} ORDER BY position",
                () if target is None else (target,),
            )
            return [_status(row) for row in cursor.fetchall()]

    def set_total(self, target: str, total: Optional[int]) -> None:
        """Record how many items the target is expected to have (for progress displays).

        A total no BIGINT holds is not one a listing can have: it is recorded as unknown.
        """
        p = self.mark
        if total is not None and total not in _BIGINT:
            total = None
        with self._write() as cursor:
            cursor.execute(
                f"UPDATE crawl_targets SET total = {p} WHERE target = {p}", (total, target)
            )

    def set_error(self, target: str, error: Optional[str]) -> None:
        """Record why a target failed (``None`` clears it); a failed target is not claimed."""
        p = self.mark
        with self._write() as cursor:
            cursor.execute(
                f"UPDATE crawl_targets SET error = {p}, lease_owner = NULL, lease_until = NULL "
                f"WHERE target = {p}",
                (error, target),
            )

    def clear_errors(self) -> None:
        """Make failed targets claimable again (a new run tries them again)."""
        with self._write() as cursor:
            cursor.execute("UPDATE crawl_targets SET error = NULL WHERE error IS NOT NULL")

    # -- identities ------------------------------------------------------------------

    def health(self) -> Dict[str, Health]:
        """Each identity's health as the crawl last saw it, by name."""
        with self._read() as cursor:
            if not self._columns(cursor, "crawl_identities"):
                return {}  # a store made before identities had health, opened read-only
            cursor.execute("SELECT name, state, reason, until FROM crawl_identities ORDER BY name")
            return {
                name: Health(state, reason, None if until is None else float(until))
                for name, state, reason, until in cursor.fetchall()
            }

    def set_health(self, name: str, health: Health) -> None:
        """Remember an identity's health (``ok`` forgets it)."""
        p = self.mark
        with self._write() as cursor:
            cursor.execute(f"DELETE FROM crawl_identities WHERE name = {p}", (name,))
            if health.state != "ok":
                cursor.execute(
                    f"INSERT INTO crawl_identities (name, state, reason, until) "
                    f"VALUES ({p}, {p}, {p}, {p})",
                    (name, health.state, health.reason, health.until),
                )

    def reopen(self) -> None:
        """Mark every target not failed as unfinished, to be walked again from its start."""
        with self._write() as cursor:
            cursor.execute(
                "UPDATE crawl_targets SET done = 0, next_cursor = NULL WHERE error IS NULL"
            )

    # -- leases ----------------------------------------------------------------------

    def claim(
        self,
        owner: str,
        *,
        now: float,
        lease: float,
        targets: Optional[Sequence[str]] = None,
        steal: Sequence[str] = (),
    ) -> Optional[Claim]:
        """Lease the first unfinished target nobody holds (or ``owner`` held) until ``now + lease``.

        ``targets`` limits the choice; a lease held by one of ``steal`` (owners known
        to be gone) counts as free.
        """
        p = self.mark
        with self._write() as cursor:
            cursor.execute(
                "SELECT target, next_cursor, pages, items, lease_owner, lease_until "
                "FROM crawl_targets WHERE done = 0 AND error IS NULL ORDER BY position"
            )
            chosen = None
            wanted = None if targets is None else set(targets)
            for target, position, pages, items, holder, until in cursor.fetchall():
                if wanted is not None and target not in wanted:
                    continue
                if _free(holder, until, owner, steal, now):
                    chosen = Claim(target, _cursor(position), int(pages), int(items))
                    break
            if chosen is None:
                return None
            # Lock the row and check again: another worker may have won it meanwhile.
            cursor.execute(
                "SELECT pages, lease_owner, lease_until FROM crawl_targets "
                f"WHERE target = {p}{self.lock_rows}",
                (chosen.target,),
            )
            pages, holder, until = cursor.fetchone()
            if int(pages) != chosen.pages or not (_free(holder, until, owner, steal, now)):
                return None
            cursor.execute(
                f"UPDATE crawl_targets SET lease_owner = {p}, lease_until = {p} WHERE target = {p}",
                (owner, now + lease, chosen.target),
            )
            return chosen

    def release(self, owner: str, target: str) -> None:
        """Give a target back (the owner stops, rests or failed on it)."""
        p = self.mark
        with self._write() as cursor:
            cursor.execute(
                "UPDATE crawl_targets SET lease_owner = NULL, lease_until = NULL "
                f"WHERE target = {p} AND lease_owner = {p}",
                (target, owner),
            )

    def holders(self) -> List[str]:
        """The owners holding a lease now."""
        with self._read() as cursor:
            cursor.execute(
                "SELECT DISTINCT lease_owner FROM crawl_targets "
                "WHERE lease_owner IS NOT NULL AND done = 0"
            )
            return [row[0] for row in cursor.fetchall()]

    # -- pages -------------------------------------------------------------------------

    def save_page(
        self,
        owner: Optional[str],
        target: str,
        *,
        pages: int,
        items: Sequence[Tuple[str, str]],
        cursor: Optional[int],
        done: bool,
        lease_until: Optional[float] = None,
    ) -> int:
        """Store one page: its ``(key, json)`` items, the cursor after it, whether it was the last.

        All in one transaction, and only if the target still has ``pages`` pages
        saved and ``owner`` still holds it (else :class:`ConflictError`): a worker that
        lost its lease cannot write over the one that took over. Returns how many
        items were new. A page the database cannot hold raises
        :class:`UnstorablePageError` and leaves nothing of it behind.
        """
        p = self.mark
        try:
            with self._write() as db:
                db.execute(
                    "SELECT pages, done, lease_owner FROM crawl_targets "
                    f"WHERE target = {p}{self.lock_rows}",
                    (target,),
                )
                row = db.fetchone()
                if row is None:
                    raise ConflictError(f"{target} is not in the store")
                saved_pages, saved_done, holder = row
                if (
                    int(saved_pages) != pages
                    or saved_done
                    or (owner is not None and holder != owner)
                ):
                    raise ConflictError(
                        f"{target} moved on: {saved_pages} pages saved, {pages} expected"
                    )
                base = (pages + 1) * PAGE_SPAN
                new = 0
                for index, (key, data) in enumerate(items):
                    db.execute(
                        "INSERT INTO crawl_items (target, seq, key, data) "
                        f"VALUES ({p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING",
                        (target, base + index, key, data),
                    )
                    new += max(db.rowcount, 0)
                db.execute(
                    f"UPDATE crawl_targets SET next_cursor = {p}, pages = pages + 1, "
                    f"items = items + {p}, done = {p}, lease_until = COALESCE({p}, lease_until) "
                    f"WHERE target = {p}",
                    (None if cursor is None else str(cursor), new, 1 if done else 0, lease_until,
                     target),
                )  # fmt: skip
        except (UnicodeError, OverflowError) as exc:  # rolled back by _write
            raise UnstorablePageError(
                f"cannot store page {pages + 1} of {target}: {type(exc).__name__}: {exc}"
            ) from exc
        return new

    # -- reading -------------------------------------------------------------------------

    def export(self, target: Optional[str] = None) -> Iterator[Tuple[str, Dict[str, Any]]]:
        """``(target, item)`` for every stored item, in crawl order (targets as added)."""
        where = f"WHERE t.target = {self.mark} " if target is not None else ""
        statement = (
            "SELECT t.target, i.data FROM crawl_items i JOIN crawl_targets t "
            f"ON t.target = i.target {where}ORDER BY t.position, i.seq"
        )
        for name, data in self._stream(statement, () if target is None else (target,)):
            yield name, json.loads(data)

    def _stream(self, statement: str, params: Sequence[Any]) -> Iterator[Sequence[Any]]:
        """The rows of a query that may be long, a batch in memory at a time."""
        with self._read() as cursor:
            cursor.execute(statement, params)
            while True:
                rows = cursor.fetchmany(500)
                if not rows:
                    return
                yield from rows


class SQLiteStore(Store):
    """A store in a SQLite file: a crawl on one machine (several processes may share it)."""

    mark = "?"
    # BEGIN IMMEDIATE takes the file's write lock at once: no two writers read-then-write.
    begin_write = "BEGIN IMMEDIATE"
    lock_rows = ""

    def __init__(self, location: Union[str, os.PathLike[str]], *, create: bool = True) -> None:
        if not create and not os.path.exists(location):
            raise FileNotFoundError(f"no crawl store at {os.fspath(location)}")
        super().__init__(location, create=create)

    def _connect(self) -> Any:
        # isolation_level=None: transactions are the explicit BEGIN ... COMMIT.
        connection = sqlite3.connect(
            self.location, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        # WAL: readers (status, export) never wait for the crawl, nor the crawl for them;
        # a commit survives the process being killed (synchronous NORMAL in WAL mode).
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def _has_schema(self) -> bool:
        with self._read() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawl_targets'"
            )
            return cursor.fetchone() is not None

    def _columns(self, cursor: Any, table: str) -> Set[str]:
        cursor.execute(f"PRAGMA table_info({table})")
        return {row[1] for row in cursor.fetchall()}


class PostgresStore(Store):
    """A store in a PostgreSQL database (``pip install 'tiktok[postgres]'``): workers on many
    machines."""

    mark = "%s"
    begin_write = "BEGIN"
    # SQLite's BEGIN IMMEDIATE holds the whole file; PostgreSQL locks the rows a writer read.
    lock_rows = " FOR UPDATE"

    def _connect(self) -> Any:
        try:
            psycopg = importlib.import_module("psycopg")
        except ImportError:
            raise RuntimeError(
                "a PostgreSQL store needs the postgres extra: pip install 'tiktok[postgres]'"
            ) from None
        return psycopg.connect(self.location, autocommit=True)

    def _has_schema(self) -> bool:
        with self._read() as cursor:
            cursor.execute("SELECT to_regclass('crawl_targets') IS NOT NULL")
            return bool(cursor.fetchone()[0])

    def _columns(self, cursor: Any, table: str) -> Set[str]:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            (table,),
        )
        return {row[0] for row in cursor.fetchall()}

    def _stream(self, statement: str, params: Sequence[Any]) -> Iterator[Sequence[Any]]:
        # A server-side cursor: the rows stream instead of arriving all at once.
        connection = self._connection()
        with connection.transaction(), connection.cursor(name="tiktok_crawl_export") as cursor:
            cursor.execute(statement, params)
            yield from cursor


def _free(
    holder: Optional[str], until: Optional[float], owner: str, steal: Sequence[str], now: float
) -> bool:
    return holder is None or holder == owner or holder in steal or until is None or until < now


def open_store(location: Union[str, os.PathLike[str]], *, create: bool = True) -> Store:
    """The store at ``location``: a SQLite path, or a ``postgresql://`` URL."""
    return Store(location, create=create)
