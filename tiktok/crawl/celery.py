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

    app = make_app("redis://broker.internal:6379/0")

Each worker makes its client from its environment, as the command line does
(``TIKTOK_DEVICE_ID``... ``TIKTOK_SIGNER``, ``TIKTOK_BASE_URL``,
``TIKTOK_SESSION``, ``TIKTOK_PROXY``, ``TIKTOK_RATE``): a worker is one identity.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from typing import Any, Callable, Dict, Mapping, Optional, Sequence

from ..errors import RateLimitError, TikTokError
from ._runner import _RESTING, walk_claim
from ._store import Store, TargetStatus
from ._targets import parse_target

__all__ = ["TASK_NAME", "client_from_env", "crawl_target", "make_app", "run"]

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
    """A :class:`tiktok.Client` from ``TIKTOK_*`` variables, as ``tiktok`` (the CLI) reads them.

    Also ``TIKTOK_PROXY`` (a proxy URL for the API requests) and ``TIKTOK_RATE``
    (requests a second), where this client supports them.
    """
    from .._cli.config import BASE_URL_ENV, SESSION_ENV, SIGNER_ENV, load_signer
    from ..client import DEFAULT_BASE_URL, Client
    from ..device import Device

    env = dict(os.environ if environ is None else environ)
    spec = env.get(SIGNER_ENV)
    if not spec:
        raise RuntimeError(f"a crawl worker needs {SIGNER_ENV}=module:attr, its signer")
    options: Dict[str, Any] = {"base_url": env.get(BASE_URL_ENV) or DEFAULT_BASE_URL}
    if env.get("TIKTOK_PROXY"):
        options["proxy"] = env["TIKTOK_PROXY"]
    if env.get("TIKTOK_RATE"):
        options["rate"] = float(env["TIKTOK_RATE"])
    client = Client(Device.from_env(env), load_signer(spec), **options)
    if env.get(SESSION_ENV):
        client.load_session(env[SESSION_ENV])
    return client


class _Worker:
    """What one worker process keeps between tasks: its client and its open stores."""

    def __init__(self, client_factory: Callable[[], Any]) -> None:
        self._factory = client_factory
        self._client: Any = None
        self._stores: Dict[str, Store] = {}
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def store(self, location: str) -> Store:
        with self._lock:
            if location not in self._stores:
                self._stores[location] = Store(location)
            return self._stores[location]

    def owner(self) -> str:
        return f"{socket.gethostname()}:{os.getpid()}:celery"


def make_app(
    broker: Optional[str] = None,
    *,
    name: str = "tiktok-crawl",
    client_factory: Optional[Callable[[], Any]] = None,
    **config: Any,
) -> Any:
    """A ``celery.Celery`` app with the crawl task; ``config`` goes to ``app.conf``.

    Tasks are acknowledged late and rejected when their worker is lost, so a
    broker that can redeliver (Redis, RabbitMQ) does; :func:`run` resends a
    target whose lease expired in any case. ``client_factory`` makes each
    worker's client (default: :func:`client_from_env`).
    """
    celery = _celery()
    app = celery.Celery(name, broker=broker)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
    )
    app.conf.update(config)
    worker = _Worker(client_factory or client_from_env)

    def crawl_pages(
        task: Any,
        store: str,
        target: str,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        pages: int = 20,
        lease: float = 120.0,
        cooldown: float = 60.0,
    ) -> Dict[str, Any]:
        state = crawl_target(
            worker.client(), worker.store(store), worker.owner(), target,
            count=count, limit=limit, pages=pages, lease=lease, cooldown=cooldown,
        )  # fmt: skip
        if state["state"] in ("continue", "resting"):
            task.apply_async(
                (store, target),
                {"count": count, "limit": limit, "pages": pages, "lease": lease,
                 "cooldown": cooldown},
                countdown=state.get("wait", 0),
            )  # fmt: skip
        return state

    app.task(name=TASK_NAME, bind=True)(crawl_pages)
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
    store: str,
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

    Returns the store's targets once every one is done or failed. A target whose
    lease expired without a new page for ``stall`` seconds (default: ``lease``
    plus ten seconds: its worker died, or the broker lost the task) is sent
    again; the store makes that safe. ``timeout`` bounds the wait
    (``TimeoutError``).
    """
    stall = lease + 10.0 if stall is None else stall
    options = {"count": count, "limit": limit, "pages": pages, "lease": lease, "cooldown": cooldown}
    started = time.monotonic()
    watched: Dict[str, Any] = {}  # target -> (pages seen, when they last changed or were sent)
    with Store(store) as opened:
        opened.add([str(parse_target(t)) for t in targets])
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
                    app.send_task(TASK_NAME, (store, status.target), options)
                    watched[status.target] = (status.pages, now)
            if timeout is not None and time.monotonic() - started > timeout:
                raise TimeoutError(f"{len(left)} targets unfinished after {timeout:g}s")
            time.sleep(poll)
