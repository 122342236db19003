"""Soft blocks counted per identity (tiktok/_soft_blocks.py), on a clock the test moves."""

from __future__ import annotations

from typing import List

import pytest

import tiktok
from tiktok._soft_blocks import SoftBlocks, check_soft_block_limit


def soft() -> tiktok.SoftBlockError:
    return tiktok.EmptyResponseError("aweme/v1/user/")


def test_count_soft_blocks_in_the_window_make_a_block() -> None:
    now: List[float] = [0.0]
    blocks = SoftBlocks((3, 60.0), lambda: now[0])
    assert blocks.check(soft()) is None
    now[0] = 30.0
    assert blocks.check(soft()) is None
    now[0] = 59.0
    blocked = blocks.check(soft())
    assert isinstance(blocked, tiktok.IdentityBlockedError)
    assert (blocked.count, blocked.window) == (3, 60.0)


def test_soft_blocks_older_than_the_window_do_not_count() -> None:
    now: List[float] = [0.0]
    blocks = SoftBlocks((2, 60.0), lambda: now[0])
    assert blocks.check(soft()) is None
    now[0] = 60.0  # the first left the window
    assert blocks.check(soft()) is None
    now[0] = 61.0
    assert blocks.check(soft()) is not None


def test_an_answer_starts_the_count_again() -> None:
    blocks = SoftBlocks((2, 60.0), lambda: 0.0)
    assert blocks.check(soft()) is None
    blocks.accepted()
    assert blocks.check(soft()) is None


def test_no_limit_never_blocks() -> None:
    blocks = SoftBlocks(None, lambda: 0.0)
    assert all(blocks.check(soft()) is None for _ in range(100))


@pytest.mark.parametrize("value", [(0, 60.0), (2, 0), (2.0, 60.0), (2, float("inf")), [2, 60.0], 5])
def test_a_bad_limit_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="soft_block_limit"):
        check_soft_block_limit(value)
    with pytest.raises(ValueError, match="soft_block_limit"):
        tiktok.Client(tiktok.sandbox.sandbox_device(), lambda url, ts, device_id: url,
                      soft_block_limit=value)  # type: ignore[arg-type]  # fmt: skip
