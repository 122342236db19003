"""What people paste, turned into ids: share links and @handles (docs/protocol.rst (Calls beyond the seed))."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, Tuple, Union
from urllib.parse import unquote, urljoin, urlsplit

import attrs

from .errors import APIError, NotFoundError
from .resources._base import MAX_ID_DIGITS, shown

if TYPE_CHECKING:
    from ._transport import Transport
    from .resources import Hashtags, Users

__all__ = ["LINK_HOSTS", "Link", "Resolver", "normalize_hosts"]

#: The hosts of TikTok's share links: the web site, its mobile site and the short-link hosts.
LINK_HOSTS: Tuple[str, ...] = (
    "tiktok.com",
    "www.tiktok.com",
    "m.tiktok.com",
    "vm.tiktok.com",
    "vt.tiktok.com",
)
# Hosts whose every one-segment path is a short code (vm.tiktok.com/ZMabc123/).
SHORT_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com"})
# A short link leads to the page in one or two hops; more is a loop or not TikTok.
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})

_HANDLE = r"@(?P<handle>[^/?#@\s]+)"
# ASCII digits only (\d takes other scripts' too), no longer than an id can be.
_ID = rf"(?P<id>[0-9]{{1,{MAX_ID_DIGITS}}})"
_PATTERNS = (
    ("post", re.compile(rf"^/{_HANDLE}/(?:video|photo)/{_ID}/?$")),
    ("post", re.compile(rf"^/embed(?:/v2)?/{_ID}/?$")),
    ("post", re.compile(rf"^/v/{_ID}\.html$")),
    ("post", re.compile(rf"^/share/video/{_ID}/?$")),
    ("music", re.compile(rf"^/music/(?:[^/]*-)?{_ID}/?$")),
    ("hashtag", re.compile(r"^/tag/(?P<name>[^/]+)/?$")),
    ("user", re.compile(rf"^/{_HANDLE}/?$")),
    ("user", re.compile(rf"^/share/user/{_ID}/?$")),
)
_SHORT = re.compile(r"^/t/[A-Za-z0-9_-]+/?$")
_ONE_SEGMENT = re.compile(r"^/[A-Za-z0-9_-]+/?$")


@attrs.frozen
class Link:
    """What a link points at: ``kind`` is ``"post"``, ``"user"``, ``"music"`` or ``"hashtag"``.

    ``id`` is the numeric id the API calls take (``aweme_id``, ``uid``, the sound's
    ``id``, the hashtag's ``cid``); ``name`` the handle or hashtag name the link
    spelled, when it had one.
    """

    kind: str
    id: str
    name: Optional[str] = None


def normalize_hosts(hosts: object) -> Tuple[str, ...]:
    """``link_hosts`` as given to the client: host names, or ``host:port``, in lower case."""
    if isinstance(hosts, (str, bytes)) or not hasattr(hosts, "__iter__"):
        raise ValueError(f"link_hosts must be a list of host names, not {shown(hosts)}")
    out = []
    for host in hosts:
        if not isinstance(host, str) or not host or any(c in host for c in "/?#@ "):
            raise ValueError(
                f"link_hosts must hold host names such as 'vm.tiktok.com', not {shown(host)}"
            )
        out.append(host.lower())
    return tuple(out)


def _host_of(url: str) -> Tuple[str, str]:
    """``(hostname, hostname:port)`` of a URL, in lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host, f"{host}:{parts.port}" if parts.port is not None else host


class Resolver:
    """``client.resolve``: parses links, follows short ones bare, looks handles and tags up."""

    def __init__(
        self, transport: Transport, users: Users, hashtags: Hashtags, hosts: Tuple[str, ...]
    ) -> None:
        self._transport = transport
        self._users = users
        self._hashtags = hashtags
        self.hosts = hosts

    def resolve(self, url: str) -> Link:
        if not isinstance(url, str) or not url.strip():
            raise ValueError(
                f"url must be a link such as https://vm.tiktok.com/ZM.../, not {shown(url)}"
            )
        url = url.strip()
        if "://" not in url:
            url = "https://" + url  # pasted without its scheme: vm.tiktok.com/ZM.../
        pasted = url
        self._check_host(url, f"url {shown(url)}")
        for _ in range(MAX_REDIRECTS + 1):
            found = self._parse(url)
            if isinstance(found, Link):
                return found
            if found is None:
                raise ValueError(
                    f"url {shown(url)} is not a link to a post, user, sound or hashtag of TikTok"
                )
            url = self._follow(url)
        raise ValueError(f"url {shown(pasted)} still redirects after {MAX_REDIRECTS} hops")

    def _check_host(self, url: str, what: str) -> None:
        try:
            scheme = urlsplit(url).scheme.lower()
            host, netloc = _host_of(url)
        except ValueError:  # a port that is not a number, a broken [v6] host
            raise ValueError(f"{what} is not a URL") from None
        if scheme not in ("http", "https") or not (host in self.hosts or netloc in self.hosts):
            raise ValueError(
                f"{what} is not a TikTok link (its host is not one of {', '.join(self.hosts)})"
            )

    def _parse(self, url: str) -> Union[Link, str, None]:
        """A :class:`Link`, ``"short"`` for a link to follow, ``None`` for anything else."""
        path = urlsplit(url).path or "/"
        for kind, pattern in _PATTERNS:
            match = pattern.match(path)
            if match is None:
                continue
            groups = match.groupdict()
            handle = unquote(groups["handle"]) if groups.get("handle") else None
            if kind == "user" and handle is not None:
                return Link("user", str(self._users.by_username(handle).uid), handle)
            if kind == "hashtag":
                return self._hashtag(unquote(groups["name"]))
            return Link(kind, groups["id"], handle)
        host, netloc = _host_of(url)
        custom = host not in LINK_HOSTS and netloc not in LINK_HOSTS
        if _SHORT.match(path) or (_ONE_SEGMENT.match(path) and (host in SHORT_HOSTS or custom)):
            return "short"
        return None

    def _hashtag(self, name: str) -> Link:
        wanted = name.lstrip("#").casefold()
        for hit in self._hashtags.search(name.lstrip("#"), count=10, limit=10):
            challenge = hit.challenge_info
            if challenge is None or not challenge.cid:
                continue
            if (challenge.cha_name or "").casefold() == wanted:
                return Link("hashtag", str(challenge.cid), challenge.cha_name)
        raise NotFoundError(f"no hashtag named #{name.lstrip('#')}")

    def _follow(self, url: str) -> str:
        """Where a short link redirects to, asked without any credential of the API."""
        response = self._transport.send_bare(url, {})
        try:
            status = response.status_code
            location = response.headers.get("Location")
        finally:
            response.close()
        if status in REDIRECTS and location:
            target = urljoin(url, location)
            self._check_host(target, f"url {shown(url)} redirects to {shown(target)}, which")
            return target
        if status in (404, 410):
            raise NotFoundError(f"{url} leads nowhere (HTTP {status})", http_status=status)
        raise APIError(f"{url} answered HTTP {status} without a redirect", http_status=status)
