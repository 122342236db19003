"""Whatever the server sends, a call returns its model or raises a TikTokError.

Hypothesis builds hostile answers for every response model, and every call
that decodes the model meets each of them (generating the answers is most of
the cost, so they are built once per model): bodies shaped like the model with
any field replaced by random JSON (null where an object belongs, numbers as
strings, huge ints, lists for objects, nested garbage), cut JSON, any JSON
value, HTML, random bytes, deep nesting, bad gzip, under any HTTP status. They
go through the real Transport (``responses`` replaces only the socket), so the
whole decode path runs.
"""

from __future__ import annotations

import json
import re
import typing
from collections import Counter
from typing import Any, Dict, Iterator, List, Tuple, Union

import attrs
import pytest
import responses
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import tiktok

from ..conftest import examples
from ._calls import CALLS, ENDPOINTS, resolve
from ._scripted import DEVICE, append_signature

BASE_URL = "https://api.invalid/"
EXAMPLES_PER_MODEL = 100  # ci; deep: 1,000. Each call that decodes the model meets every one

EXTRA_FIELD = "additional_properties"  # where models keep the keys they do not declare


# -- strategies ---------------------------------------------------------------------

digit_strings = st.from_regex(r"\A-?[0-9]{1,40}\Z")
ids = st.from_regex(r"\A[0-9]{1,25}\Z")
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    digit_strings,
)
any_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def model_fields(cls: type) -> Dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {a.name: hints[a.name] for a in attrs.fields(cls) if a.name != EXTRA_FIELD}


def well_typed(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """A value of type ``tp`` as the wire could send it (or as a sloppy server might)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Union:
        inner = [well_typed(a, depth) for a in args if a is not type(None)]
        return st.one_of(*inner, *inner, *inner, st.none())  # mostly present
    if origin is list:
        return st.lists(well_typed(args[0] if args else Any, depth), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=6), any_json, max_size=3)
    if tp is tiktok.ID:
        return st.one_of(ids, ids, st.integers(min_value=0, max_value=2**80), digit_strings)
    if tp is bool:
        return st.one_of(st.booleans(), st.integers(min_value=0, max_value=1))
    if tp is int:
        return st.one_of(st.integers(min_value=-(2**70), max_value=2**70), digit_strings)
    if tp is float:
        return st.one_of(st.floats(allow_nan=False), st.integers())
    if tp is str:
        return st.text(max_size=16)
    if attrs.has(tp):
        return model_body(tp, depth + 1)
    return any_json


def model_body(cls: type, depth: int = 0) -> st.SearchStrategy[Dict[str, Any]]:
    if depth > 3:
        return st.just({})
    fields = {name: well_typed(tp, depth) for name, tp in model_fields(cls).items()}
    present = st.sets(st.sampled_from(sorted(fields)), min_size=len(fields) // 2)
    return present.flatmap(lambda names: st.fixed_dictionaries({n: fields[n] for n in names}))


def paths(value: Any, prefix: Tuple[Any, ...] = ()) -> Iterator[Tuple[Any, ...]]:
    """Every place in a JSON value: dict keys and list indices, depth first."""
    items = (
        value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    )
    for key, inner in items:
        yield (*prefix, key)
        yield from paths(inner, (*prefix, key))


@st.composite
def mutated(draw: Any, body: st.SearchStrategy[Dict[str, Any]]) -> Dict[str, Any]:
    """A well-typed body with a few of its values (at any depth) replaced by random JSON."""
    value = draw(body)
    places = list(paths(value))
    if places:
        for place in draw(st.lists(st.sampled_from(places), max_size=2, unique=True)):
            target = value
            try:
                for key in place[:-1]:
                    target = target[key]
                target[place[-1]] = draw(any_json)
            except (KeyError, IndexError, TypeError):
                pass  # an earlier replacement removed this place
    return value


def envelope(cls: type) -> st.SearchStrategy[Dict[str, Any]]:
    """A response body of ``cls``; status_code is mostly 0 so decoding goes deep."""
    body = model_body(cls)
    if "status_code" in model_fields(cls):  # not the login answer
        status = st.one_of(st.just(0), st.just(0), st.just(0), any_json)
        body = st.tuples(body, status).map(lambda t: {**t[0], "status_code": t[1]})
    return st.one_of(body, mutated(body), mutated(body))


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()  # NaN and Infinity included, as Python's json does


HTML = [
    b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    b"<!DOCTYPE html><title>Just a moment...</title>",
    b"<?xml version='1.0'?><a/>",
]


def bodies(cls: type) -> st.SearchStrategy[bytes]:
    shaped = envelope(cls).map(dumps)
    hostile = st.one_of(
        st.tuples(shaped, st.floats(0, 1)).map(lambda t: t[0][: int(len(t[0]) * t[1])]),
        any_json.map(dumps),
        st.binary(max_size=64),
        st.sampled_from(HTML),
        st.sampled_from([b"", b"   ", b"\n", b"null", b"[]", b"{}", b'"ok"', b"0"]),
        st.integers(min_value=10, max_value=200_000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(min_value=10, max_value=200_000).map(lambda n: b'{"a":' * n),
    )
    # Shaped bodies first: the deep decode path is where wrong types hide.
    return st.one_of(shaped, shaped, shaped, hostile)


Answer = Tuple[int, Dict[str, str], bytes]
JSON = {"Content-Type": "application/json"}
HEADERS = [JSON] * 8 + [
    {"Content-Type": "text/html"},
    {**JSON, "Content-Encoding": "gzip"},  # a body that is not gzip
    {**JSON, "Retry-After": "soon"},
]


def answers(cls: type) -> st.SearchStrategy[Answer]:
    statuses = st.sampled_from([200] * 12 + [400, 404, 429, 500, 503])
    return st.tuples(statuses, st.sampled_from(HEADERS), bodies(cls))


# -- the property -------------------------------------------------------------------

TRIED: Counter = Counter()
OUTCOMES: Counter = Counter()


def expected_type(name: str) -> Any:
    return typing.get_type_hints(resolve(name))["return"]


def check_result(result: Any, expected: Any) -> None:
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (list, tiktok.Pager):
        items = list(result)
        assert all(isinstance(item, args[0]) for item in items), items
        for item in items:
            tiktok.to_dict(item)
    elif expected is bool:
        assert type(result) is bool
    else:
        assert isinstance(result, expected), result
        tiktok.to_dict(result)


def decoded_model(name: str) -> type:
    """The response model the call's answer is decoded into."""
    response: type = ENDPOINTS[name].response
    return response


# The calls that decode each response model: a model's hostile bodies are generated
# once (generating them is most of the cost) and every one of its calls meets each.
CALLS_BY_MODEL: Dict[type, List[str]] = {}
for _name in sorted(CALLS):
    CALLS_BY_MODEL.setdefault(decoded_model(_name), []).append(_name)


def test_every_call_has_an_endpoint() -> None:
    assert set(ENDPOINTS) == set(CALLS)


def test_every_call_is_swept_with_its_model() -> None:
    swept = [name for names in CALLS_BY_MODEL.values() for name in names]
    assert sorted(swept) == sorted(CALLS)
    assert all(decoded_model(name) is model for model, names in CALLS_BY_MODEL.items()
               for name in names)  # fmt: skip


def arguments_of(name: str) -> Dict[str, Any]:
    arguments = dict(CALLS[name][1])
    if typing.get_origin(expected_type(name)) is tiktok.Pager:
        arguments["limit"] = 30  # feeds never end by themselves
    return arguments


@pytest.mark.parametrize("model", sorted(CALLS_BY_MODEL, key=lambda m: m.__name__),
                         ids=lambda m: m.__name__)  # fmt: skip
def test_hostile_bodies_give_a_model_or_a_tiktok_error(model: type) -> None:
    names = CALLS_BY_MODEL[model]
    arguments = {name: arguments_of(name) for name in names}
    expected = {name: expected_type(name) for name in names}
    current: List[Answer] = []

    def answer(request: Any) -> Answer:
        return current[0]

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST"):
            mock.add_callback(method, re.compile(".*"), callback=answer)
        client = tiktok.Client(DEVICE, append_signature, base_url=BASE_URL, retries=0)

        @settings(
            max_examples=examples(EXAMPLES_PER_MODEL),
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(answers(model))
        def check(hostile: Answer) -> None:
            current[:] = [hostile]
            for name in names:  # each call through its own path, status and envelope handling
                note(f"call: {name}")
                TRIED[name] += 1
                call = CALLS[name][0]
                try:
                    result = call(client, **arguments[name])
                    check_result(result, expected[name])
                except tiktok.TikTokError as exc:
                    OUTCOMES[type(exc).__name__] += 1
                    str(exc)  # the message itself must build
                else:
                    OUTCOMES["model"] += 1

        check()


# -- bodies that once got through, kept as plain regression tests ---------------------------


def answer_with(body: bytes, status: int = 200) -> Any:
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for method in ("GET", "POST"):
        mock.add(method, re.compile(".*"), body=body, status=status)
    return mock


@pytest.mark.parametrize("room_id, stream_id", [("-5", "6"), ("5", "-0"), ("abc", "6"),
                                                 (None, "6"), ("5", {"a": 1}), ("5", [])])  # fmt: skip
def test_live_start_with_unusable_ids_names_the_step(room_id: Any, stream_id: Any) -> None:
    body = dumps({"status_code": 0, "room": {"room_id": room_id, "stream_id": stream_id}})
    with answer_with(body) as mock:
        client = tiktok.Client(DEVICE, append_signature, base_url=BASE_URL, retries=0)
        with pytest.raises(tiktok.LiveStartError) as caught:
            client.live.start("hello")
        assert len(mock.calls) == 1  # the bad ids were never sent back
    assert caught.value.step in ("create_room", "update_status")
    assert isinstance(caught.value.__cause__, tiktok.DecodeError)


@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a":' * 100_000],
                         ids=["deep-list", "deep-object"])  # fmt: skip
def test_deeply_nested_json_is_a_decode_or_api_error(body: bytes, status: int) -> None:
    with answer_with(body, status):
        client = tiktok.Client(DEVICE, append_signature, base_url=BASE_URL, retries=0)
        with pytest.raises((tiktok.DecodeError, tiktok.APIError)) as caught:
            client.users.get("42")
    assert type(caught.value) is (tiktok.DecodeError if status == 200 else tiktok.APIError)
