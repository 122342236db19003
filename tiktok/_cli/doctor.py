"""``tiktok doctor``: the checks of docs/failures.rst (The doctor), in order, one line each.

Each check asks the API one question through the public client and says, when
it fails, which refusal it met (the error's class) and what to do (its hint).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, Dict, List, Optional, TextIO

import attrs

from ..client import Client
from ..errors import (
    AppTooOldError,
    EmptyResponseError,
    InstallIdRefusedError,
    LoginRequiredError,
    TikTokError,
    TransportError,
)
from ..settings import PROXY_ENV
from .config import cli_settings, open_client
from .output import printable

__all__ = ["Check", "add_doctor", "run_checks"]

#: The skew beyond which signatures are refused: the sandbox's window, and the
#: order of the real API's (docs/failures.rst (The doctor)).
MAX_SKEW = 60.0
#: A user the probe asks for: TikTok's own account (@tiktok), public on the real API.
PROBE_USER_ID = "107955"


@attrs.frozen
class Check:
    """One check's outcome: its name, whether it passed, what was seen and what to do."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    #: the class of the error the check met, if it met one
    error: Optional[str] = None


def _failed(name: str, error: TikTokError, what: str = "") -> Check:
    message = " ".join(str(error).split())
    return Check(
        name,
        False,
        f"{what}{type(error).__name__}: {message}",
        fix=error.hint or "see docs/failures.rst",
        error=type(error).__name__,
    )


def run_checks(client: Client, *, proxy: Optional[str], wall: Callable[[], float]) -> List[Check]:
    """The checks of docs/failures.rst (The doctor), in order."""
    checks: List[Check] = []
    met: List[TikTokError] = []

    # 1. the clock against the API's Date
    reached: Optional[TransportError] = None
    try:
        skew = client.server_time() - wall()
    except TransportError as error:
        reached = error
        checks.append(_failed("clock", error, "could not reach the API: "))
    except TikTokError as error:
        checks.append(_failed("clock", error))
    else:
        ok = abs(skew) <= MAX_SKEW
        checks.append(
            Check(
                "clock",
                ok,
                f"the API's clock is {skew:+.0f}s from ours (at most {MAX_SKEW:g}s is accepted)",
                fix="" if ok else "set this machine's clock (NTP): signatures carry the time",
            )
        )

    # 2. the signer answers and its signature is accepted (a call that checks no iid)
    try:
        client.users.get(PROBE_USER_ID)
    except TikTokError as error:
        met.append(error)
        if isinstance(error, EmptyResponseError):
            what = "the API refused the signature (or the device): "
        else:
            what = "the probe call failed: "
        checks.append(_failed("signer", error, what))
    else:
        checks.append(Check("signer", True, "the signer answered and its signature was accepted"))

    # 3. the device and its iid are accepted (the feed checks the install id)
    try:
        next(iter(client.feed.for_you(count=1).pages()), None)
    except TikTokError as error:
        met.append(error)
        what = (
            "the feed refused the install id: " if isinstance(error, InstallIdRefusedError) else ""
        )
        checks.append(_failed("device", error, what))
    else:
        checks.append(Check("device", True, "the device and its iid were accepted (the feed)"))

    # 4. the session is alive
    try:
        me = client.me()
    except TikTokError as error:
        if isinstance(error, LoginRequiredError) and error.identity is None:
            checks.append(Check("session", True, "no session given: nothing to check"))
        else:
            met.append(error)
            checks.append(_failed("session", error))
    else:
        checks.append(Check("session", True, f"the session is alive (user {me.uid})"))

    # 5. the proxy
    if proxy is None:
        checks.append(Check("proxy", True, "no proxy set: requests go direct"))
    elif reached is not None:
        checks.append(
            Check(
                "proxy",
                False,
                "the API could not be reached through the proxy",
                fix="change the proxy (--proxy or $TIKTOK_PROXY), or check that it runs",
                error=type(reached).__name__,
            )
        )
    else:
        checks.append(Check("proxy", True, "the API was reached through the proxy"))

    # 6. the app preset's version
    app = client.device.app
    version = f"{app.name}, version_code {client.device.params().get('version_code', '?')}"
    too_old = next((error for error in met if isinstance(error, AppTooOldError)), None)
    if too_old is not None:
        checks.append(_failed("app", too_old, f"{version}: "))
    else:
        checks.append(Check("app", True, f"{version}: not refused as too old"))
    return checks


def add_doctor(
    commands: Any, add_client_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check clock, signer, device, session, proxy and app preset, with the fix of each",
        description="Run the checks of docs/failures.rst in order, one line each with what to "
        "do; exit 0 only when all pass. Each question is asked once (no retries).",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object on stdout")
    doctor.add_argument("--proxy", metavar="URL", default=None,
                        help=f"send the API requests through this proxy (default ${PROXY_ENV})")  # fmt: skip
    add_client_options(doctor)
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    args.retries = 0  # a retry would hide what the doctor looks for
    proxy = args.proxy
    if proxy is None and not args.sandbox:
        proxy = cli_settings(args, os.environ).proxy
        args.proxy = proxy
    from .._clock import Clock

    with open_client(args) as client:
        checks = run_checks(client, proxy=proxy, wall=Clock().wall)
    report(checks, sys.stdout, as_json=args.json)
    return 0 if all(check.ok for check in checks) else 1


def report(checks: List[Check], out: TextIO, *, as_json: bool) -> None:
    if as_json:
        data: Dict[str, Any] = {
            "ok": all(check.ok for check in checks),
            "checks": [attrs.asdict(check) for check in checks],
        }
        out.write(json.dumps(data) + "\n")
        return
    for check in checks:
        line = f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<8} {check.detail}"
        if check.fix:
            line += f" -> fix: {check.fix}"
        out.write(printable(line) + "\n")
