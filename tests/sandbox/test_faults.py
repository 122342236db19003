from __future__ import annotations

from collections import Counter

import pytest

from tiktok.sandbox import Fault
from tiktok.sandbox._faults import READ_FAULTS, WRITE_FAULTS, FaultPicker, Stats


def test_no_faults_at_rate_zero() -> None:
    picker = FaultPicker(seed=0, rate=0.0)
    assert all(picker.pick(n, write=True) is None for n in range(1, 1000))


def test_every_request_faults_at_rate_one_and_every_kind_occurs() -> None:
    picker = FaultPicker(seed=0, rate=1.0)
    reads = Counter(picker.pick(n, write=False) for n in range(1, 2001))
    writes = Counter(picker.pick(n, write=True) for n in range(1, 2001))
    assert None not in reads and None not in writes
    assert set(reads) == set(READ_FAULTS)
    assert Fault.APPLY_THEN_DROP not in reads  # only writes can be applied, then dropped
    assert set(writes) == set(WRITE_FAULTS)  # media-only and injected-only kinds never drawn


def test_the_rate_is_respected_roughly() -> None:
    picker = FaultPicker(seed=3, rate=0.25)
    share = sum(picker.pick(n, write=False) is not None for n in range(1, 4001)) / 4000
    assert 0.2 < share < 0.3


def test_faults_are_fixed_by_seed_and_request_number() -> None:
    one, same, other = FaultPicker(5, 0.5), FaultPicker(5, 0.5), FaultPicker(6, 0.5)
    sequence = [one.pick(n, write=True) for n in range(1, 200)]
    assert sequence == [same.pick(n, write=True) for n in range(1, 200)]
    assert sequence != [other.pick(n, write=True) for n in range(1, 200)]


@pytest.mark.parametrize("rate", [-0.1, 1.5, "0.5", None])
def test_a_bad_rate_is_refused(rate: object) -> None:
    with pytest.raises(ValueError, match="fault_rate"):
        FaultPicker(0, rate)  # type: ignore[arg-type]


def test_stats_snapshot_is_a_copy() -> None:
    stats = Stats()
    assert stats.count_request() == 1
    assert stats.count_request() == 2
    stats.count_rejected()
    stats.count_fault(Fault.SLOW)
    snapshot = stats.snapshot()
    assert snapshot["requests"] == 2
    assert snapshot["rejected_signature"] == 1
    assert snapshot["faults"]["slow"] == 1
    assert set(snapshot["faults"]) == {fault.value for fault in Fault}
    snapshot["faults"]["slow"] = 99
    assert stats.snapshot()["faults"]["slow"] == 1
