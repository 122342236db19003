"""A user's test clock: waits recorded, the jitter fixed, the wall clock frozen."""

from __future__ import annotations

from typing import List

import tiktok

waits: List[float] = []
now = [1000.0]


def sleep(seconds: float) -> None:
    waits.append(seconds)
    now[0] += seconds


clock = tiktok.Clock(monotonic=lambda: now[0], wall=lambda: 1.7e9, sleep=sleep, random=lambda: 1.0)
quick = tiktok.Clock(sleep=waits.append)
draw: float = clock.uniform(0.5, 1.5)
device = tiktok.Device(device_id="1", iid="2", openudid="3", fp="4")
client = tiktok.Client(device, lambda url, ts, device_id: url, clock=clock)
