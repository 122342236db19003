"""The pytest plugin ``tiktok.testing``, as a user's own test suite sees it."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

USER_TESTS = """
from tiktok.sandbox import BIG_USER_ID

clients = []
sandboxes = []


def test_client_is_logged_in_and_talks_to_the_sandbox(tiktok_client, tiktok_sandbox):
    clients.append(tiktok_client)
    sandboxes.append(tiktok_sandbox)
    assert tiktok_client.logged_in
    assert tiktok_client.base_url.rstrip("/") == tiktok_sandbox.url.rstrip("/")
    user = tiktok_client.users.get(BIG_USER_ID)
    assert str(user.uid) == str(BIG_USER_ID)


def test_writes_need_the_login_and_work(tiktok_client):
    clients.append(tiktok_client)
    post = next(iter(tiktok_client.users.posts(BIG_USER_ID, limit=1)))
    comment = tiktok_client.posts.comment(post.aweme_id, "from a user's test")
    assert comment.text == "from a user's test"


def test_each_test_gets_a_fresh_client_and_the_previous_one_is_closed(tiktok_client):
    first, second = clients
    assert first is not second and tiktok_client not in (first, second)
    for old in (first, second):
        assert not old.session.get_adapter("http://").poolmanager.pools


def test_the_sandbox_is_shared_by_the_session(tiktok_sandbox):
    assert tiktok_sandbox is sandboxes[0]
"""


def test_fixtures_work_in_a_users_test_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user_code=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


# What loading the plugin may import of ours: the package's light __init__ and the plugin.
LIGHT = "['tiktok', 'tiktok.testing']"
HEAVY = ("tiktok", "requests", "urllib3", "attrs", "cattrs")


def test_nothing_starts_unless_a_fixture_is_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain=f"""
import sys


def test_plain():
    assert "tiktok.testing" in sys.modules, "the plugin is loaded"
    imported = sorted(name for name in sys.modules if name.split(".")[0] in {HEAVY!r})
    assert str(imported) == {LIGHT!r}, "the plugin imported these without a fixture being used"
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_fixtures_are_documented(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*tiktok_sandbox*",
            "*A running sandbox (seed 0, no faults) shared by the whole test session.*",
            "*tiktok_client*",
            "*logged in as the sandbox account*",
        ]
    )


def imported_by(statement: str) -> str:
    """The modules of HEAVY's packages a fresh interpreter has after ``statement``."""
    code = f"import sys\n{statement}\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_importing_the_plugin_imports_neither_the_client_nor_requests() -> None:
    assert imported_by("import tiktok.testing") == LIGHT
    # The same check can fail: the first use of a name loads the client, and requests.
    loaded = imported_by("import tiktok.testing, tiktok\ntiktok.Client")
    assert "'tiktok.client'" in loaded and "'requests'" in loaded


def test_the_entry_point_is_tiktok_testing() -> None:
    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "setup.cfg")
    assert config["options.entry_points"]["pytest11"].split() == ["tiktok", "=", "tiktok.testing"]
