"""Configuration no request could carry is refused at construction, naming what is wrong.

A CR/LF in a device field or the user agent, a non-ASCII or malformed base URL:
each once failed every call later with a raw ``requests`` or ``http.client``
exception. Hypothesis then builds random configurations: each is refused at
construction with a ValueError/TypeError, or makes calls that end in a model or
a TikTokError (``responses`` stands in for the network: nothing leaves the process).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Dict, List, Optional

import attrs
import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok
from tiktok.signing import xor_encode

from ..conftest import examples
from ._scripted import DEVICE, append_signature

CONTROL = ["\r\n", "\n", "\r", "\x00", "\x7f", "\x85"]
FIELDS = [f.name for f in attrs.fields(tiktok.Device)]
TEXT_FIELDS = [name for name in FIELDS if name != "app"]  # app is an App preset, not text
CONFIG_OUTCOMES: Counter = Counter()


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("bad", CONTROL, ids=repr)
def test_a_control_character_in_any_device_field_is_refused(field: str, bad: str) -> None:
    values: Dict[str, Any] = {"device_id": "1", "iid": "2", "openudid": "3", "fp": "4"}
    values[field] = "ok" + bad + "X-Injected: 1"
    with pytest.raises(ValueError, match=rf"\bDevice\.{field}\b"):
        tiktok.Device(**values)


@pytest.mark.parametrize(
    "user_agent",
    ["ua/1\r\nX-Injected: 1", "ua/1\n", "ua\x00", "ua/\u00e9", "ua/\u2603", "", "  "],
    ids=repr,
)
def test_a_user_agent_no_header_can_carry_is_refused(user_agent: str) -> None:
    with pytest.raises(ValueError, match=r"\buser_agent\b"):
        tiktok.Client(
            DEVICE, append_signature, base_url="https://api.invalid/", user_agent=user_agent
        )


def test_a_device_whose_user_agent_cannot_be_sent_is_refused_by_the_client() -> None:
    device = tiktok.Device(device_id="1", iid="2", openudid="3", fp="4", device_type="\u2603")
    with pytest.raises(ValueError, match="user agent built from the device"):
        tiktok.Client(device, append_signature, base_url="https://api.invalid/")


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.invalid/p\u00e4th/",
        "https://\u00e4pi.invalid/",
        "http://[::1",
        "http://[::1]:99999/",
        "http://host:port/",
        "https://api.invalid/a b/",
        "https://api.invalid/\r\n/",
        "https://api.invalid/?x=1",
        "https://api.invalid/#top",
        "https:///path/",
        "ftp://api.invalid/",
        "api.invalid",
        "",
    ],
    ids=repr,
)
def test_a_base_url_no_request_can_use_is_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match=r"\bbase_url\b"):
        tiktok.Client(DEVICE, append_signature, base_url=base_url)


@pytest.mark.parametrize(
    "base_url",
    ["https://api.invalid/", "http://127.0.0.1:8080/api/%C3%A4/", "http://[::1]:1/", "https://h"],
)
def test_usable_base_urls_are_accepted(base_url: str) -> None:
    client = tiktok.Client(DEVICE, append_signature, base_url=base_url)
    assert client.base_url.startswith(base_url)


# -- random configurations -------------------------------------------------------------------

text = st.text(max_size=12)
urls = st.one_of(
    st.builds(
        "{}://{}{}/{}".format,
        st.sampled_from(["http", "https", "ftp", "HTTP", ""]),
        st.one_of(st.just("api.invalid"), st.just("[::1]"), text),
        st.one_of(st.just(""), st.integers(-5, 70000).map(":{}".format), text.map(":{}".format)),
        text,
    ),
    text,
)
numbers = st.one_of(
    st.integers(-3, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    text,
)
configs = st.fixed_dictionaries(
    {},
    optional={
        "base_url": urls,
        "user_agent": st.one_of(st.none(), text),
        "timeout": st.one_of(numbers, st.tuples(numbers, numbers)),
        "retries": numbers,
        "backoff": numbers,
    },
)
device_overrides = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(text, st.integers(-5, 10**6), st.none()), max_size=3
)


@settings(max_examples=examples(400), database=None)
@given(configs, device_overrides)
def test_any_configuration_is_refused_at_construction_or_works(
    config: Dict[str, Any], overrides: Dict[str, Any]
) -> None:
    try:
        device = tiktok.Device(
            **{"device_id": "1", "iid": "2", "openudid": "3", "fp": "4", **overrides}
        )
        client = tiktok.Client(
            device, append_signature, **{"base_url": "https://api.invalid/", **config, "backoff": 0}
        )
    except (ValueError, TypeError):
        CONFIG_OUTCOMES["refused"] += 1
        return
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, re.compile(".*"), json={"status_code": 0, "user": {"uid": "42"}})
        try:
            client.users.get("42")
        except tiktok.TikTokError:
            CONFIG_OUTCOMES["error"] += 1
        else:
            CONFIG_OUTCOMES["answered"] += 1


@pytest.mark.parametrize(
    "suffix",
    ["&as=\u00e9", "&as=\u2603&cp=1", "&as=1\x00", "&as=1 2", "&as=1#x", "&as=1\x7f"],
    ids=repr,
)
def test_a_signer_suffix_no_request_line_can_carry_is_a_signer_error(suffix: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, re.compile(".*"), json={"data": {}, "message": "success"})
        client = tiktok.Client(
            DEVICE, lambda url, ts, device_id: url + suffix, base_url="https://api.invalid/"
        )
        with pytest.raises(tiktok.SignerError) as caught:
            client.login_with_email("me@example.com", "secret-pass")
        assert not mock.calls
    assert "visible ASCII" in str(caught.value)
    chain: List[BaseException] = []
    current: Optional[BaseException] = caught.value
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(f"{error!r} {error}" for error in chain)
    assert "secret-pass" not in text and xor_encode("secret-pass") not in text
