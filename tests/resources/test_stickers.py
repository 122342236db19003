"""client.stickers: get, get_many, posts on the wire."""

from __future__ import annotations

import pytest

import tiktok
from tests.conftest import check_wire, envelope, url

DETAIL = url("aweme/v1/sticker/detail/")


def sticker(sticker_id: str) -> dict:
    return {"id": sticker_id, "effect_id": sticker_id, "name": f"s{sticker_id}"}


def test_get_on_the_wire(client, rsps, signer) -> None:
    rsps.get(DETAIL, json=envelope(sticker_infos=[sticker("100000")]))
    result = client.stickers.get("100000")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/sticker/detail/",
        params=[("sticker_ids", "100000")],
    )
    assert isinstance(result, tiktok.Sticker) and result.name == "s100000"


def test_get_many_on_the_wire_joins_ids_with_plain_commas(client, rsps, signer) -> None:
    rsps.get(DETAIL, json=envelope(sticker_infos=[sticker("1"), sticker("2"), sticker("3")]))
    result = client.stickers.get_many(["1", 2, "3"])
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/sticker/detail/",
        params=[("sticker_ids", "1,2,3")],
    )
    assert "?sticker_ids=1,2,3&" in rsps.calls[0].request.url
    assert [s.id for s in result] == ["1", "2", "3"]


def test_get_of_an_unknown_sticker_is_a_decode_error(client, rsps) -> None:
    rsps.get(DETAIL, json=envelope(sticker_infos=[]))
    with pytest.raises(tiktok.DecodeError, match="no sticker"):
        client.stickers.get("100000")


def test_posts_on_the_wire(client, rsps, signer) -> None:
    body = envelope(
        aweme_list=[{"aweme_id": "1"}, {"aweme_id": "2"}], cursor=2, has_more=0, stickers=[]
    )
    rsps.get(url("aweme/v1/sticker/aweme/"), json=body)
    posts = list(client.stickers.posts("100000", count=2))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/sticker/aweme/",
        params=[
            ("sticker_id", "100000"),
            ("count", "2"),
            ("cursor", "0"),
            ("retry_type", "no_retry"),
        ],
    )
    assert [p.aweme_id for p in posts] == ["1", "2"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.stickers.get("abc"),
        lambda c: c.stickers.get_many([]),
        lambda c: c.stickers.get_many("123"),
        lambda c: c.stickers.get_many(["1", "x"]),
        lambda c: c.stickers.posts(""),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0
