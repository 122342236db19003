"""The crawl's store: every target with the cursor after its last saved page, and its items.

A SQLite file on one machine (the default), or a PostgreSQL database given as a
``postgresql://`` URL for workers on many machines; the SQL is the same but for
the placeholder and how a writer takes its lock. Each page's items and the
cursor after it are written in one transaction, so a crawl killed at any moment
resumes from the last page that is whole in the store. Items are unique by
``(target, key)``: a page stored twice keeps its items once.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sqlite3
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import attrs

__all__ = ["Claim", "Conflict", "Store", "TargetStatus", "open_store"]

DEFAULT_STORE = "tiktok-crawl.db"

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS crawl_targets (
        target TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        cursor BIGINT,
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
)

# A page's items are numbered page * PAGE_SPAN + index: export follows crawl order.
PAGE_SPAN = 1_000_000

_STATUS_COLUMNS = "target, items, pages, done, cursor, total, error, lease_owner, lease_until"


class Conflict(Exception):
    """The target moved on since it was claimed (another worker saved a page, or it is done)."""


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


def _status(row: Sequence[Any]) -> TargetStatus:
    target, items, pages, done, cursor, total, error, owner, until = row
    return TargetStatus(
        target=target,
        items=int(items),
        pages=int(pages),
        done=bool(done),
        cursor=None if cursor is None else int(cursor),
        total=None if total is None else int(total),
        error=error,
        lease_owner=owner,
        lease_until=None if until is None else float(until),
    )


class Store:
    """The targets and items of one crawl; each thread gets its own connection.

    ``location`` is a SQLite file's path or a ``postgresql://`` URL.
    """

    def __init__(self, location: Union[str, os.PathLike[str]], *, create: bool = True) -> None:
        text = os.fspath(location)
        self.location = text
        self.postgres = text.startswith(("postgresql://", "postgres://"))
        if not self.postgres and not create and not os.path.exists(text):
            raise FileNotFoundError(f"no crawl store at {text}")
        self._local = threading.local()
        self._connections: List[Any] = []
        self._lock = threading.Lock()
        self._begin_write = "BEGIN" if self.postgres else "BEGIN IMMEDIATE"
        # Postgres locks the row a writer reads; SQLite's BEGIN IMMEDIATE already holds the file.
        self._for_update = " FOR UPDATE" if self.postgres else ""
        if create:
            with self._write() as cursor:
                for statement in SCHEMA:
                    cursor.execute(statement)

    def __repr__(self) -> str:
        return f"<tiktok.crawl.Store {self._public_location()}>"

    def _public_location(self) -> str:
        if not self.postgres:
            return self.location
        # A URL can hold a password: show scheme and host only.
        scheme, _, rest = self.location.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}"

    # -- connections ---------------------------------------------------------------

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _connect(self) -> Any:
        if self.postgres:
            try:
                psycopg = importlib.import_module("psycopg")
            except ImportError:
                raise RuntimeError(
                    "a PostgreSQL store needs the postgres extra: pip install 'tiktok[postgres]'"
                ) from None
            return psycopg.connect(self.location, autocommit=True)
        # isolation_level=None: transactions are the explicit BEGIN ... COMMIT below.
        connection = sqlite3.connect(
            self.location, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        # WAL: readers (status, export) never wait for the crawl, nor the crawl for them;
        # a commit survives the process being killed (synchronous NORMAL in WAL mode).
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
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

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        connection = self._connection()
        cursor = connection.cursor()
        cursor.execute(self._begin_write)
        try:
            yield _Cursor(cursor, self._sql)
        except BaseException:
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        connection = self._connection()
        cursor = connection.cursor()
        try:
            yield _Cursor(cursor, self._sql)
        finally:
            cursor.close()

    # -- targets ---------------------------------------------------------------------

    def add(self, targets: Sequence[str]) -> int:
        """Add targets not in the store yet, after the others; return how many were new."""
        added = 0
        with self._write() as cursor:
            cursor.execute("SELECT COALESCE(MAX(position), 0) FROM crawl_targets")
            position = int(cursor.fetchone()[0])
            for target in targets:
                cursor.execute("SELECT 1 FROM crawl_targets WHERE target = ?", (target,))
                if cursor.fetchone() is not None:
                    continue
                position += 1
                cursor.execute(
                    "INSERT INTO crawl_targets (target, position) VALUES (?, ?)",
                    (target, position),
                )
                added += 1
        return added

    def status(self, target: Optional[str] = None) -> List[TargetStatus]:
        """Every target (or the one named) in the order they were added."""
        where = " WHERE target = ?" if target is not None else ""
        with self._read() as cursor:
            cursor.execute(
                f"SELECT {_STATUS_COLUMNS} FROM crawl_targets{where} ORDER BY position",
                () if target is None else (target,),
            )
            return [_status(row) for row in cursor.fetchall()]

    def set_total(self, target: str, total: Optional[int]) -> None:
        """Record how many items the target is expected to have (for progress displays)."""
        with self._write() as cursor:
            cursor.execute("UPDATE crawl_targets SET total = ? WHERE target = ?", (total, target))

    def set_error(self, target: str, error: Optional[str]) -> None:
        """Record why a target failed (``None`` clears it); a failed target is not claimed."""
        with self._write() as cursor:
            cursor.execute(
                "UPDATE crawl_targets SET error = ?, lease_owner = NULL, lease_until = NULL "
                "WHERE target = ?",
                (error, target),
            )

    def clear_errors(self) -> None:
        """Make failed targets claimable again (a new run tries them again)."""
        with self._write() as cursor:
            cursor.execute("UPDATE crawl_targets SET error = NULL WHERE error IS NOT NULL")

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
        with self._write() as cursor:
            query = (
                "SELECT target, cursor, pages, items, lease_owner, lease_until FROM crawl_targets "
                "WHERE done = 0 AND error IS NULL ORDER BY position"
            )
            cursor.execute(query)
            chosen = None
            wanted = None if targets is None else set(targets)
            for target, position, pages, items, holder, until in cursor.fetchall():
                if wanted is not None and target not in wanted:
                    continue
                if _free(holder, until, owner, steal, now):
                    chosen = Claim(
                        target, None if position is None else int(position), int(pages), int(items)
                    )
                    break
            if chosen is None:
                return None
            # Postgres: lock the row and check again, another worker may have won it meanwhile.
            cursor.execute(
                "SELECT pages, lease_owner, lease_until FROM crawl_targets WHERE target = ?"
                + self._for_update,
                (chosen.target,),
            )
            pages, holder, until = cursor.fetchone()
            if int(pages) != chosen.pages or not (_free(holder, until, owner, steal, now)):
                return None
            cursor.execute(
                "UPDATE crawl_targets SET lease_owner = ?, lease_until = ? WHERE target = ?",
                (owner, now + lease, chosen.target),
            )
            return chosen

    def release(self, owner: str, target: str) -> None:
        """Give a target back (the owner stops, rests or failed on it)."""
        with self._write() as cursor:
            cursor.execute(
                "UPDATE crawl_targets SET lease_owner = NULL, lease_until = NULL "
                "WHERE target = ? AND lease_owner = ?",
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
        saved and ``owner`` still holds it (else :class:`Conflict`): a worker that
        lost its lease cannot write over the one that took over. Returns how many
        items were new.
        """
        with self._write() as db:
            db.execute(
                "SELECT pages, done, lease_owner FROM crawl_targets WHERE target = ?"
                + self._for_update,
                (target,),
            )
            row = db.fetchone()
            if row is None:
                raise Conflict(f"{target} is not in the store")
            saved_pages, saved_done, holder = row
            if int(saved_pages) != pages or saved_done or (owner is not None and holder != owner):
                raise Conflict(f"{target} moved on: {saved_pages} pages saved, {pages} expected")
            base = (pages + 1) * PAGE_SPAN
            new: int = db.insert_items(
                "INSERT INTO crawl_items (target, seq, key, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(target, base + index, key, data) for index, (key, data) in enumerate(items)],
            )
            db.execute(
                "UPDATE crawl_targets SET cursor = ?, pages = pages + 1, items = items + ?, "
                "done = ?, lease_until = COALESCE(?, lease_until) WHERE target = ?",
                (cursor, new, 1 if done else 0, lease_until, target),
            )
        return new

    # -- reading -------------------------------------------------------------------------

    def export(self, target: Optional[str] = None) -> Iterator[Tuple[str, Dict[str, Any]]]:
        """``(target, item)`` for every stored item, in crawl order (targets as added)."""
        where = "WHERE t.target = ? " if target is not None else ""
        statement = (
            "SELECT t.target, i.data FROM crawl_items i JOIN crawl_targets t "
            f"ON t.target = i.target {where}ORDER BY t.position, i.seq"
        )
        params = () if target is None else (target,)
        if self.postgres:
            # A server-side cursor: the items stream instead of arriving all at once.
            connection = self._connection()
            with connection.transaction(), connection.cursor(name="tiktok_crawl_export") as cur:
                cur.execute(self._sql(statement), params)
                for name, data in cur:
                    yield name, json.loads(data)
            return
        with self._read() as cursor:
            cursor.execute(statement, params)
            while True:
                rows = cursor.fetchmany(500)
                if not rows:
                    return
                for name, data in rows:
                    yield name, json.loads(data)


def _free(
    holder: Optional[str], until: Optional[float], owner: str, steal: Sequence[str], now: float
) -> bool:
    return holder is None or holder == owner or holder in steal or until is None or until < now


class _Cursor:
    """A DB-API cursor whose statements are written with ``?`` for either database."""

    def __init__(self, cursor: Any, sql: Any) -> None:
        self._cursor = cursor
        self._sql = sql

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._sql(statement), tuple(params))

    def insert_items(self, statement: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run an insert for each row; how many rows it added."""
        added = 0
        statement = self._sql(statement)
        for row in rows:
            self._cursor.execute(statement, tuple(row))
            added += max(self._cursor.rowcount, 0)
        return added

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> List[Any]:
        return list(self._cursor.fetchall())

    def fetchmany(self, size: int) -> List[Any]:
        return list(self._cursor.fetchmany(size))


def open_store(location: Union[str, os.PathLike[str]], *, create: bool = True) -> Store:
    """The store at ``location`` (a SQLite path or a ``postgresql://`` URL)."""
    return Store(location, create=create)
