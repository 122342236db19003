"""The login answer (docs/protocol.rst (Login)): no ``status_code``, ``data`` and ``message``."""

from __future__ import annotations

from typing import Any, List, Optional, Union

import attrs

from .._converter import converter
from ._base import ID, Model, model

__all__ = ["LoginFailure", "LoginResponse", "LoginResult"]


@model
class LoginResult(Model):
    """Your account after a successful login. ``session_key`` is secret and never shown."""

    user_id: Optional[ID] = None
    session_key: Optional[str] = attrs.field(default=None, repr=False)
    name: Optional[str] = None
    screen_name: Optional[str] = None
    email: Optional[str] = None
    mobile: Optional[str] = None
    avatar_url: Optional[str] = None
    bg_img_url: Optional[str] = None
    description: Optional[str] = None
    gender: Optional[int] = None
    birthday: Optional[str] = None
    area: Optional[str] = None
    industry: Optional[str] = None
    followers_count: Optional[int] = None
    followings_count: Optional[int] = None
    media_id: Optional[ID] = None
    new_user: Optional[int] = None
    is_blocked: Optional[int] = None
    is_blocking: Optional[int] = None
    is_recommend_allowed: Optional[int] = None
    can_be_found_by_phone: Optional[int] = None
    recommend_hint_message: Optional[str] = None
    skip_edit_profile: Optional[int] = None
    user_auth_info: Optional[str] = None
    user_verified: Optional[bool] = None
    verified_agency: Optional[str] = None
    verified_content: Optional[str] = None
    visit_count_recent: Optional[int] = None
    connects: Optional[List[Any]] = None


@model
class LoginFailure(Model):
    """The ``data`` of a refused login; raised as :class:`tiktok.LoginError`."""

    error_code: Optional[int] = None
    description: Optional[str] = None
    captcha: Optional[str] = None


LoginData = Union[LoginResult, LoginFailure]


@model
class LoginResponse(Model):
    """The login answer: ``data`` and ``message``, no ``status_code``."""

    data: Optional[LoginData] = None
    message: Optional[str] = None


def _structure_login_data(value: Any, _: Any) -> Optional[LoginData]:
    if value is None:
        return None
    if type(value) is dict and "error_code" in value:
        return converter.structure(value, LoginFailure)
    return converter.structure(value, LoginResult)


converter.register_structure_hook(Optional[LoginData], _structure_login_data)
