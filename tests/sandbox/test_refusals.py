"""The sandbox's refusals by behaviour and on demand (tiktok/sandbox/_refusals.py), on a
clock the test moves."""

from __future__ import annotations

from typing import Dict, List, Optional

import pytest

from tiktok.sandbox import Fault
from tiktok.sandbox._refusals import Behaviour, StandingFaults, parse_fault

FEED = "aweme/v1/feed/"
USER = "aweme/v1/user/"


def params(
    device_id: str = "1", iid: str = "2", aid: str = "1233", version: str = "910"
) -> Dict[str, str]:
    return {"device_id": device_id, "iid": iid, "aid": aid, "version_code": version}


def test_a_device_past_its_count_is_soft_blocked_for_its_rest() -> None:
    now: List[float] = [0.0]
    behaviour = Behaviour(soft_block=(2, 10.0, 100.0), clock=lambda: now[0])
    assert behaviour.judge(USER, params(), None) is None
    assert behaviour.judge(USER, params(), None) is None
    assert behaviour.judge(USER, params(), None) is Fault.EMPTY  # the third in 10 s
    assert behaviour.judge(USER, params(device_id="9"), None) is None  # another device
    now[0] = 99.0
    assert behaviour.judge(USER, params(), None) is Fault.EMPTY  # still resting
    now[0] = 100.0
    assert behaviour.judge(USER, params(), None) is None  # rested


def test_an_iid_belongs_to_the_aid_it_came_with_first_on_the_calls_that_check_it() -> None:
    behaviour = Behaviour(iid_apps=True)
    assert behaviour.judge(FEED, params(aid="1233"), None) is None
    assert behaviour.judge(FEED, params(aid="1180"), None) is Fault.IID_REFUSED
    assert behaviour.judge(USER, params(aid="1180"), None) is None
    assert behaviour.judge(FEED, params(iid="3", aid="1180"), None) is None


def test_a_version_code_below_the_minimum_is_too_old() -> None:
    behaviour = Behaviour(min_version_code=300000)
    assert behaviour.judge(USER, params(version="910"), None) is Fault.APP_TOO_OLD
    assert behaviour.judge(USER, params(version="350103"), None) is None


@pytest.mark.parametrize("age, refused", [(None, None), (5.0, None), (5.1, Fault.SESSION_EXPIRED)])
def test_a_session_older_than_its_life_has_expired(age: Optional[float], refused: object) -> None:
    assert Behaviour(session_ttl=5.0).judge(USER, params(), age) is refused


def test_nothing_is_refused_by_default() -> None:
    behaviour = Behaviour()
    assert all(behaviour.judge(FEED, params(aid=str(n)), 1e9) is None for n in range(50))


def test_standing_faults_apply_to_their_device_or_to_all() -> None:
    standing = StandingFaults(["trap_reply:7"])
    assert standing.for_device("7") is Fault.TRAP_REPLY
    assert standing.for_device("8") is None
    standing.add(Fault.IP_BLOCKED)
    assert standing.for_device("8") is Fault.IP_BLOCKED
    standing.clear()
    assert not standing


@pytest.mark.parametrize("spec", ["nope", "cut_transfer", "slow"])
def test_a_fault_that_cannot_stand_or_does_not_exist_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_fault(spec)


@pytest.mark.parametrize(
    "bad",
    [dict(soft_block=(0, 1.0, 1.0)), dict(min_version_code=-1), dict(session_ttl=0)],
)
def test_bad_options_are_refused(bad: Dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Behaviour(**bad)  # type: ignore[arg-type]
