"""The sandbox's ``sec_uid``: an opaque-looking string per user (docs/protocol.rst (Apps and hosts)).

Today's app keys users by ``sec_user_id`` as well as by the numeric id. The
sandbox derives one from the numeric id, reversibly, with the prefix real ones
share; clients must treat it as opaque.
"""

from __future__ import annotations

import base64
import binascii
from typing import Optional

__all__ = ["PREFIX", "sec_uid", "uid_of"]

PREFIX = "MS4wLjABAAAA"
_TAG = b"sandbox-user:"


def sec_uid(uid: int) -> str:
    """The ``sec_uid`` of the user ``uid``."""
    encoded = base64.urlsafe_b64encode(_TAG + str(uid).encode("ascii"))
    return PREFIX + encoded.decode("ascii").rstrip("=")


def uid_of(value: str) -> Optional[int]:
    """The numeric id behind a sandbox ``sec_uid``, or ``None`` if it is not one."""
    if not value.startswith(PREFIX) or len(value) > 100:
        return None
    body = value[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    digits = raw[len(_TAG) :]
    if not raw.startswith(_TAG) or not digits.isdigit() or len(digits) > 20:
        return None
    return int(digits)
