"""``client.users``: profiles, user search, QR codes."""

from __future__ import annotations

from typing import Optional, Union

from .._transport import Endpoint
from ..models import QRCode, QRCodeResponse, User, UserResponse, UserSearchPage, UserSearchResult
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_id, check_text

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
)
QR_CODE = Endpoint(
    "POST",
    "aweme/v1/fancy/qrcode/info/",
    QRCodeResponse,
    query=(("js_sdk_version", ""), ("app_type", "normal")),
    form=("schema_type", "object_id"),
    result="qrcode_url",
)


class Users(Resource):
    """``client.users``: profiles, user search, QR codes."""

    def get(self, user_id: Union[str, int]) -> User:
        """A user's profile."""
        return self._call(GET, user_id=check_id(user_id, "user_id"))  # type: ignore[no-any-return]

    def search(
        self,
        keyword: str,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
    ) -> Pager[UserSearchResult]:
        """Users matching ``keyword`` (offset pagination, 20 a page)."""
        return self._pager(
            SEARCH, count=count, limit=limit, cursor=cursor, keyword=check_text(keyword, "keyword")
        )

    def qr_code(self, user_id: Union[str, int], schema_type: int = 4) -> QRCode:
        """The QR code image of a profile (``.url_list[0]``)."""
        if type(schema_type) is not int:
            raise ValueError(f"schema_type must be an int, not {schema_type!r}")
        object_id = check_id(user_id, "user_id")
        return self._call(QR_CODE, schema_type=schema_type, object_id=object_id)  # type: ignore[no-any-return]
