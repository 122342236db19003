"""A crawl spread over several identities (device + session + proxy): one that is rate limited
or rejected rests for its cooldown while the others go on, and progress says which rest.
Against a sandbox whose rate limit is per device (docs/sandbox.rst (Rate limit))."""

from __future__ import annotations

import json
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
