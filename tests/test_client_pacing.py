"""``Client(rate=..., jitter=...)``: the transport waits for the pacer before every attempt, and
the pacing holds across the client's threads (docs/protocol.rst (Retries, limits and pacing)).

Against a sandbox that limits each device (docs/sandbox.rst (Rate limit)); the paced client asks
at half the allowed rate, so scheduling noise on a busy machine cannot make it fail, and the same
loop unpaced is run beside it to show the limit is really met.
"""

from __future__ import annotations

import threading
from typing import List

import attrs
import pytest

import tiktok
from tiktok import RateLimitError
from tiktok._pacing import Pacer
from tiktok.sandbox import Fault, Sandbox, SandboxSigner, sandbox_device

ALLOWED = 20


def _client(sandbox: Sandbox, device_id: str, **kwargs: object) -> tiktok.Client:
    device = attrs.evolve(sandbox_device(), device_id=device_id)
    return tiktok.Client(device, SandboxSigner(), base_url=sandbox.url, retries=0, **kwargs)


def _hammer(client: tiktok.Client, threads: int, calls: int) -> int:
    """Every thread makes ``calls`` calls; how many were rate limited."""
    limited: List[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(calls):
            try:
                client.users.get(str(6_800_000_000_000_000_100 + n * 100 + i))
            except RateLimitError:
                with lock:
                    limited.append(1)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    return len(limited)


@pytest.mark.parametrize("threads", [1, 4])
def test_a_paced_client_stays_under_the_limit_where_an_unpaced_one_does_not(threads: int) -> None:
    with Sandbox(seed=0, rate=ALLOWED) as sandbox:
        calls = 32 // threads
        with _client(sandbox, "6600000000000000401") as unpaced:
            assert _hammer(unpaced, threads, 2 * calls) > 0
        with _client(sandbox, "6600000000000000402", rate=ALLOWED / 2) as paced:
            assert _hammer(paced, threads, calls) == 0


def test_every_attempt_waits_for_the_pacer(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: List[int] = []
    original = Pacer.wait

    def counting(self: Pacer) -> float:
        waits.append(1)
        return original(self)

    monkeypatch.setattr(Pacer, "wait", counting)
    with Sandbox(seed=0) as sandbox:
        device = attrs.evolve(sandbox_device(), device_id="6600000000000000403")
        client = tiktok.Client(
            device, SandboxSigner(), base_url=sandbox.url, retries=2, backoff=0.0, rate=1000.0
        )
        sandbox.inject(Fault.HTTP_500)  # the first attempt fails, the second is answered
        client.users.get("6800000000000000002")
        attempts = sandbox.stats["requests"]
        client.close()
    assert attempts == 2
    assert len(waits) == attempts


def test_jitter_alone_paces_too() -> None:
    pauses: List[float] = []
    draws = iter([0.0, 0.5, 1.0, 0.25, 0.75])
    clock = tiktok.Clock(sleep=pauses.append, random=lambda: next(draws))
    with (
        Sandbox(seed=0) as sandbox,
        _client(sandbox, "6600000000000000404", jitter=(0.25, 0.5), clock=clock) as c,
    ):
        for _ in range(5):
            c.users.get("6800000000000000002")
    assert pauses == [0.25, 0.375, 0.5, 0.3125, 0.4375]  # low + (high - low) * draw


@pytest.mark.parametrize(
    ("option", "value"), [("rate", 0), ("rate", "fast"), ("jitter", (2, 1)), ("jitter", 1)]
)
def test_bad_pacing_options_are_refused(option: str, value: object) -> None:
    with Sandbox(seed=0) as sandbox, pytest.raises(ValueError, match=option):
        _client(sandbox, "6600000000000000405", **{option: value})
