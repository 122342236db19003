"""``--signer module:attr`` resolution and the listing writer, in-process."""

from __future__ import annotations

import io
import sys
import types
from typing import Any, Iterator, List, Optional

import attrs
import pytest

from tiktok._cli.config import UsageError, load_signer
from tiktok._cli.output import stream
from tiktok.models import Model
from tiktok.pagination import Pager, Style


class ObjectSigner:
    def sign(self, url: str, ts: int, device_id: str) -> str:
        return url + "&as=1&cp=2&mas=3"


def function_signer(url: str, ts: int, device_id: str) -> str:
    return url + "&as=f&cp=f&mas=f"


class NeedsArguments:
    def __init__(self, key: str) -> None:
        self.key = key

    def sign(self, url: str, ts: int, device_id: str) -> str:
        return url


@pytest.fixture
def signer_module() -> Iterator[str]:
    module = types.ModuleType("cli_test_signers")
    module.instance = ObjectSigner()  # type: ignore[attr-defined]
    module.SignerClass = ObjectSigner  # type: ignore[attr-defined]
    module.function = function_signer  # type: ignore[attr-defined]
    module.NeedsArguments = NeedsArguments  # type: ignore[attr-defined]
    module.not_a_signer = 42  # type: ignore[attr-defined]
    module.holder = types.SimpleNamespace(inner=ObjectSigner())  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        yield module.__name__
    finally:
        del sys.modules[module.__name__]


def test_an_object_with_sign_is_used_as_is(signer_module: str) -> None:
    module = sys.modules[signer_module]
    assert load_signer(f"{signer_module}:instance") is module.instance  # type: ignore[attr-defined]


def test_a_class_is_instantiated_with_no_arguments(signer_module: str) -> None:
    assert isinstance(load_signer(f"{signer_module}:SignerClass"), ObjectSigner)


def test_a_function_is_returned_for_the_client_to_wrap(signer_module: str) -> None:
    assert load_signer(f"{signer_module}:function") is function_signer


def test_a_dotted_attribute_path_is_followed(signer_module: str) -> None:
    assert isinstance(load_signer(f"{signer_module}:holder.inner"), ObjectSigner)


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("not_a_signer", "neither an object with .sign"),
        ("NeedsArguments", "could not be created with no arguments"),
        ("missing", "no attribute 'missing'"),
    ],
)
def test_unusable_signers_are_usage_errors(signer_module: str, attr: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_signer(f"{signer_module}:{attr}")


@attrs.define
class FakePage:
    aweme_list: List[Any]
    has_more: int
    cursor: int


@attrs.define(kw_only=True)
class Item(Model):
    n: Optional[int] = None


def offset_pager(pages: List[FakePage], *, limit: Optional[int]) -> Pager[Any]:
    def fetch(cursor: Optional[int], count: int) -> FakePage:
        return pages[(cursor or 0) // 2]

    return Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=2, limit=limit)


def test_an_empty_last_page_means_the_end_so_no_resume_cursor() -> None:
    # has_more stays true on page 2, then page 3 is empty: the walk ended, nothing to resume.
    pages = [
        FakePage([Item(n=1), Item(n=2)], has_more=1, cursor=2),
        FakePage([Item(n=3), Item(n=4)], has_more=1, cursor=4),
        FakePage([], has_more=1, cursor=6),
    ]
    out, err = io.StringIO(), io.StringIO()
    assert stream(offset_pager(pages, limit=None), out, err, label="x") == 4
    assert err.getvalue() == ""
    assert [line for line in out.getvalue().splitlines()] == [f'{{"n": {n}}}' for n in (1, 2, 3, 4)]


def test_an_error_after_some_pages_still_prints_where_to_resume() -> None:
    pages = [FakePage([Item(n=1), Item(n=2)], has_more=1, cursor=2)]

    def fetch(cursor: Optional[int], count: int) -> FakePage:
        if cursor:
            raise RuntimeError("network down")
        return pages[0]

    pager: Pager[Any] = Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=2)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(RuntimeError):
        stream(pager, out, err, label="x")
    assert len(out.getvalue().splitlines()) == 2
    assert err.getvalue() == "next cursor: 2 (resume with --cursor 2)\n"
