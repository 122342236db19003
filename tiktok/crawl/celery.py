"""Crawls beyond one machine, as Celery tasks (``pip install 'tiktok[celery]'``; docs/crawling.rst).

Workers on many machines share the broker and the crawl's store (a
``postgresql://`` URL, ``pip install 'tiktok[postgres]'``; a SQLite file for
workers on one machine). A task claims one target with a lease, walks a
bounded run of its pages from the saved cursor, commits each page with the
cursor after it in one transaction, and queues its own continuation. A worker
killed mid-page loses nothing (the page was not committed) and doubles nothing
(items are unique per target, and a page is saved only by the lease holder):
once its lease expires, :func:`run` sends the target again and another worker
goes on from the last saved page.

Your application module, for ``celery -A crawlapp worker``::

    # crawlapp.py
    from tiktok.crawl.celery import make_app

    app = make_app("redis://broker.internal:6379/0", store="postgresql://db.internal/crawl")

Each worker makes its client from its settings (:class:`tiktok.settings.Settings`,
read from its environment as the command line reads it: ``TIKTOK_DEVICE_ID``...
``TIKTOK_SIGNER``, ``TIKTOK_BASE_URL``, ``TIKTOK_SESSION``, ``TIKTOK_PROXY``,
``TIKTOK_RATE``): a worker is one identity. It stores only into the store it was
made with (``store=``, else ``TIKTOK_CRAWL_STORE``, else ``tiktok-crawl.db``): a
task's message names a target, never where to write.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from typing import Any, Callable, Dict, Mapping, Optional, Sequence

from ..errors import RateLimitError, TikTokError
from ..settings import Settings
from ._runner import _RESTING, walk_claim
from ._store import DEFAULT_STORE, Store, TargetStatus, shown_location
from ._targets import parse_target

__all__ = ["STORE_SETTING", "TASK_NAME", "client_from_env", "crawl_target", "make_app", "run"]

#: The name of the task that crawls a bounded run of one target's pages.
TASK_NAME = "tiktok.crawl.pages"


def _celery() -> Any:
    try:
        return importlib.import_module("celery")
    except ImportError:
        raise RuntimeError(
            "Celery crawls need the celery extra: pip install 'tiktok[celery]'"
        ) from None


def client_from_env(environ: Optional[Mapping[str, str]] = None) -> Any:
    """``Settings.from_env(environ).client()``: the client the ``TIKTOK_*`` variables make."""
    return Settings.from_env(environ).client()


class _Worker:
    """What one worker process keeps between tasks: its client and its store, opened once."""

    def __init__(self, client_factory: Callable[[], Any], store: str) -> None:
        self._factory = client_factory
        self._location = store
        self._client: Any = None
        self._store: Optional[Store] = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self._location)
            return self._store

    def owner(self) -> str:
        return f"{socket.gethostname()}:{os.getpid()}:celery"


#: The ``app.conf`` key that holds the store an app's workers crawl into.
STORE_SETTING = "tiktok_crawl_store"


def make_app(
    broker: Optional[str] = None,
    *,
    store: Optional[str] = None,
    settings: Optional[Settings] = None,
    name: str = "tiktok-crawl",
    client_factory: Optional[Callable[[], Any]] = None,
    **config: Any,
) -> Any:
    """A ``celery.Celery`` app with the crawl task; ``config`` goes to ``app.conf``.

    Its workers crawl into ``store`` (a SQLite path or a ``postgresql://`` URL;
    default ``settings.crawl_store``, else :data:`~tiktok.crawl.DEFAULT_STORE`)
    and nowhere else. ``settings`` (default :meth:`Settings.from_env
    <tiktok.settings.Settings.from_env>`, read once, here) make each worker's
    client, unless ``client_factory`` is given. Tasks are acknowledged late and
    rejected when their worker is lost, so a broker that can redeliver (Redis,
    RabbitMQ) does; :func:`run` resends a target whose lease expired in any
    case.
    """
    celery = _celery()
    if settings is None:
        settings = Settings.from_env()
    location = store or settings.crawl_store or DEFAULT_STORE
    app = celery.Celery(name, broker=broker)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
    )
    app.conf.update(config)
    app.conf[STORE_SETTING] = location
    worker = _Worker(client_factory or settings.client, location)

    def crawl_pages(
        task: Any,
        target: str,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        pages: int = 20,
        lease: float = 120.0,
        cooldown: float = 60.0,
    ) -> Dict[str, Any]:
        state = crawl_target(
            worker.client(), worker.store(), worker.owner(), target,
            count=count, limit=limit, pages=pages, lease=lease, cooldown=cooldown,
        )  # fmt: skip
        if state["state"] in ("continue", "resting"):
            task.apply_async(
                (target,),
                {"count": count, "limit": limit, "pages": pages, "lease": lease,
                 "cooldown": cooldown},
                countdown=state.get("wait", 0),
            )  # fmt: skip
        return state

    # shared=False: Celery would otherwise add this task (its closure: this app's store and
    # client) to every app made later in the process, in place of their own.
    app.task(name=TASK_NAME, bind=True, shared=False)(crawl_pages)
    return app


def crawl_target(
    client: Any,
    store: Store,
    owner: str,
    target: str,
    *,
    count: Optional[int] = None,
    limit: Optional[int] = None,
    pages: int = 20,
    lease: float = 120.0,
    cooldown: float = 60.0,
) -> Dict[str, Any]:
    """One task's work: claim ``target``, walk up to ``pages`` pages, release it.

    ``state`` in the answer: ``done``, ``continue`` (more pages left), ``held``
    (another worker has it, or it is done), ``resting`` (rate limited or rejected:
    try again after ``wait`` seconds) or ``failed``.
    """
    name = str(parse_target(target))
    claim = store.claim(owner, now=time.time(), lease=lease, targets=[name])
    if claim is None:
        return {"target": name, "state": "held"}
    try:
        done = walk_claim(
            client, store, owner, claim, count=count, limit=limit, lease=lease, max_pages=pages
        )
    except RateLimitError as exc:
        return {"target": name, "state": "resting", "wait": max(cooldown, exc.retry_after or 0)}
    except _RESTING:
        return {"target": name, "state": "resting", "wait": cooldown}
    except (TikTokError, ValueError) as exc:
        store.set_error(name, f"{type(exc).__name__}: {' '.join(str(exc).split())}")
        return {"target": name, "state": "failed"}
    finally:
        store.release(owner, name)
    return {"target": name, "state": "done" if done else "continue"}


def run(
    app: Any,
    store: Optional[str] = None,
    targets: Sequence[str] = (),
    *,
    count: Optional[int] = None,
    limit: Optional[int] = None,
    pages: int = 20,
    lease: float = 120.0,
    cooldown: float = 60.0,
    stall: Optional[float] = None,
    poll: float = 1.0,
    timeout: Optional[float] = None,
    progress: Optional[Callable[[Sequence[TargetStatus]], None]] = None,
) -> Sequence[TargetStatus]:
    """Add ``targets`` to the store, send a task for each unfinished target, and watch.

    ``store`` is the one ``app``'s workers crawl into (the default; another is a
    ``ValueError``: the workers would never write there). ``count`` and
    ``limit`` not given are the ones the store remembers (see :class:`Crawl
    <tiktok.crawl.Crawl>`). Returns the store's targets once every one is done
    or failed. A target whose lease expired without a new page for ``stall``
    seconds (default: ``lease`` plus ten seconds: its worker died, or the
    broker lost the task) is sent again; the store makes that safe.
    ``timeout`` bounds the wait (``TimeoutError``).
    """
    configured = app.conf.get(STORE_SETTING)
    if configured is None:
        raise ValueError("the app was not made by tiktok.crawl.celery.make_app")
    if store is not None and str(store) != configured:
        raise ValueError(
            f"the app's workers crawl into {shown_location(configured)}, not "
            f"{shown_location(str(store))}: give make_app(store=...) the store to crawl into"
        )
    stall = lease + 10.0 if stall is None else stall
    started = time.monotonic()
    watched: Dict[str, Any] = {}  # target -> (pages seen, when they last changed or were sent)
    with Store(configured) as opened:
        opened.add([str(parse_target(t)) for t in targets])
        limits = opened.limits(count=count, limit=limit)
        options = {"count": limits.count, "limit": limits.limit, "pages": pages, "lease": lease,
                   "cooldown": cooldown}  # fmt: skip
        while True:
            statuses = opened.status()
            if progress is not None:
                progress(statuses)
            left = [s for s in statuses if not s.done and s.error is None]
            if not left:
                return statuses
            now = time.time()
            for status in left:
                seen = watched.get(status.target)
                leased = status.lease_owner is not None and (status.lease_until or 0) > now
                if seen is not None and seen[0] != status.pages:
                    watched[status.target] = (status.pages, now)
                    continue
                if seen is None or (not leased and now - seen[1] > stall):
                    app.send_task(TASK_NAME, (status.target,), options)
                    watched[status.target] = (status.pages, now)
            if timeout is not None and time.monotonic() - started > timeout:
                raise TimeoutError(f"{len(left)} targets unfinished after {timeout:g}s")
            time.sleep(poll)
