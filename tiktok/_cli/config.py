"""Where the command line's client comes from: env vars, ``--signer``, ``--sandbox``, ``--session``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from .._links import LINK_HOSTS
from ..client import DEFAULT_BASE_URL, Client
from ..device import ENV_VARS, Device

__all__ = ["UsageError", "load_signer", "open_client", "session_path"]

SIGNER_ENV = "TIKTOK_SIGNER"
BASE_URL_ENV = "TIKTOK_BASE_URL"
SESSION_ENV = "TIKTOK_SESSION"
DEVICE_ENV_VARS = ", ".join(ENV_VARS.values())


class UsageError(Exception):
    """A mistake in the command line or its configuration: exit status 2."""


def load_signer(spec: str) -> Any:
    """Resolve ``module:attr`` to a signer: an object with ``.sign`` or ``.sign_request``, a class, or a function.

    A class is instantiated with no arguments. The current directory is put on
    ``sys.path`` first, so a ``mysigner.py`` next to you is found.
    """
    module_name, colon, attr_path = spec.partition(":")
    if not colon or not module_name or not attr_path:
        raise UsageError(f"--signer takes module:attr (e.g. mysigner:sign), not {spec!r}")
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import the signer module {module_name!r}: {exc}") from exc
    except Exception as exc:
        raise UsageError(
            f"importing the signer module {module_name!r} raised {type(exc).__name__}: {exc}"
        ) from exc
    for part in attr_path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise UsageError(f"the signer {spec!r} does not exist: no attribute {part!r}") from None
    if isinstance(target, type):
        try:
            target = target()
        except Exception as exc:
            raise UsageError(
                f"the signer class {spec!r} could not be created with no arguments: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    if (
        not callable(getattr(target, "sign", None))
        and not callable(getattr(target, "sign_request", None))
        and not callable(target)
    ):
        raise UsageError(
            f"the signer {spec!r} is neither an object with .sign(url, ts, device_id) or "
            ".sign_request(request), a class, nor a function"
        )
    return target


def session_path(args: argparse.Namespace, environ: Mapping[str, str]) -> Optional[Path]:
    value = args.session or environ.get(SESSION_ENV)
    return Path(value) if value else None


def client_options(args: argparse.Namespace) -> Dict[str, Any]:
    options: Dict[str, Any] = {"timeout": args.timeout, "retries": args.retries}
    # Pacing and the proxy, where a command takes them (``crawl run``).
    for name in ("rate", "jitter", "proxy"):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    return options


@contextlib.contextmanager
def open_client(
    args: argparse.Namespace, environ: Optional[Mapping[str, str]] = None, *, login: bool = True
) -> Iterator[Client]:
    """The client a command runs on, closed (and the sandbox stopped) afterwards.

    With ``--sandbox`` an in-process sandbox is started and the client is logged
    in as its account (when ``login``); otherwise device, base URL and signer come
    from the environment and ``--signer``, and ``--session`` is loaded if given.
    """
    env = os.environ if environ is None else environ
    if args.sandbox:
        with _sandbox_client(args, login=login) as client:
            yield client
        return
    client = _configured_client(args, env)
    with client:
        path = session_path(args, env)
        if path is not None and login:
            _load_session(client, path)
        yield client


@contextlib.contextmanager
def _sandbox_client(args: argparse.Namespace, *, login: bool) -> Iterator[Client]:
    if args.session or args.signer:
        flag = "--session" if args.session else "--signer"
        raise UsageError(
            f"--sandbox cannot be combined with {flag}: the in-process sandbox has its own "
            "signer, and its sessions end with the command"
        )
    from ..sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

    with Sandbox(seed=args.seed, fault_rate=0.0) as sandbox:
        client = sandbox.client(**client_options(args))
        with client:
            if login:
                client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
            yield client


def _configured_client(args: argparse.Namespace, env: Mapping[str, str]) -> Client:
    base_url = args.base_url or env.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    missing = [var for var in ENV_VARS.values() if not env.get(var)]
    if missing:
        raise UsageError(
            f"no device: set {DEVICE_ENV_VARS} to your device's params (missing: "
            f"{', '.join(missing)}), or add --sandbox to try the command on a local sandbox"
        )
    spec = args.signer or env.get(SIGNER_ENV)
    if not spec:
        raise UsageError(
            f"no signer: pass --signer module:attr or set {SIGNER_ENV} (tiktok does not ship "
            "TikTok's signature), or add --sandbox to try the command on a local sandbox"
        )
    try:
        device = Device.from_env(dict(env))
    except ValueError as exc:
        raise UsageError(f"bad device params in the environment: {exc}") from exc
    signer = load_signer(spec)
    options = client_options(args)
    options["link_hosts"] = link_hosts(base_url, getattr(args, "link_host", None) or ())
    try:
        return Client(device, signer, base_url=base_url, **options)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from exc


def link_hosts(base_url: str, extra: Iterable[str]) -> Tuple[str, ...]:
    """TikTok's link hosts, ``--link-host`` ones, and the API's own host when it is not TikTok's.

    A standalone sandbox (``tiktok sandbox``) shares links on its own address, as
    ``Sandbox.client()`` knows in Python; so does any API a user points the CLI at.
    """
    hosts = [*LINK_HOSTS, *extra]
    if base_url != DEFAULT_BASE_URL:
        netloc = urlsplit(base_url).netloc.lower()
        if netloc and netloc not in hosts:
            hosts.append(netloc)
    return tuple(hosts)


def _load_session(client: Client, path: Path) -> None:
    if not path.exists():
        raise UsageError(
            f"session file {path} does not exist: create it with "
            f"`tiktok login --email EMAIL --session {path}`"
        )
    try:
        client.load_session(path)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot load the session: {exc}") from exc
