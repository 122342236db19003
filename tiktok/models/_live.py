"""Live rooms."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from ._base import ID, Model, Response, model
from ._show import at, clipped, handle, short_repr
from ._user import User

__all__ = [
    "CanStartResponse",
    "LiveStatus",
    "Room",
    "RoomResponse",
    "StatusChangeReason",
    "StreamUrl",
]


class LiveStatus(enum.IntEnum):
    """A live room's status, for ``live.update_status``."""

    CREATED = 1
    STARTED = 2
    ENDED = 4


class StatusChangeReason(enum.IntEnum):
    """Why a room's status changes (``reason_no`` on the wire)."""

    INITIATED_BY_APP = 0
    INITIATED_BY_USER = 1


@model
class StreamUrl(Model):
    """``rtmp_pull_url`` plays in VLC; ``rtmp_push_url`` (your own rooms) goes into OBS."""

    rtmp_pull_url: Optional[str] = None
    rtmp_push_url: Optional[str] = None
    sid: Optional[ID] = None


@model
class Room(Model):
    """A live room. Keep ``room_id`` and ``stream_id`` to end your own stream."""

    room_id: Optional[ID] = None
    stream_id: Optional[ID] = None
    title: Optional[str] = None
    status: Optional[int] = None
    owner: Optional[User] = None
    user_count: Optional[int] = None
    create_time: Optional[int] = None
    finish_time: Optional[int] = None
    stream_url: Optional[StreamUrl] = None

    @property
    def created_at(self) -> Optional[datetime]:
        """``create_time`` as an aware UTC ``datetime`` (``None`` if not sent)."""
        return at(self.create_time)

    @property
    def finished_at(self) -> Optional[datetime]:
        """``finish_time`` as an aware UTC ``datetime`` (``None`` if not sent)."""
        return at(self.finish_time)

    def __repr__(self) -> str:
        return short_repr(
            self,
            room_id=self.room_id,
            owner=handle(self.owner),
            title=clipped(self.title),
            status=self.status,
            user_count=self.user_count,
        )


@model
class RoomResponse(Response):
    """The answer of ``live.join`` and ``live.create_room``."""

    room: Optional[Room] = None


@model
class CanStartResponse(Response):
    """The answer of ``live.can_start``."""

    can_be_live_podcast: Optional[int] = None
