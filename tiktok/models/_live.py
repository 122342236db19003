"""Live rooms."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Dict, List, Optional

from ._base import ID, Envelope, Model, model
from ._show import at, clipped, handle, short_repr
from ._user import User

__all__ = [
    "CanStartResponse",
    "LiveCoreSdkData",
    "LiveStatus",
    "LiveStreamData",
    "PullData",
    "QualityStreams",
    "Room",
    "RoomInfoResponse",
    "RoomResponse",
    "SdkParams",
    "StatusChangeReason",
    "StreamUrl",
    "StreamVariant",
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
class PullData(Model):
    """``live_core_sdk_data.pull_data``: ``stream_data`` is JSON text (:class:`LiveStreamData`)."""

    stream_data: Optional[str] = None
    options: Optional[Dict[str, Any]] = None


@model
class LiveCoreSdkData(Model):
    """``stream_url.live_core_sdk_data`` of room info (docs/protocol.rst (Live rooms))."""

    pull_data: Optional[PullData] = None


@model
class StreamUrl(Model):
    """A room's stream addresses (docs/protocol.rst (Live rooms)).

    ``rtmp_pull_url`` plays in VLC; ``rtmp_push_url`` (your own rooms) goes into OBS.
    ``flv_pull_url`` and ``hls_pull_url_map`` name a url by quality (``FULL_HD1``,
    ``HD1``, ``SD1``, ``SD2``); ``live_core_sdk_data`` holds the newer list of
    streams. ``client.live.streams(room)`` reads them all, best first.
    """

    rtmp_pull_url: Optional[str] = None
    rtmp_push_url: Optional[str] = None
    sid: Optional[ID] = None
    flv_pull_url: Optional[Dict[str, Any]] = None
    hls_pull_url: Optional[str] = None
    hls_pull_url_map: Optional[Dict[str, Any]] = None
    candidate_resolution: Optional[List[str]] = None
    default_resolution: Optional[str] = None
    live_core_sdk_data: Optional[LiveCoreSdkData] = None


@model
class StreamVariant(Model):
    """``data.{quality}.main`` of ``stream_data``: the urls; ``sdk_params`` is JSON text
    (:class:`SdkParams`)."""

    flv: Optional[str] = None
    hls: Optional[str] = None
    sdk_params: Optional[str] = None


@model
class QualityStreams(Model):
    """``data.{quality}`` of ``stream_data``."""

    main: Optional[StreamVariant] = None


@model
class LiveStreamData(Model):
    """The JSON text of ``pull_data.stream_data``: the streams by quality name."""

    #: quality name -> a :class:`QualityStreams` object (objects are kept as they came)
    data: Optional[Dict[str, Any]] = None


@model
class SdkParams(Model):
    """The JSON text of a stream's ``sdk_params``: codec, bit rate (bit/s), ``WIDTHxHEIGHT``."""

    VCodec: Optional[str] = None
    vbitrate: Optional[int] = None
    resolution: Optional[str] = None


@model
class Room(Model):
    """A live room. Keep ``room_id`` and ``stream_id`` to end your own stream."""

    room_id: Optional[ID] = None
    #: the room's id as room info (``webcast/room/info/``) names it
    id: Optional[ID] = None
    id_str: Optional[ID] = None
    stream_id: Optional[ID] = None
    title: Optional[str] = None
    status: Optional[int] = None
    owner: Optional[User] = None
    user_count: Optional[int] = None
    create_time: Optional[int] = None
    finish_time: Optional[int] = None
    stream_url: Optional[StreamUrl] = None

    @property
    def key(self) -> Optional[str]:
        """The room's id, whichever field the answer put it in (``room_id``, ``id_str``, ``id``)."""
        for value in (self.room_id, self.id_str, self.id):
            if value is not None and str(value) not in ("", "0"):
                return str(value)
        return None

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
class RoomResponse(Envelope):
    """The answer of ``live.join`` and ``live.create_room``."""

    room: Optional[Room] = None


@model
class RoomInfoResponse(Envelope):
    """The answer of ``live.room_info`` (``webcast/room/info/``): the room in ``data``."""

    data: Optional[Room] = None


@model
class CanStartResponse(Envelope):
    """The answer of ``live.can_start``."""

    can_be_live_podcast: Optional[int] = None
