"""The login answer (docs/protocol.rst (Login)): no ``status_code``, ``data`` and ``message``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import attrs

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
    user_verified: Optional[int] = None
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


@model
class LoginResponse(Model):
    """The login answer: ``data`` and ``message``, no ``status_code``.

    ``data`` is kept as JSON: it holds a :class:`LoginResult` or a
    :class:`LoginFailure` depending on ``message``, and the client's login reads
    which one.
    """

    data: Optional[Dict[str, Any]] = attrs.field(default=None, repr=False)  # session_key
    message: Optional[str] = None
