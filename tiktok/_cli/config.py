"""Where the command line's client comes from: :mod:`tiktok.settings` (the environment) with
``--signer``, ``--base-url`` and ``--session`` over it, or ``--sandbox``."""

from __future__ import annotations

import argparse
import contextlib
import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Tuple
from urllib.parse import urlsplit

import attrs

from .._links import LINK_HOSTS
from ..client import DEFAULT_BASE_URL, Client
from ..device import ENV_VARS
from ..settings import SIGNER_ENV, Settings, SettingsError

__all__ = ["UsageError", "cli_settings", "open_client", "session_path"]

DEVICE_ENV_VARS = ", ".join(ENV_VARS.values())


class UsageError(Exception):
    """A mistake in the command line or its configuration: exit status 2."""


def cli_settings(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    """The environment's settings with the command line's flags over them."""
    flags = Settings(
        signer=getattr(args, "signer", None),
        base_url=getattr(args, "base_url", None),
        session=getattr(args, "session", None),
    )
    try:
        return Settings.from_env(environ).merge(flags)
    except SettingsError as exc:
        raise UsageError(str(exc)) from exc


def session_path(args: argparse.Namespace, environ: Mapping[str, str]) -> Optional[Path]:
    value = cli_settings(args, environ).session
    return Path(value) if value else None


def client_options(args: argparse.Namespace) -> Dict[str, Any]:
    options: Dict[str, Any] = {"timeout": args.timeout, "retries": args.retries}
    # Pacing and the proxy, where a command takes them (``crawl run``).
    # The webcast host, where a command takes it (``live status``, ``live record``).
    for name in ("rate", "jitter", "proxy", "webcast_url"):
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
    with _configured_client(args, env, login=login) as client:
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


def _configured_client(args: argparse.Namespace, env: Mapping[str, str], *, login: bool) -> Client:
    settings = cli_settings(args, env)
    if not login:
        settings = attrs.evolve(settings, session=None)
    options = client_options(args)
    options["link_hosts"] = link_hosts(
        settings.base_url or DEFAULT_BASE_URL, getattr(args, "link_host", None) or ()
    )
    try:
        return settings.client(**options)
    except SettingsError as exc:
        raise UsageError(_usage_message(exc, settings)) from exc


def _usage_message(exc: SettingsError, settings: Settings) -> str:
    """The settings' error, saying what to pass or set on the command line."""
    sandbox = "or add --sandbox to try the command on a local sandbox"
    if exc.setting == "device" and exc.missing:
        return (
            f"no device: set {DEVICE_ENV_VARS} to your device's params (missing: "
            f"{', '.join(exc.missing)}), {sandbox}"
        )
    if exc.setting == "signer" and exc.missing:
        return (
            f"no signer: pass --signer module:attr or set {SIGNER_ENV} (tiktok does not ship "
            f"TikTok's signature), {sandbox}"
        )
    if exc.setting == "session" and exc.missing:
        return f"{exc}: create it with `tiktok login --email EMAIL --session {settings.session}`"
    return str(exc)


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
