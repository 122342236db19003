"""Shared fixtures and wire helpers for the core client's tests.

The expected device params and their order are written out here from
docs/protocol.rst (Device params; Query order) on purpose, not imported from ``tiktok.device``: the tests check
the package against the contract, not against itself.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

import pytest
import responses
from hypothesis import HealthCheck, settings

import tiktok

# -- Hypothesis profiles ----------------------------------------------------------
# "ci" (the default) is what CI and a plain `python -m pytest` run; "deep" tries ten
# times the examples of every property test, for a local run before a release:
#   HYPOTHESIS_PROFILE=deep python -m pytest tests/reliability tests/test_converter.py
# No deadline and no too_slow check in either: on a loaded machine (or with
# pytest-xdist) they fail on timing luck, not on a bug; every test has its own hang guard.
CI_EXAMPLES = 100
settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("deep", settings.get_profile("ci"), max_examples=10 * CI_EXAMPLES)
# "smoke" tries a tenth of ci's: for CI's second interpreter (Python 3.9), which checks
# that the same code runs there; new inputs are the main run's work (.ci/run).
settings.register_profile("smoke", settings.get_profile("ci"), max_examples=CI_EXAMPLES // 10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(ci: int) -> int:
    """A property test's example count: ``ci`` under the ci profile, scaled with the one loaded."""
    return max(1, ci * settings.default.max_examples // CI_EXAMPLES)


BASE_URL = "https://api.test/"

REQUIRED = {
    "device_id": "7000000000000000001",
    "iid": "7000000000000000002",
    "openudid": "a1b2c3d4e5f60718",
    "fp": "FpTest-1.2_x~y",
}

# docs/protocol.rst (Device params): every default, by wire name.
DEVICE_DEFAULTS = {
    "os_api": "23", "device_type": "Pixel", "ssmix": "a", "manifest_version_code": "2018111632",
    "dpi": "420", "app_name": "musical_ly", "version_name": "9.1.0", "timezone_offset": "36000",
    "is_my_cn": "0", "ac": "wifi", "update_version_code": "2018111632", "channel": "googleplay",
    "device_platform": "android", "build_number": "9.1.0", "version_code": "910",
    "timezone_name": "Australia/Brisbane", "resolution": "1080*1920", "os_version": "7.1.2",
    "device_brand": "Google", "mcc_mnc": "", "app_language": "en", "language": "en",
    "region": "US", "sys_region": "US", "carrier_region": "AU", "carrier_region_v2": "505",
    "aid": "1233", "pass-region": "1", "pass-route": "1",
}  # fmt: skip

# docs/protocol.rst (Query order): the wire order of the known params.
DEVICE_ORDER = [
    "app_language",
    "language",
    "region",
    "sys_region",
    "carrier_region",
    "carrier_region_v2",
    "build_number",
    "timezone_offset",
    "timezone_name",
    "mcc_mnc",
    "is_my_cn",
    "fp",
    "account_region",
    "pass-region",
    "pass-route",
    "iid",
    "device_id",
    "ac",
    "channel",
    "aid",
    "app_name",
    "version_code",
    "version_name",
    "device_platform",
    "ssmix",
    "device_type",
    "device_brand",
    "os_api",
    "os_version",
    "openudid",
    "manifest_version_code",
    "resolution",
    "dpi",
    "update_version_code",
]
TAIL = ["_rticket", "ts", "as", "cp", "mas"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"

# What the client itself may put in a query value: RFC 3986 unreserved, "*", "," and escapes.
ENCODED_VALUE = re.compile(r"^(?:[A-Za-z0-9\-._~*,]|%[0-9A-F]{2})*$")

ANY = object()
"""A wildcard for a param value a test cannot know in advance (``max_time`` = now)."""


# -- devices and signers ------------------------------------------------------------


def make_device(**overrides: Any) -> tiktok.Device:
    return tiktok.Device(**{**REQUIRED, **overrides})


class SignCall(NamedTuple):
    url: str
    ts: int
    device_id: str
    returned: str


class RecordingSigner:
    """Appends ``&as=..&cp=..&mas=..`` (different per call) and records every call."""

    def __init__(self, suffix: Optional[str] = None) -> None:
        self.calls: List[SignCall] = []
        self.suffix = suffix

    def sign(self, url: str, ts: int, device_id: str) -> str:
        n = len(self.calls) + 1
        suffix = self.suffix if self.suffix is not None else f"&as=a1{n}b&cp=c2{n}d&mas=m3{n}e"
        signed = url + suffix
        self.calls.append(SignCall(url, ts, device_id, signed))
        return signed


@pytest.fixture
def device() -> tiktok.Device:
    return make_device()


@pytest.fixture
def signer() -> RecordingSigner:
    return RecordingSigner()


@pytest.fixture
def client(device: tiktok.Device, signer: RecordingSigner) -> Iterator[tiktok.Client]:
    with tiktok.Client(device, signer, base_url=BASE_URL, retries=0, backoff=0) as c:
        yield c


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A ``responses`` mock; a URL not registered answers with a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def url(path: str) -> str:
    return BASE_URL + path


# -- reading what was sent --------------------------------------------------------


def raw_pairs(text: str) -> List[Tuple[str, str]]:
    """``k=v&k=v`` split in order, values left encoded."""
    if not text:
        return []
    out = []
    for part in text.split("&"):
        key, sep, value = part.partition("=")
        assert sep, f"query part without '=': {part!r}"
        out.append((key, value))
    return out


def decoded(pairs: Sequence[Tuple[str, str]]) -> List[Tuple[str, str]]:
    # unquote, not unquote_plus: the client never sends "+" for a space.
    return [(key, unquote(value, errors="strict")) for key, value in pairs]


def query_pairs(request_url: str) -> List[Tuple[str, str]]:
    """The query params of a URL, in order, values decoded."""
    return decoded(raw_pairs(urlsplit(request_url).query))


def raw_query_pairs(request_url: str) -> List[Tuple[str, str]]:
    return raw_pairs(urlsplit(request_url).query)


def query_keys(request_url: str) -> List[str]:
    return [key for key, _ in raw_query_pairs(request_url)]


def query_value(request_url: str, key: str) -> str:
    values = [value for k, value in query_pairs(request_url) if k == key]
    assert len(values) == 1, f"{key} appears {len(values)} times in {request_url}"
    return values[0]


def endpoint_params(request_url: str) -> List[Tuple[str, str]]:
    """The params before the device params: the endpoint's own."""
    pairs = query_pairs(request_url)
    first_device = [k for k, _ in pairs].index(DEVICE_ORDER[0])
    return pairs[:first_device]


def form_pairs(request: Any) -> List[Tuple[str, str]]:
    body = request.body
    if isinstance(body, str):
        body = body.encode()
    return decoded(raw_pairs(body.decode("ascii")))


def expected_device_pairs(overrides: Optional[Dict[str, str]] = None) -> List[Tuple[str, str]]:
    """The device params docs/protocol.rst (Device params; Query order) require, in order; ``overrides`` by wire name."""
    values = {**DEVICE_DEFAULTS, **REQUIRED, **(overrides or {})}
    return [(name, values[name]) for name in DEVICE_ORDER if name in values]


def check_wire(
    call: Any,
    sign_call: SignCall,
    *,
    method: str,
    path: str,
    params: Sequence[Tuple[str, Any]] = (),
    form: Optional[Sequence[Tuple[str, str]]] = None,
    device_params: Optional[Dict[str, str]] = None,
    base_url: str = BASE_URL,
) -> None:
    """Check one recorded request against docs/protocol.rst (Query order; The seed calls) and the signer's record.

    ``call`` is a ``responses`` call, ``sign_call`` the signer's record of the
    same request; ``params`` the endpoint's own params (decoded) in wire order;
    ``device_params`` the device params that differ from :data:`REQUIRED` and the
    defaults of docs/protocol.rst (Device params), by wire name.
    """
    request = call.request
    sent = request.url
    assert request.method == method
    assert sent == sign_call.returned, "the URL sent is not byte for byte what the signer returned"
    assert sent.startswith(f"{base_url}{path}?")
    pairs = query_pairs(sent)
    n = len(params)
    own = pairs[:n]
    assert [k for k, _ in own] == [k for k, _ in params], f"endpoint params of {path}"
    for (key, value), (_, expected) in zip(own, params):
        if expected is not ANY:
            assert value == expected, f"{path}: {key}={value!r}, expected {expected!r}"
    device_pairs = expected_device_pairs(device_params)
    assert pairs[n : n + len(device_pairs)] == device_pairs
    assert [k for k, _ in pairs[n + len(device_pairs) :]] == TAIL
    # Everything the client built (all but the signer's suffix) is encoded as docs/protocol.rst (Query order) says.
    for key, value in raw_query_pairs(sign_call.url):
        assert ENCODED_VALUE.match(value), (
            f"{key}={value!r} is not encoded as docs/protocol.rst (Query order) says"
        )
    # The signer saw the URL up to ts, and the same ts and device id.
    assert sign_call.url == sent[: sent.index("&as=")]
    assert query_keys(sign_call.url)[-2:] == ["_rticket", "ts"]
    ts = int(query_value(sent, "ts"))
    assert sign_call.ts == ts and type(sign_call.ts) is int
    assert sign_call.device_id == dict(device_pairs)["device_id"]
    assert 0 <= int(query_value(sent, "_rticket")) - ts * 1000 < 1000
    content_type = request.headers.get("Content-Type")
    if form is None:
        assert not request.body, f"{path} sent a body: {request.body!r}"
        assert content_type is None
    else:
        assert content_type == FORM_CONTENT_TYPE
        assert form_pairs(request) == list(form)


def envelope(**fields: Any) -> Dict[str, Any]:
    """A success body: ``status_code`` 0 and an ``extra`` block, plus ``fields``."""
    return {"extra": {"now": 1700000000000, "logid": "test-logid"}, "status_code": 0, **fields}


@pytest.fixture
def hostile() -> Iterator[Callable[[Callable[..., None]], Any]]:
    """Starts :class:`tests.reliability._scripted.Hostile` servers on 127.0.0.1; closes them after."""
    from tests.reliability._scripted import Hostile

    servers: List[Hostile] = []

    def start(answer: Callable[..., None]) -> Hostile:
        servers.append(Hostile(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
