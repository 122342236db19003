"""The store, on SQLite and PostgreSQL: one transaction per page, replays kept once, leases,
crawl order, cursors of any size, remembered limits."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tiktok.crawl import (
    ConflictError,
    Limits,
    PostgresStore,
    SQLiteStore,
    Store,
    UnstorablePageError,
)

from .conftest import REPO, new_database


def _rows(*keys: str):
    return [(key, json.dumps({"id": key})) for key in keys]


def test_a_page_and_its_cursor_are_saved_together(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1"])
        new = store.save_page(
            None, "followers:1", pages=0, items=_rows("a", "b"), cursor=50, done=False
        )
        assert new == 2
        [status] = store.status()
        assert status.to_json() == {
            "target": "followers:1", "items": 2, "pages": 1, "done": False, "cursor": 50,
        }  # fmt: skip


def test_a_replayed_page_is_refused_and_changes_nothing(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1"])
        store.save_page(None, "followers:1", pages=0, items=_rows("a", "b"), cursor=50, done=False)
        with pytest.raises(ConflictError):
            store.save_page(
                None, "followers:1", pages=0, items=_rows("a", "c"), cursor=50, done=False
            )
        assert [item["id"] for _, item in store.export()] == ["a", "b"]
        assert store.status()[0].pages == 1


def test_items_are_unique_per_target_across_pages(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1", "followers:2"])
        store.save_page(None, "followers:1", pages=0, items=_rows("a", "b"), cursor=5, done=False)
        new = store.save_page(
            None, "followers:1", pages=1, items=_rows("b", "c"), cursor=None, done=True
        )
        assert new == 1
        # The same key under another target is another item.
        store.save_page(None, "followers:2", pages=0, items=_rows("a"), cursor=None, done=True)
        assert [(t, item["id"]) for t, item in store.export()] == [
            ("followers:1", "a"), ("followers:1", "b"), ("followers:1", "c"), ("followers:2", "a"),
        ]  # fmt: skip
        assert [s.items for s in store.status()] == [3, 1]


def test_a_failed_transaction_leaves_nothing_behind(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1"])

        class Boom(Exception):
            pass

        class Broken(list):
            # The first item goes in, then building the second fails mid-transaction.
            def __iter__(self):
                yield _rows("a")[0]
                raise Boom

        with pytest.raises(Boom):
            store.save_page(None, "followers:1", pages=0, items=Broken(), cursor=5, done=False)
        assert list(store.export()) == []
        assert store.status()[0].pages == 0


def test_a_lease_keeps_others_off_until_it_expires(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1", "followers:2"])
        first = store.claim("w1", now=100.0, lease=10.0)
        second = store.claim("w2", now=100.0, lease=10.0)
        assert first is not None and second is not None
        assert (first.target, second.target) == ("followers:1", "followers:2")
        assert store.claim("w3", now=105.0, lease=10.0) is None
        # A worker that lost its lease cannot write over the one that took over.
        taken = store.claim("w3", now=111.0, lease=10.0)
        assert taken is not None and taken.target == "followers:1"
        with pytest.raises(ConflictError):
            store.save_page("w1", "followers:1", pages=0, items=_rows("x"), cursor=1, done=False)
        store.save_page("w3", "followers:1", pages=0, items=_rows("y"), cursor=1, done=True)
        assert [item["id"] for _, item in store.export()] == ["y"]


def test_done_and_failed_targets_are_not_claimed(store_location: str) -> None:
    with Store(store_location) as store:
        store.add(["followers:1", "followers:2", "followers:3"])
        store.save_page(None, "followers:1", pages=0, items=[], cursor=None, done=True)
        store.set_error("followers:2", "NotFoundError: gone")
        claim = store.claim("w", now=0.0, lease=1.0)
        assert claim is not None and claim.target == "followers:3"
        store.clear_errors()
        store.release("w", "followers:3")
        assert store.claim("w2", now=0.0, lease=1.0).target == "followers:2"


def test_status_and_export_read_while_a_writer_holds_a_transaction(store_location: str) -> None:
    with Store(store_location) as writer, Store(store_location, create=False) as reader:
        writer.add(["followers:1"])
        writer.save_page(None, "followers:1", pages=0, items=_rows("a"), cursor=5, done=False)
        inside = threading.Event()
        release = threading.Event()

        def slow_items():
            inside.set()
            release.wait(10)
            return _rows("b")

        class SlowList(list):
            def __iter__(self):
                return iter(slow_items())

        thread = threading.Thread(
            target=writer.save_page,
            args=(None, "followers:1"),
            kwargs={"pages": 1, "items": SlowList(), "cursor": None, "done": True},
        )
        thread.start()
        assert inside.wait(10)
        # The writer is inside its transaction: readers see the last committed page.
        assert [s.items for s in reader.status()] == [1]
        assert [item["id"] for _, item in reader.export()] == ["a"]
        release.set()
        thread.join(10)
        assert [item["id"] for _, item in reader.export()] == ["a", "b"]


def test_status_of_a_missing_store_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


# -- issue 22: cursors of any size, remembered limits, a database with no crawl in it ----------

HUGE_CURSORS = [2**64, -(2**70), 10**300, 2**63 - 1]


def test_cursors_of_any_size_are_stored_without_loss(store_location: str) -> None:
    with Store(store_location) as store:
        targets = [f"followers:{n}" for n in range(len(HUGE_CURSORS))]
        store.add(targets)
        for target, cursor in zip(targets, HUGE_CURSORS):
            store.save_page(None, target, pages=0, items=_rows("a"), cursor=cursor, done=False)
        assert [s.cursor for s in store.status()] == HUGE_CURSORS
        assert [s.to_json()["cursor"] for s in store.status()] == HUGE_CURSORS
        claims = [store.claim(f"w{n}", now=0.0, lease=1.0) for n in range(len(targets))]
        assert [c.cursor for c in claims if c is not None] == HUGE_CURSORS


def test_an_item_the_database_cannot_hold_is_a_clear_error_and_leaves_nothing(
    store_location: str,
) -> None:
    with Store(store_location) as store:
        store.add(["followers:1"])
        # A lone surrogate: valid in a JSON string, not in UTF-8 text.
        bad = [("a", json.dumps({"nickname": "\ud800"}, ensure_ascii=False))]
        with pytest.raises(UnstorablePageError, match=r"cannot store page 1 of followers:1"):
            store.save_page(None, "followers:1", pages=0, items=bad, cursor=5, done=False)
        assert list(store.export()) == []
        assert store.status()[0].pages == 0


def test_a_store_remembers_the_limits_it_was_started_with(store_location: str) -> None:
    with Store(store_location) as store:
        assert store.limits() == Limits(count=None, limit=None)
        assert store.limits(count=20, limit=100) == Limits(count=20, limit=100)
    with Store(store_location, create=False) as store:
        assert store.limits() == Limits(count=20, limit=100)
        # One given overrides, and is remembered in turn; the other stays.
        assert store.limits(limit=500) == Limits(count=20, limit=500)
        assert store.limits() == Limits(count=20, limit=500)


def test_a_store_remembers_each_identitys_health(store_location: str) -> None:
    from tiktok import Health

    resting = Health("resting", "RateLimitError: slow down", 1_700_000_060.5)
    retired = Health("retired", "AppTooOldError: update the app preset")
    with Store(store_location) as store:
        assert store.health() == {}
        store.set_health("phone-1", resting)
        store.set_health("phone-2", retired)
        store.set_health("phone-3", Health("login", "SessionExpiredError"))
        store.set_health("phone-3", Health())  # ok again: forgotten
    with Store(store_location, create=False) as store:
        assert store.health() == {"phone-1": resting, "phone-2": retired}


def test_the_location_chooses_the_implementation(store_location: str) -> None:
    with Store(store_location) as store:
        expected = PostgresStore if store_location.startswith("postgresql://") else SQLiteStore
        assert type(store) is expected
        assert isinstance(store, Store)
        assert "@" not in repr(store)


def test_a_database_without_a_crawl_is_no_crawl_store(postgres_server: str) -> None:
    location = new_database(postgres_server)
    with pytest.raises(FileNotFoundError, match=r"^no crawl store at postgresql://127\.0\.0\.1"):
        Store(location, create=False)
    # Nothing was made there.
    with pytest.raises(FileNotFoundError):
        Store(location, create=False)


def test_crawl_status_on_a_database_without_a_crawl_says_so(postgres_server: str) -> None:
    location = new_database(postgres_server)
    done = subprocess.run(
        [sys.executable, "-m", "tiktok", "crawl", "status", "--store", location],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "no crawl store at postgresql://127.0.0.1:" in done.stderr
    assert "UndefinedTable" not in done.stderr and "unexpected" not in done.stderr
    assert done.stdout == ""


OLD_SCHEMA = (
    # The stores made before cursors were text: cursor BIGINT.
    "CREATE TABLE crawl_targets (target TEXT PRIMARY KEY, position INTEGER NOT NULL, "
    "cursor BIGINT, pages INTEGER NOT NULL DEFAULT 0, items INTEGER NOT NULL DEFAULT 0, "
    "done INTEGER NOT NULL DEFAULT 0, total BIGINT, error TEXT, lease_owner TEXT, "
    "lease_until DOUBLE PRECISION)",
    "CREATE TABLE crawl_items (target TEXT NOT NULL, seq BIGINT NOT NULL, "
    "key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (target, key))",
    "INSERT INTO crawl_targets VALUES ('followers:1', 1, 1600, 1, 1, 0, NULL, NULL, NULL, NULL)",
    """INSERT INTO crawl_items VALUES ('followers:1', 2000000, 'a', '{"id":"a"}')""",
)


def test_a_store_made_before_cursors_were_text_resumes_where_it_was(store_location: str) -> None:
    if store_location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store_location, autocommit=True) as db:
            for statement in OLD_SCHEMA:
                db.execute(statement)
    else:
        with contextlib.closing(sqlite3.connect(store_location)) as db, db:
            for statement in OLD_SCHEMA:
                db.execute(statement)
    with Store(store_location) as store:
        assert [s.cursor for s in store.status()] == [1600]
        store.save_page(None, "followers:1", pages=1, items=_rows("b"), cursor=2**64, done=False)
        assert [s.cursor for s in store.status()] == [2**64]
        assert [item["id"] for _, item in store.export()] == ["a", "b"]
    with Store(store_location) as store:  # opened again: upgraded once
        assert [s.cursor for s in store.status()] == [2**64]
