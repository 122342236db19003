"""What people paste, turned into ids: share links and @handles (docs/protocol.rst (Calls beyond the seed))."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, Tuple, Union
from urllib.parse import unquote, urljoin

import attrs
from urllib3.util import parse_url

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
_DEFAULT_PORTS = {"http": 80, "https": 443}
# An error quotes this much of a link at most: a pasted link can be megabytes.
SHOWN_CHARS = 60
#: The longest link taken (share links are a few hundred characters); a longer
#: one is refused before it is parsed.
MAX_LINK = 4096
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


class _Parsed:
    """A link as requests will send it: urllib3's parse (the parser requests uses).

    ``host`` is where the connection goes, in lower case; ``netloc`` is
    ``host:port`` when a port other than the scheme's default is written, else
    ``host``. Raises ValueError for what urllib3 cannot parse.
    """

    def __init__(self, url: str) -> None:
        parts = parse_url(url)
        self.scheme = (parts.scheme or "").lower()
        self.host = (parts.host or "").lower().rstrip(".")
        port = parts.port
        default = port is None or port == _DEFAULT_PORTS.get(self.scheme)
        self.netloc = self.host if default else f"{self.host}:{port}"
        self.path = parts.path or "/"


def quoted(url: str) -> str:
    """The start of ``url`` for a message: never the whole of a long paste."""
    return repr(url) if len(url) <= SHOWN_CHARS else repr(url[:SHOWN_CHARS]) + "..."


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
        self._check_host(url, f"url {quoted(url)}")
        for _ in range(MAX_REDIRECTS + 1):
            found = self._parse(url)
            if isinstance(found, Link):
                return found
            if found is None:
                raise ValueError(
                    f"url {quoted(url)} is not a link to a post, user, sound or hashtag of TikTok"
                )
            url = self._follow(url)
        raise ValueError(f"url {quoted(pasted)} still redirects after {MAX_REDIRECTS} hops")

    def _check_host(self, url: str, what: str) -> None:
        """Refuse ``url`` unless requests would connect to a link host, on its default port.

        The host is read as requests reads it (urllib3's parser): ``urlsplit``
        reads ``http://127.0.0.1:8080\\@vm.tiktok.com/`` as vm.tiktok.com while
        the connection goes to 127.0.0.1. A port is accepted only when the
        ``host:port`` itself is a link host (a sandbox's).
        """
        if len(url) > MAX_LINK:
            raise ValueError(f"{what} is longer than a link can be ({MAX_LINK} characters)")
        try:
            parsed = _Parsed(url)
        except ValueError:  # a port that is not a number, a broken [v6] host
            raise ValueError(f"{what} is not a URL") from None
        if parsed.scheme not in _DEFAULT_PORTS or parsed.netloc not in self.hosts:
            raise ValueError(
                f"{what} is not a TikTok link (its host is not one of {', '.join(self.hosts)}, "
                "on the default port)"
            )

    def _parse(self, url: str) -> Union[Link, str, None]:
        """A :class:`Link`, ``"short"`` for a link to follow, ``None`` for anything else."""
        parsed = _Parsed(url)
        path = parsed.path
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
        custom = parsed.netloc not in LINK_HOSTS
        if _SHORT.match(path) or (
            _ONE_SEGMENT.match(path) and (parsed.host in SHORT_HOSTS or custom)
        ):
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
            self._check_host(target, f"url {quoted(url)} redirects to {quoted(target)}, which")
            return target
        if status in (404, 410):
            raise NotFoundError(f"{quoted(url)} leads nowhere (HTTP {status})", http_status=status)
        raise APIError(
            f"{quoted(url)} answered HTTP {status} without a redirect", http_status=status
        )
