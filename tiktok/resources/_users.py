"""``client.users``: profiles, a user's posts, user search, QR codes."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from .._transport import Endpoint
from ..errors import NotFoundError
from ..models import (
    Post,
    PostPage,
    QRCode,
    QRCodeResponse,
    User,
    UserResponse,
    UserSearchPage,
    UserSearchResult,
)
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_numeric_user, check_text, check_time, required, shown
from ._declare import KEYWORD, USER_ID, declare, integer, text
from ._posts import LIST as POSTS

__all__ = ["Users"]

GET = Endpoint("GET", "aweme/v1/user/", UserResponse, query=("user_id",), result="user")
SEARCH = Listing(
    Endpoint(
        "GET",
        "aweme/v1/discover/search/",
        UserSearchPage,
        query=("keyword", ("type", "1"), "count", "cursor", ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "user_list",
    max_count=30,
)
# One page of the user search, to find a handle (docs/protocol.rst (Calls beyond the seed)).
BY_USERNAME = Endpoint(
    "GET",
    "aweme/v1/discover/search/",
    UserSearchPage,
    query=("keyword", ("type", "1"), ("count", "10"), ("cursor", "0")),
)
LIKED = Listing(
    Endpoint(
        "GET",
        "aweme/v1/aweme/favorite/",
        PostPage,
        query=("user_id", "max_cursor", "count", ("retry_type", "no_retry")),
    ),
    Style.CURSOR,
    "aweme_list",
    max_count=35,
)
QR_CODE = Endpoint(
    "POST",
    "aweme/v1/fancy/qrcode/info/",
    QRCodeResponse,
    query=(("js_sdk_version", ""), ("app_type", "normal")),
    form=("schema_type", "object_id"),
    result="qrcode_url",
)
NAME = text("name", "the handle, with or without its @")
SCHEMA_TYPE = integer("schema_type", "default: 4", 0, 2**31 - 1, default=4)


class Users(Resource):
    """``client.users``: profiles, user search, QR codes."""

    namespace = "users"
    summary = "profiles, handles, liked posts, user search, QR codes"

    @declare(GET, "a user's profile", USER_ID)
    def get(self, user_id: Union[str, int, User]) -> User:
        """A user's profile, by :class:`~tiktok.User`, numeric id or ``sec_user_id``."""
        return required(self._user_read(GET, UserResponse, user_id).user, GET)

    @declare(BY_USERNAME, "the user with a handle (@name)", NAME)
    def by_username(self, name: str) -> User:
        """The user whose handle (``unique_id``) is ``name``, a leading ``@`` dropped.

        Handles compare case-insensitively. Raises :class:`tiktok.NotFoundError`
        when the search finds no such handle.
        """
        handle = handle_of(name)
        page = self._read(BY_USERNAME, UserSearchPage, keyword=handle)
        wanted = handle.casefold()
        for result in page.user_list or ():
            user = result.user_info
            if user is not None and (user.unique_id or "").casefold() == wanted:
                return user
        raise NotFoundError(
            f"no user with the handle @{handle}",
            status_code=page.status_code,
            status_msg=page.status_msg,
        )

    @declare(POSTS, "a user's posts, newest first", USER_ID, command="posts list")
    def posts(
        self,
        user_id: Union[str, int, User],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
        since: Union[int, float, datetime, None] = None,
        until: Union[int, float, datetime, None] = None,
    ) -> Pager[Post]:
        """A user's posts, newest first (``max_cursor`` pagination, 20 a page)."""
        return self._user_pager(
            POSTS,
            user_id,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            since=check_time(since, "since"),
            until=check_time(until, "until"),
        )

    @declare(LIKED, "the posts a user liked, newest like first", USER_ID)
    def liked(
        self,
        user_id: Union[str, int, User],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """The posts a user liked, newest like first (``max_cursor`` pagination, 20 a page)."""
        return self._user_pager(
            LIKED, user_id, strict=strict, count=count, limit=limit, cursor=cursor
        )

    @declare(SEARCH, "users matching a keyword", KEYWORD)
    def search(
        self,
        keyword: str,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[UserSearchResult]:
        """Users matching ``keyword`` (offset pagination, 20 a page)."""
        return self._pager(
            SEARCH,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            keyword=check_text(keyword, "keyword"),
        )

    @declare(QR_CODE, "the QR code image of a profile", USER_ID, SCHEMA_TYPE)
    def qr_code(self, user_id: Union[str, int, User], schema_type: int = 4) -> QRCode:
        """The QR code image of a profile (``.url_list[0]``), by numeric id or ``User``."""
        if type(schema_type) is not int or not 0 <= schema_type < 2**31:
            raise ValueError(f"schema_type must be an int >= 0, not {shown(schema_type)}")
        object_id = check_numeric_user(user_id)
        answer = self._read(QR_CODE, QRCodeResponse, schema_type=schema_type, object_id=object_id)
        return required(answer.qrcode_url, QR_CODE)


def handle_of(name: object) -> str:
    """A handle as the search wants it: text, one leading ``@`` dropped, not empty."""
    text = check_text(name, "name").strip()
    handle = text[1:] if text.startswith("@") else text
    if not handle or any(char.isspace() or char in "/?#@" for char in handle):
        raise ValueError(f"name must be a user's handle such as @someone, not {shown(name)}")
    return handle
