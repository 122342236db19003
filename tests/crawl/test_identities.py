"""A crawl spread over several identities (device + session + proxy): one that is rate limited
or rejected rests for its cooldown while the others go on, and progress says which rest.
Against a sandbox whose rate limit is per device (docs/sandbox.rst (Rate limit))."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import attrs

import tiktok
from tiktok._cli.crawl import describe
from tiktok.crawl import Crawl, Progress
from tiktok.sandbox import BIG_USER_ID, Sandbox, SandboxSigner, sandbox_device

TARGETS = [
    f"followers:{BIG_USER_ID}",
    f"following:{BIG_USER_ID}",
    f"posts:{BIG_USER_ID}",
    "following:6800000000000000005",
]
COUNT, LIMIT = 20, 300


def _device(n: int) -> tiktok.Device:
    return attrs.evolve(sandbox_device(), device_id=f"66000000000000001{n:02d}")


def _client(sandbox: Sandbox, n: int, key: str = "sandbox") -> tiktok.Client:
    # retries=0: a 429 reaches the crawl at once, as a RateLimitError.
    return tiktok.Client(_device(n), SandboxSigner(key), base_url=sandbox.url, retries=0)


def _items(crawl: Crawl, sandbox: Sandbox) -> List[str]:
    """The exported items, with the sandbox's own address (in media URLs) made neutral."""
    return [json.dumps(entry).replace(sandbox.url, "SANDBOX/") for entry in crawl.export()]


def _reference(tmp_path: Path) -> List[str]:
    with Sandbox(seed=0) as plain:
        crawl = Crawl(plain.client(), tmp_path / "ref.db", count=COUNT, limit=LIMIT)
        with crawl:
            crawl.add(*TARGETS)
            assert crawl.run().complete
            return _items(crawl, plain)


def test_a_rate_limited_identity_rests_while_the_other_goes_on(tmp_path: Path) -> None:
    expected = _reference(tmp_path)
    seen: List[Progress] = []
    with Sandbox(seed=0, rate=8) as sandbox:
        clients = {"alice": _client(sandbox, 1), "bob": _client(sandbox, 2)}
        with Crawl(clients, tmp_path / "c.db", count=COUNT, limit=LIMIT, cooldown=0.2,
                   progress=seen.append) as crawl:  # fmt: skip
            crawl.add(*TARGETS)
            summary = crawl.run()
            got = _items(crawl, sandbox)
        limited = sandbox.stats["rate_limited"]
    assert summary.complete, summary.failed
    assert got == expected
    assert limited > 0  # the limit was met, and the crawl lived with it
    # Both identities did a good share of the work.
    assert set(summary.pages_by_identity) == {"alice", "bob"}
    assert min(summary.pages_by_identity.values()) >= summary.pages // 4, summary.pages_by_identity
    resting = [p for p in seen if p.resting]
    assert resting, "no progress report named a resting identity"
    assert {name for p in resting for name in p.resting} <= {"alice", "bob"}
    assert all(p.reasons[name] == "rate limited" for p in resting for name in p.resting)
    line = describe(resting[0])
    name = next(iter(resting[0].resting))
    assert f"resting: {name} (rate limited" in line


def test_a_rejected_identity_rests_and_the_others_do_its_work(tmp_path: Path) -> None:
    expected = _reference(tmp_path)
    seen: List[Progress] = []
    with Sandbox(seed=0) as sandbox:
        # Signed with the wrong key: the sandbox answers it with empty bodies, as TikTok does.
        clients = {"good": _client(sandbox, 1), "banned": _client(sandbox, 2, key="wrong")}
        with Crawl(clients, tmp_path / "c.db", count=COUNT, limit=LIMIT, cooldown=30,
                   progress=seen.append) as crawl:  # fmt: skip
            crawl.add(*TARGETS)
            summary = crawl.run()
            got = _items(crawl, sandbox)
    assert summary.complete, summary.failed
    assert got == expected
    assert summary.pages_by_identity["banned"] == 0
    assert summary.pages_by_identity["good"] == summary.pages
    assert any(p.reasons.get("banned") == "empty answers" for p in seen)


def test_a_target_every_identity_is_rejected_on_fails_for_the_run(tmp_path: Path) -> None:
    with Sandbox(seed=0) as sandbox:
        clients = [_client(sandbox, 1, key="wrong"), _client(sandbox, 2, key="wrong")]
        with Crawl(clients, tmp_path / "c.db", cooldown=0.05) as crawl:
            crawl.add("following:6800000000000000005")
            summary = crawl.run()
    assert not summary.complete
    assert list(summary.failed) == ["following:6800000000000000005"]
    assert summary.failed["following:6800000000000000005"].startswith("EmptyResponseError")


def test_four_identities_one_soft_blocked_one_retired_finish_the_work(tmp_path: Path) -> None:
    """Issue 19's figure: the sandbox soft-blocks one device (trap replies) and refuses
    another's old app version (2146); the other two finish every target, nothing lost or
    doubled, and the crawl says which identities it lost and why, then and after a restart."""
    expected = _reference(tmp_path)
    version = int(sandbox_device().version_code)
    store = tmp_path / "c.db"
    with Sandbox(seed=0, min_version_code=version,
                 faults=[f"trap_reply:{_device(1).device_id}"]) as sandbox:  # fmt: skip
        old = tiktok.Client(attrs.evolve(_device(2), version_code=str(version - 1)),
                            SandboxSigner("sandbox"), base_url=sandbox.url, retries=0)  # fmt: skip
        clients = {"blocked": _client(sandbox, 1), "old": old,
                   "alice": _client(sandbox, 3), "bob": _client(sandbox, 4)}  # fmt: skip
        with Crawl(clients, store, count=COUNT, limit=LIMIT, cooldown=60) as crawl:
            crawl.add(*TARGETS)
            summary = crawl.run()
            got = _items(crawl, sandbox)
            keys = [(target, json.dumps(item, sort_keys=True)) for target, item in crawl.export()]
        assert summary.complete, summary.failed
        assert got == expected  # nothing lost, nothing doubled, in crawl order
        assert len(set(keys)) == len(keys) == len(expected)
        assert summary.health["blocked"].state == "resting"
        assert summary.health["blocked"].reason.startswith("TrapReplyError:")
        assert set(summary.lost) == {"old"}
        assert summary.lost["old"].state == "retired"
        assert summary.lost["old"].reason.startswith("AppTooOldError:")
        assert summary.pages_by_identity["old"] == 0
        print(
            f"\nfigures: items {len(got)} (expected {len(expected)}), missing "
            f"{len(set(expected) - set(got))}, doubled {len(keys) - len(set(keys))}; "
            f"health {{{', '.join(f'{n}: {h.state} ({h.reason[:60]})' for n, h in summary.health.items())}}}; "
            f"pages {summary.pages_by_identity}"
        )
        # A restart remembers: the retired one sends nothing, the resting one waits.
        with Crawl(clients, store, cooldown=60) as again:
            assert again.add(f"followers:{BIG_USER_ID[:-1]}5") == 1
            assert again.health()["old"].state == "retired"
            assert again.health()["alice"].state == "ok"
            second = again.run()
            assert second.complete and second.new_items > 0, second.failed
            assert second.pages_by_identity["old"] == second.pages_by_identity["blocked"] == 0
        for client in clients.values():
            client.close()
    status = subprocess.run(
        [sys.executable, "-m", "tiktok", "crawl", "status", "--store", str(store)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in status.stdout.splitlines()]
    identities = {line["identity"]: line for line in lines if "identity" in line}
    assert set(identities) == {"blocked", "old"}
    assert (
        identities["old"]["state"] == "retired" and "AppTooOldError" in identities["old"]["reason"]
    )
    assert identities["blocked"]["state"] == "resting" and identities["blocked"]["until"] > 0
