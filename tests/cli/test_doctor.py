"""``tiktok doctor``: the checks of docs/failures.rst, against a healthy sandbox and one
refusing with each fault; every fault is named, and the exit status says whether all passed."""

from __future__ import annotations

import json
import time
from typing import Any, Dict, Iterator, List

import pytest

from tiktok._cli.doctor import run_checks
from tiktok._cli.main import main
from tiktok.sandbox import Sandbox, sandbox_device

from .conftest import SANDBOX_SIGNER, run_cli, start_server, stop_server

CHECKS = ["clock", "signer", "device", "session", "proxy", "app"]
# Each fault of docs/sandbox.rst (Refusals) and the error the doctor names for it.
FAULTS = {
    "ip_blocked": "IPBlockedError",
    "private_post": "PrivatePostError",
    "private_account": "PrivateAccountError",
    "user_not_found": "UserNotFoundError",
    "app_too_old": "AppTooOldError",
    "login_required": "LoginRequiredError",
    "session_expired": "SessionExpiredError",
    "invalid_parameter": "InvalidParameterError",
    "too_many_requests": "RateLimitError",
    "http_429": "RateLimitError",
    "captcha": "CaptchaRequiredError",
    "captcha_header": "CaptchaRequiredError",
    "empty": "EmptyResponseError",
    "trap_reply": "TrapReplyError",
    "iid_refused": "InstallIdRefusedError",
}


@pytest.fixture
def device_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    device = sandbox_device()
    for name, value in (
        ("TIKTOK_DEVICE_ID", device.device_id),
        ("TIKTOK_IID", device.iid),
        ("TIKTOK_OPENUDID", device.openudid),
        ("TIKTOK_FP", device.fp),
    ):
        monkeypatch.setenv(name, value)
    for name in ("TIKTOK_SESSION", "TIKTOK_PROXY", "TIKTOK_SIGNER", "TIKTOK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield


def doctor(sb: Sandbox, capsys: pytest.CaptureFixture[str], *extra: str) -> Dict[str, Any]:
    status = main(["--base-url", sb.url, "--signer", SANDBOX_SIGNER, "doctor", "--json", *extra])
    report: Dict[str, Any] = json.loads(capsys.readouterr().out)
    report["status"] = status
    return report


def failed(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [check for check in report["checks"] if not check["ok"]]


def test_a_healthy_sandbox_passes_every_check(device_env: None, capsys: Any) -> None:
    with Sandbox() as sb:
        report = doctor(sb, capsys)
    assert [check["name"] for check in report["checks"]] == CHECKS
    assert failed(report) == [] and report["ok"] is True and report["status"] == 0


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_doctor_names_each_fault_and_fails(fault: str, device_env: None, capsys: Any) -> None:
    with Sandbox(faults=[fault]) as sb:
        report = doctor(sb, capsys)
    assert report["status"] == 1 and report["ok"] is False
    named = {check["error"] for check in failed(report)}
    assert FAULTS[fault] in named, report
    assert all(check["fix"] for check in failed(report))  # each failure says what to do


def test_a_refusal_forgiven_lets_the_doctor_pass_again(device_env: None, capsys: Any) -> None:
    with Sandbox() as sb:
        sb.refuse("session_expired")
        assert doctor(sb, capsys)["status"] == 1
        sb.forgive()  # the standing fault gone: the healthy answers come back
        assert doctor(sb, capsys)["status"] == 0


def test_an_app_too_old_fails_the_app_check_with_the_preset_fix(
    device_env: None, capsys: Any
) -> None:
    with Sandbox(min_version_code=300000) as sb:  # the default preset sends 910
        report = doctor(sb, capsys)
    app = report["checks"][CHECKS.index("app")]
    assert not app["ok"] and app["error"] == "AppTooOldError"
    assert "app preset" in app["fix"]


def test_an_unreachable_proxy_fails_the_clock_and_the_proxy(device_env: None, capsys: Any) -> None:
    with Sandbox() as sb:
        report = doctor(sb, capsys, "--proxy", "http://127.0.0.1:9")  # discard port: closed
    by_name = {check["name"]: check for check in report["checks"]}
    assert not by_name["proxy"]["ok"] and not by_name["clock"]["ok"]
    assert report["status"] == 1


def test_a_clock_an_hour_off_fails_the_clock_check() -> None:
    with Sandbox() as sb, sb.client(retries=0) as client:
        checks = run_checks(client, proxy=None, wall=lambda: time.time() + 3600)
    assert [check.name for check in checks] == CHECKS
    assert not checks[0].ok and "NTP" in checks[0].fix
    assert all(check.ok for check in checks[1:])


def test_the_command_against_a_served_sandbox_with_a_fault_prints_one_line_each() -> None:
    server = start_server("--fault", "ip_blocked")
    try:
        run = run_cli("--signer", SANDBOX_SIGNER, "doctor", env=server.env())
    finally:
        stop_server(server)
    lines = run.stdout.splitlines()
    assert run.returncode == 1, run.stderr
    assert [line.split()[1] for line in lines] == CHECKS
    assert lines[1].startswith("FAIL") and "IPBlockedError" in lines[1]
    assert "change the proxy" in lines[1]


def test_the_command_on_the_in_process_sandbox_passes() -> None:
    run = run_cli("--sandbox", "doctor")
    assert run.returncode == 0, run.stdout + run.stderr
    assert all(line.startswith("ok") for line in run.stdout.splitlines())
    assert "session is alive" in run.stdout
