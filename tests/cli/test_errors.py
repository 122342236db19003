"""Every failure is one ``error: ...`` line on stderr and a documented exit status."""

from __future__ import annotations

from .conftest import SANDBOX_SIGNER, Server, clean_env, run_cli

DEVICE_ENV = {
    "TIKTOK_DEVICE_ID": "1",
    "TIKTOK_IID": "2",
    "TIKTOK_OPENUDID": "3",
    "TIKTOK_FP": "4",
}


def test_missing_device_params_name_the_env_vars_and_sandbox() -> None:
    run = run_cli("users", "get", "1", env=clean_env(TIKTOK_DEVICE_ID="1"))
    assert run.returncode == 2
    line = run.error_line()
    for text in ("TIKTOK_IID", "TIKTOK_OPENUDID", "TIKTOK_FP", "--sandbox"):
        assert text in line
    assert run.stdout == ""


def test_missing_signer_names_the_option_the_env_var_and_sandbox() -> None:
    run = run_cli("users", "get", "1", env=clean_env(**DEVICE_ENV))
    assert run.returncode == 2
    line = run.error_line()
    for text in ("--signer", "TIKTOK_SIGNER", "--sandbox"):
        assert text in line


def test_signer_that_cannot_be_imported_is_a_usage_error() -> None:
    run = run_cli(
        "--signer", "no_such_module_xyz:sign", "users", "get", "1", env=clean_env(**DEVICE_ENV)
    )
    assert run.returncode == 2
    assert "no_such_module_xyz" in run.error_line()


def test_signer_spec_without_attribute_is_a_usage_error() -> None:
    run = run_cli("users", "get", "1", env=clean_env(TIKTOK_SIGNER="json", **DEVICE_ENV))
    assert run.returncode == 2
    assert "module:attr" in run.error_line()


def test_bad_id_is_a_usage_error_before_anything_is_sent() -> None:
    run = run_cli("--sandbox", "users", "get", "12ab")
    assert run.returncode == 2
    assert "numeric id" in run.error_line()


def test_limit_must_be_positive() -> None:
    run = run_cli("--sandbox", "posts", "list", "1", "--limit", "0")
    assert run.returncode == 2
    assert "--limit" in run.error_line()


def test_no_command_prints_help_and_fails() -> None:
    run = run_cli()
    assert run.returncode == 2
    assert "demo" in run.stderr and run.stdout == ""


def test_refused_connection_is_an_api_error_naming_the_url() -> None:
    env = clean_env(TIKTOK_BASE_URL="http://127.0.0.1:9/", **DEVICE_ENV)
    run = run_cli("--retries", "0", "--signer", SANDBOX_SIGNER, "users", "get", "1", env=env)
    assert run.returncode == 1
    assert "http://127.0.0.1:9/" in run.error_line()


def test_wrong_signature_gets_the_empty_response_error(server: Server) -> None:
    run = run_cli(
        "--retries", "0", "--signer", "tests.cli.signers:wrong_key", "users", "get", "1",
        env=server.env(),
    )  # fmt: skip
    assert run.returncode == 1
    assert "empty response" in run.error_line()


def test_raising_signer_is_reported_in_one_line(server: Server) -> None:
    run = run_cli("--signer", "tests.cli.signers:raising", "users", "get", "1", env=server.env())
    assert run.returncode == 1
    assert "this signer always fails" in run.error_line()


def test_write_without_login_says_how_to_log_in(server: Server) -> None:
    run = run_cli("--signer", SANDBOX_SIGNER, "posts", "like", "1", env=server.env())
    assert run.returncode == 1
    assert "tiktok login" in run.error_line()


def test_debug_shows_the_traceback_and_request_log(server: Server) -> None:
    run = run_cli(
        "--debug", "--retries", "0", "--signer", "tests.cli.signers:wrong_key",
        "users", "get", "1", env=server.env(),
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" in run.stderr
    assert "EmptyResponseError" in run.stderr
    # The "tiktok" logger's DEBUG line for the request.
    assert "GET aweme/v1/user/ -> 200" in run.stderr
    assert run.stderr.splitlines()[-1].startswith("error: ")
