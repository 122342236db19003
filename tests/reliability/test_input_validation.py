"""Bad input is refused before anything is sent, with a ValueError naming the argument.

Every public method of every namespace is listed in ``CALLS`` (a test checks the
list is complete); each of its arguments is tried with every bad value of its
kind, and the ``responses`` mock checks that no request went out. A declared call's
arguments take their bad values from their declared shape and bounds; a listing's
keywords and the few undeclared calls' arguments are listed here.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import inspect
import itertools
import math
import re
from typing import Any, Callable, Dict, Iterator, List

import pytest
import responses

import tiktok
from tiktok.resources._declare import Param, Shape, calls

from ._calls import CALLS, NOT_CALLS, resolve
from ._scripted import DEVICE, append_signature

BASE_URL = "https://api.invalid/"

HUGE = 10**5000  # str() of it raises ValueError: it must be refused before, by name
BAD_ID = ["", " ", "abc", "-1", "1.5", "1e5", " 12", "12 ", "+12", "12\n", "\u0661\u0662",
          -1, True, False, None, 1.5, b"12", [], {}, HUGE, "1" * 33]  # fmt: skip
BAD_IDS = [[], "42", b"42", ["abc"], [True], [None], [-1], ["42", ""], 42, [HUGE]]
BAD_TEXT = ["", "  ", "   ", "\n\t", None, 5, b"cats", ["cats"]]
# since/until: epoch seconds or an aware datetime; a naive one is refused (its zone unknown)
BAD_TIME = [-1, -0.5, True, "1700000000", b"1", 2**63, float("nan"), float("inf"), HUGE,
            datetime.datetime(2024, 1, 1)]  # fmt: skip


def bad_int(param: Param) -> List[Any]:
    """Not an int within the bounds: a bool, the number as text or float, just out of bounds."""
    assert param.low is not None and param.high is not None
    example = param.low if param.required else param.default
    return [True, str(example), float(example), None, param.low - 1, param.high + 1, HUGE]


def bad_choice(param: Param) -> List[Any]:
    """Not a member of the choices' enum: a command line word, a bool, ints beside and between.

    The method takes every member of the enum; the command line offers those that make sense.
    """
    kind = type(param.choices[0][1])
    assert issubclass(kind, enum.IntEnum)
    values = {int(member) for member in kind}
    beside = set(range(min(values) - 1, max(values) + 2)) | {-1}
    return [None, True, *(word for word, _ in param.choices), *sorted(beside - values)]


# The bad values of a declared parameter, from its shape (tiktok/resources/_declare.py),
# so that a new declared call's arguments are swept without a word here. A FLAG has none:
# any value is taken as true or false, as Python's own flags are.
BY_SHAPE: Dict[Shape, Callable[[Param], List[Any]]] = {
    Shape.ID: lambda param: BAD_ID,
    Shape.IDS: lambda param: BAD_IDS,
    Shape.TEXT: lambda param: BAD_TEXT,
    Shape.INT: bad_int,
    Shape.CHOICE: bad_choice,
    Shape.FLAG: lambda param: [],
    Shape.TAGS: lambda param: [[5], ["@x"], [None]],
}

# A listing's own keywords: declare() leaves them out because every listing takes them
# the same way (since/until: the listings that read times). strict, like a FLAG, takes
# any value.
LISTING: Dict[str, List[Any]] = {
    "count": [0, -1, 101, 1000, True, False, "20", 20.0, HUGE],
    "limit": [-1, -100, True, "5", 5.0],
    "cursor": [-1, True, "abc", "-5", 1.5, HUGE, 2**63, "9" * 20, "\u0661"],
    "since": BAD_TIME,
    "until": BAD_TIME,
}

# The calls of CALLS that are not declared (the client's own login and links, and
# users.posts under its deprecated name posts.iter): nothing to derive them from.
CREDENTIAL = ["", None, 5, b"me"]
UNDECLARED: Dict[str, Dict[str, List[Any]]] = {
    "login_with_email": {"email": CREDENTIAL, "password": CREDENTIAL},
    "login_with_username": {"username": CREDENTIAL, "password": CREDENTIAL},
    "resolve": {
        "url": [
            "",
            "  ",
            None,
            5,
            b"https://vm.tiktok.com/ZM/",
            ["https://vm.tiktok.com/ZM/"],
            "https://example.com/@x/video/1",
            "https://tiktok.com.example/@x/video/1",
            "ftp://www.tiktok.com/@x/video/1",
            "https://www.tiktok.com/explore",
            "https://www.tiktok.com:port/@x/video/1",
            "http://[::1/t/x",
        ]
    },
    "posts.iter": {"user_id": BAD_ID},
}

DECLARED: Dict[str, Dict[str, Param]] = {
    call.qualname: {param.name: param for param in call.params} for call in calls()
}


def bad_values(name: str, argument: str) -> List[Any]:
    """What ``argument`` of call ``name`` must refuse: from its declaration where it has one."""
    declared = DECLARED.get(name, {})
    if argument in declared:
        return BY_SHAPE[declared[argument].shape](declared[argument])
    return UNDECLARED.get(name, {}).get(argument, LISTING.get(argument, []))


def arguments(name: str) -> List[str]:
    """The arguments of a call that have bad values, in the order of its signature."""
    params = inspect.signature(resolve(name)).parameters
    return [p for p in params if p != "self" and bad_values(name, p)]


def shown(bad: Any) -> str:
    return "HUGE" if bad is HUGE or bad == [HUGE] else repr(bad)


def cases() -> Iterator[Any]:
    for name in CALLS:
        for argument in arguments(name):
            yield pytest.param(name, argument, id=f"{name}-{argument}")


@pytest.fixture
def client() -> Iterator[tiktok.Client]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, re.compile(".*"), json={"status_code": 0})
        mock.add(responses.POST, re.compile(".*"), json={"status_code": 0})
        client = tiktok.Client(DEVICE, append_signature, base_url=BASE_URL, retries=0)
        client.sent = mock.calls  # type: ignore[attr-defined]
        yield client


def run(client: tiktok.Client, name: str, **overrides: Any) -> Any:
    call, valid = CALLS[name]
    result = call(client, **{**valid, **overrides})
    if isinstance(result, tiktok.Pager):
        result = list(itertools.islice(result, 1))
    return result


def test_every_public_call_is_listed() -> None:
    client = tiktok.Client(DEVICE, append_signature, base_url=BASE_URL)
    public = {n for n in ("login_with_email", "login_with_username", "resolve")}
    for namespace in (
        "users",
        "posts",
        "follows",
        "live",
        "feed",
        "hashtags",
        "stickers",
        "music",
    ):
        resource = getattr(client, namespace)
        public |= {
            f"{namespace}.{n}"
            for n in dir(resource)
            if not n.startswith("_") and callable(getattr(resource, n))
        }
    assert public - NOT_CALLS == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_argument_of_every_call_is_checked(name: str) -> None:
    checked = set(arguments(name))
    taken = {p for p in inspect.signature(resolve(name)).parameters if p != "self"}
    # Only flags go unchecked: a listing's strict and the declared FLAGs take any value.
    flags = {param.name for param in DECLARED.get(name, {}).values() if param.shape is Shape.FLAG}
    assert taken - checked <= {"strict"} | flags


@pytest.mark.parametrize("name", sorted(CALLS))
def test_valid_arguments_reach_the_server(client: tiktok.Client, name: str) -> None:
    with contextlib.suppress(tiktok.TikTokError):  # the mock's body fits no call's shape
        run(client, name)
    assert len(client.sent) >= 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("name, argument", list(cases()))
def test_bad_input_is_refused_before_sending(
    client: tiktok.Client, name: str, argument: str
) -> None:
    # Every bad value of the argument's kind, in one test per call and argument.
    call, valid = CALLS[name]
    wrong = []
    for bad in bad_values(name, argument):
        try:
            call(client, **{**valid, argument: bad})  # a pager must refuse at once, too
        except ValueError as exc:
            if not re.search(rf"\b{argument}\b", str(exc)):
                wrong.append(f"{shown(bad)}: the message does not name {argument}: {exc}")
        except Exception as exc:
            wrong.append(f"{shown(bad)}: {type(exc).__name__} instead of ValueError: {exc}")
        else:
            wrong.append(f"{shown(bad)}: accepted")
    assert not wrong, f"{name}({argument}=...):\n" + "\n".join(wrong)
    assert len(client.sent) == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "overrides",
    [{"status": 3}, {"status": 0}, {"status": "started"}, {"status": None},
     {"reason": 2}, {"reason": -1}, {"reason": None}],
)  # fmt: skip
def test_bad_live_status_or_reason_is_refused_before_sending(
    client: tiktok.Client, overrides: Dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        run(client, "live.update_status", **overrides)
    assert len(client.sent) == 0  # type: ignore[attr-defined]


def test_a_listing_checks_its_arguments_when_called_not_when_iterated(
    client: tiktok.Client,
) -> None:
    with pytest.raises(ValueError, match="count"):
        client.follows.followers("42", count=0)
    with pytest.raises(ValueError, match="user_id"):
        client.follows.followers("-42")
    assert len(client.sent) == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("good", [0, 1, "0", "6800000000000000002", 2**70, str(2**70)])
def test_ids_as_digit_strings_or_non_negative_ints_are_accepted(
    client: tiktok.Client, good: Any
) -> None:
    with pytest.raises(tiktok.TikTokError):  # the mock's body has no "user"
        client.users.get(good)
    (sent,) = client.sent  # type: ignore[attr-defined]
    assert f"user_id={good}&" in sent.request.url


@pytest.mark.parametrize("good", [1, 20, 100])
def test_counts_from_1_to_100_are_accepted(client: tiktok.Client, good: int) -> None:
    run(client, "hashtags.categories", count=good)
    assert f"count={good}&" in client.sent[0].request.url  # type: ignore[attr-defined]


# -- client settings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "settings, argument",
    [
        ({"retries": -1}, "retries"),
        ({"retries": True}, "retries"),
        ({"retries": 1.5}, "retries"),
        ({"backoff": -0.1}, "backoff"),
        ({"backoff": math.nan}, "backoff"),
        ({"backoff": math.inf}, "backoff"),
        ({"backoff": True}, "backoff"),
        ({"timeout": None}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"timeout": (5, None)}, "timeout"),
        ({"timeout": (5, 0)}, "timeout"),
        ({"timeout": (1, 2, 3)}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"base_url": "ftp://api.invalid/"}, "base_url"),
        ({"base_url": "api.invalid"}, "base_url"),
    ],
)
def test_bad_client_settings_are_refused(settings: Dict[str, Any], argument: str) -> None:
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        tiktok.Client(DEVICE, append_signature, **settings)


@pytest.mark.parametrize("timeout", [0.2, 5, (1, 2), (0.5, 30.0)])
def test_good_timeouts_are_accepted(timeout: Any) -> None:
    tiktok.Client(DEVICE, append_signature, timeout=timeout)


@pytest.mark.parametrize("signer", [None, 5, "sign", object()])
def test_a_client_without_a_usable_signer_is_refused(signer: Any) -> None:
    with pytest.raises(TypeError, match="signer"):
        tiktok.Client(DEVICE, signer)


# -- signers ------------------------------------------------------------------------


def _raises(url: str, ts: int, device_id: str) -> str:
    raise RuntimeError("no key")


BAD_SIGNERS: Dict[str, Callable[[str, int, str], Any]] = {
    "returns None": lambda url, ts, d: None,
    "returns bytes": lambda url, ts, d: (url + "&as=1").encode(),
    "returns an int": lambda url, ts, d: 42,
    "returns the url unchanged": lambda url, ts, d: url,
    "changes the host": lambda url, ts, d: url.replace("api.invalid", "evil.invalid") + "&as=1",
    "drops a param": lambda url, ts, d: url.replace("&ts=", "&xx=") + "&as=1",
    "reorders the query": lambda url, ts, d: "&".join(sorted(url.split("&"))) + "&as=1",
    "appends without &": lambda url, ts, d: url + "as=1&cp=2&mas=3",
    "appends a fragment": lambda url, ts, d: url + "&as=1#x",
    "appends a space": lambda url, ts, d: url + "&as=1 2",
    "appends a header line": lambda url, ts, d: url + "&as=1\r\nX-Injected: 1",
    "appends a nameless param": lambda url, ts, d: url + "&=1",
    "appends a name without value": lambda url, ts, d: url + "&as",
    "appends an empty param": lambda url, ts, d: url + "&",
    "raises": _raises,
}


@pytest.mark.parametrize("name", sorted(BAD_SIGNERS))
def test_a_bad_signer_raises_signer_error_before_sending(name: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, re.compile(".*"), json={"status_code": 0, "user": {}})
        client = tiktok.Client(DEVICE, BAD_SIGNERS[name], base_url=BASE_URL, retries=0)
        with pytest.raises(tiktok.SignerError) as caught:
            client.users.get("42")
        assert "signer" in str(caught.value)
        assert len(mock.calls) == 0


def test_a_signer_object_is_checked_like_a_function() -> None:
    class Echo:
        def sign(self, url: str, ts: int, device_id: str) -> str:
            return url

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        client = tiktok.Client(DEVICE, Echo(), base_url=BASE_URL)
        with pytest.raises(tiktok.SignerError):
            client.users.get("42")
        assert len(mock.calls) == 0
