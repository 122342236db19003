"""Share links of the sandbox's own posts and users, as the web site answers them.

``/t/CODE`` (as ``tiktok.com/t/CODE``) and ``/CODE`` (as ``vm.tiktok.com/CODE``)
redirect to ``/@handle/video/ID`` or ``/@handle`` on the same host, and those
answer a small page. Share links are web pages, not API calls: they are not
signed, and a request that carries the API's credentials (its cookie, token,
signature or device params) is refused with 400, since a client must never send
them there (docs/protocol.rst (Calls beyond the seed)).
"""

from __future__ import annotations

import html
import re
from typing import List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, quote

from ._world import World

__all__ = ["LinkAnswer", "answer_link", "link_code"]

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_KIND_LETTERS = {"post": "p", "user": "u"}
_CODE = re.compile(r"ZS([pu])([0-9a-z]{1,16})")
# Any /t/CODE is a short link; at the root only codes that start as the sandbox's do.
_SHORT_PATH = re.compile(r"^/(?:t/([A-Za-z0-9_-]{1,64})|(ZS[A-Za-z0-9_-]{1,64}))/?$")
_PAGE_PATH = re.compile(r"^/@[^/?#]+(?:/video/[0-9]{1,20})?/?$")
# Headers and params only an API request carries.
_CREDENTIAL_HEADERS = ("cookie", "x-tt-token", "x-gorgon", "x-khronos", "x-ss-stub")
_CREDENTIAL_PARAMS = frozenset({"as", "cp", "mas", "device_id", "iid", "openudid", "fp"})

#: ``(status, headers, body)`` of a share-link answer.
LinkAnswer = Tuple[int, List[Tuple[str, str]], bytes]


def link_code(kind: str, number: int) -> str:
    """The short code of a post or user: ``ZS``, ``p`` or ``u``, the id in base 36."""
    if kind not in _KIND_LETTERS:
        raise ValueError(f"the sandbox has short links for posts and users, not {kind!r}")
    if type(number) is not int or number < 0:
        raise ValueError(f"the id must be an int >= 0, not {number!r}")
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if not number:
            return f"ZS{_KIND_LETTERS[kind]}{digits}"


def _decode(code: str) -> Optional[Tuple[str, int]]:
    match = _CODE.fullmatch(code)
    if match is None:
        return None
    kind = "post" if match[1] == "p" else "user"
    return kind, int(match[2], 36)


def answer_link(
    world: World, method: str, target: str, headers: Mapping[str, str]
) -> Optional[LinkAnswer]:
    """The answer to a share link, or ``None`` when ``target`` is not one (an API call)."""
    path, _, query = target.partition("?")
    short = _SHORT_PATH.match(path)
    if short is None and _PAGE_PATH.match(path) is None:
        return None
    if method not in ("GET", "HEAD"):
        return _text(405, "share links answer GET")
    params = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
    if any(name in headers for name in _CREDENTIAL_HEADERS) or params & _CREDENTIAL_PARAMS:
        return _text(400, "a share link takes no API credential (cookie, token, signature)")
    if short is None:
        title = html.escape(path.strip("/"))
        page = f"<!doctype html><title>{title} | sandbox</title><h1>{title}</h1>\n"
        return 200, [("Content-Type", "text/html; charset=utf-8")], page.encode()
    decoded = _decode(short[1] or short[2])
    if decoded is None:
        return _text(404, "no such short link")
    kind, number = decoded
    if kind == "post":
        author = world.user(world.post(number).author)
        where = f"/@{quote(author.unique_id)}/video/{number}?_r=1"
    else:
        where = f"/@{quote(world.user(number).unique_id)}?_r=1"
    host = headers.get("host")
    location = f"http://{host}{where}" if host else where
    return 302, [("Location", location), ("Content-Type", "text/plain; charset=utf-8")], b""


def _text(status: int, message: str) -> LinkAnswer:
    return status, [("Content-Type", "text/plain; charset=utf-8")], f"{message}\n".encode()
