"""A sandbox for crawl tests, and the environment a ``tiktok crawl`` subprocess needs for it."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional

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


# -- PostgreSQL: a throwaway server on loopback, for the store and the Celery tests -----------


def _postgres_bin() -> Optional[Path]:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 in a temporary folder; its URL without a database."""
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="tiktok-pg-"))
    run_as: List[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: the server runs as the postgres user.
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        os.chown(folder, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()
    try:
        subprocess.run(
            [*run_as, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
             "-o", f"-h 127.0.0.1 -p {port} -k {folder} -F", "start"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}") from exc
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


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
