"""The JSON shapes of the wire (those of the recorded bodies), from world facts and state.

What depends on who asks (``follow_status``, ``user_digged``) is only filled in
for a logged-in request; counts always include the account's writes, so a
profile's counts equal what its listings yield.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any, Dict, List, Optional
from urllib.parse import quote

from ._captions import AUTO, TRACKS
from ._constants import ACCOUNT_USER_ID, DELETED_POST_ID, PRIVATE_USER_ID
from ._links import link_code
from ._live import SandboxRoom, stream_urls
from ._media import VARIANTS, MediaFile, MediaLibrary
from ._secuid import sec_uid
from ._state import LiveRoom, State, StoredComment
from ._world import CommentFacts, RoomFacts, World

__all__ = ["Renderer", "extra"]

ACCOUNT = int(ACCOUNT_USER_ID)
PRIVATE_USER = int(PRIVATE_USER_ID)
DELETED_POST = int(DELETED_POST_ID)
PHOTO_TYPE = 150  # aweme_type of a photo post
IMAGE_HOST = "https://p16-sandbox.example.com/img"
MEDIA_HOST = "https://v16-sandbox.example.com"
SITE_HOST = "https://www.sandbox.example.com"
PULL_HOST = "http://pull-sandbox.example.com/live"
PUSH_HOST = "rtmp://push-sandbox.example.com/live"

JSON = Dict[str, Any]
# What a Host header may be for media addresses to be built on it: name or [v6] and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


def extra(full: bool) -> JSON:
    """The ``extra`` block: some endpoints send only ``now``, others a log id too."""
    now = int(time.time() * 1000)
    if not full:
        return {"now": now}
    logid = time.strftime("%Y%m%d%H%M%S", time.gmtime(now // 1000)) + secrets.token_hex(9).upper()
    return {"fatal_item_ids": [], "logid": logid, "now": now}


def _urls(*urls: str) -> JSON:
    return {"url_list": list(urls)}


def _image(key: int, size: str) -> JSON:
    return _urls(f"{IMAGE_HOST}/{key}~c5_{size}.jpeg")


class Renderer:
    """Builds response objects for one request (``logged_in`` says whether it had a session)."""

    def __init__(
        self,
        world: World,
        state: State,
        logged_in: bool,
        *,
        media: Optional[MediaLibrary] = None,
        host: Optional[str] = None,
    ) -> None:
        self.world = world
        self.state = state
        self.logged_in = logged_in
        self.media = media if media is not None else MediaLibrary(world.seed)
        # Media addresses point at the sandbox itself, as the client reached it.
        self.media_base = f"http://{host}/media" if host and _HOST.fullmatch(host) else MEDIA_HOST
        # So do share links: the short one the app copies, and the page it leads to.
        self.site_base = f"http://{host}" if host and _HOST.fullmatch(host) else SITE_HOST

    # -- users ----------------------------------------------------------------------

    def follower_count(self, uid: int) -> int:
        return self.world.user(uid).follower_count + len(self.state.extra_followers(uid))

    def following_count(self, uid: int) -> int:
        if uid == ACCOUNT:
            return len(self.state.followings_of_account())
        return self.world.user(uid).following_count

    def user(self, uid: int) -> JSON:
        """A user as listings show it (no counts)."""
        facts = self.world.user(uid)
        follows = follower = 0
        if self.logged_in and uid != ACCOUNT:
            follows = int(self.state.follows(uid))
            follower = int(
                self.world.is_follower(uid, ACCOUNT) or self.state.is_approved_follower(uid)
            )
        return {
            "avatar_larger": _image(uid, "1080x1080"),
            "avatar_medium": _image(uid, "720x720"),
            "avatar_thumb": _image(uid, "100x100"),
            "create_time": facts.create_time,
            "custom_verify": facts.custom_verify,
            "follow_status": follows,
            "follower_status": follower,
            "ins_id": "",
            "is_verified": facts.is_verified,
            "nickname": facts.nickname,
            "region": facts.region,
            "room_id": self.room_id_of(uid),
            "sec_uid": sec_uid(uid),
            "secret": int(uid == PRIVATE_USER),
            "signature": facts.signature,
            "twitter_id": "",
            "uid": str(uid),
            "unique_id": facts.unique_id,
            "verification_type": 1 if facts.is_verified else 0,
            "youtube_channel_id": "",
        }

    def profile(self, uid: int) -> JSON:
        """A user as ``aweme/v1/user/`` shows it: with the counts."""
        facts = self.world.user(uid)
        favoriting = self.state.liked_count() if uid == ACCOUNT else facts.favoriting_count
        return {
            **self.user(uid),
            "aweme_count": facts.post_count,
            "favoriting_count": favoriting,
            "follower_count": self.follower_count(uid),
            "following_count": self.following_count(uid),
            "total_favorited": facts.total_favorited,
        }

    def login_data(self, session_key: str) -> JSON:
        facts = self.world.user(ACCOUNT)
        return {
            "area": "",
            "avatar_url": f"{IMAGE_HOST}/{ACCOUNT}~c5_720x720.jpeg",
            "bg_img_url": "",
            "birthday": "",
            "can_be_found_by_phone": 1,
            "connects": [],
            "description": facts.signature,
            "email": "s*****x@example.com",
            "followers_count": self.follower_count(ACCOUNT),
            "followings_count": self.following_count(ACCOUNT),
            "gender": 0,
            "industry": "",
            "is_blocked": 0,
            "is_blocking": 0,
            "is_recommend_allowed": 1,
            "media_id": 0,
            "mobile": "",
            "name": facts.unique_id,
            "new_user": 0,
            "recommend_hint_message": "",
            "screen_name": facts.nickname,
            "session_key": session_key,
            "skip_edit_profile": 0,
            "user_auth_info": "",
            "user_id": ACCOUNT,  # a JSON number, as the real login answers
            "user_verified": False,
            "verified_agency": "",
            "verified_content": "",
            "visit_count_recent": 0,
        }

    # -- posts ----------------------------------------------------------------------

    def post(self, aweme_id: int) -> JSON:
        facts = self.world.post(aweme_id)
        post_id = str(aweme_id)
        liked = self.logged_in and self.state.likes(aweme_id)
        hashtag_begin = facts.desc.rindex("#")
        author = self.world.user(facts.author)
        post: JSON = {
            "author": self.user(facts.author),
            "author_user_id": str(facts.author),
            "aweme_id": post_id,
            "aweme_type": PHOTO_TYPE if facts.image_count else 0,
            "create_time": facts.create_time,
            "desc": facts.desc,
            "music": self.music(facts.music_id),
            "prevent_download": False,
            "rate": 10,
            "region": facts.region,
            "risk_infos": {
                "content": "",
                "risk_sink": False,
                "type": 0,
                "vote": False,
                "warn": False,
            },
            "share_info": {
                "bool_persist": 0,
                "share_desc": "",
                "share_link_desc": "",
                "share_quote": "",
                "share_signature_desc": "",
                "share_signature_url": "",
                "share_title": "Check out this video! #TikTok",
                "share_url": f"{self.site_base}/t/{link_code('post', aweme_id)}",
                "share_weibo_desc": "Check out this video! #TikTok",
            },
            "share_url": f"{self.site_base}/@{quote(author.unique_id)}/video/{post_id}?_r=1",
            "statistics": {
                "aweme_id": post_id,
                "collect_count": facts.digg_count // 20,
                "comment_count": facts.comment_count + len(self.state.comments(aweme_id)),
                "digg_count": facts.digg_count + int(self.state.likes(aweme_id)),
                "forward_count": 0,
                "play_count": facts.play_count,
                "share_count": facts.share_count,
            },
            "sticker_detail": {"id": str(facts.sticker_id), "name": facts.sticker_name},
            "stickers": str(facts.sticker_id),
            "status": {
                "allow_comment": True,
                "allow_share": True,
                "download_status": 0,
                "is_delete": aweme_id == DELETED_POST,
                "is_private": False,
                "in_reviewing": False,
                "is_prohibited": False,
                "private_status": 0,
                "reviewed": 1,
            },
            "text_extra": [
                {
                    "begin": hashtag_begin,
                    "end": len(facts.desc),
                    "hashtag_id": str(facts.hashtag_id),
                    "hashtag_name": facts.hashtag,
                    "type": 1,
                }
            ],
            "user_digged": int(liked),
            "video": self.video(aweme_id, facts.duration_ms),
        }
        if facts.image_count:
            post["image_post_info"] = self.image_post_info(aweme_id, facts.image_count)
            post["video"] = self.still(aweme_id, facts.music_id)
        if facts.has_captions:
            post["video"]["cla_info"] = self.cla_info(aweme_id)
            post["interaction_stickers"] = [self.caption_sticker(aweme_id)]
        return post

    def deleted_post(self, aweme_id: int) -> JSON:
        """A deleted post as its detail shows it: the status says so, no address has a url."""
        post = self.post(aweme_id)
        video = post["video"]
        for name in ("play_addr", "play_addr_h264", "download_addr"):
            video[name] = {"uri": "", "url_list": []}
        video["bit_rate"] = []
        return post

    # -- media (docs/protocol.rst (Media)) ----------------------------------------------

    def _address(self, path: str, media: MediaFile, uri: str) -> JSON:
        url = f"{self.media_base}/{path}"
        return {
            "uri": uri,
            # Two mirrors of the same file, as the CDN lists them.
            "url_list": [url, f"{url}?mirror=2"],
            "data_size": media.size,
            "file_hash": media.md5,
        }

    def video_address(self, aweme_id: int, variant: str) -> JSON:
        codec, height, bit_rate = VARIANTS[variant]
        address = self._address(
            f"video/{aweme_id}/{variant}.mp4",
            self.media.video(aweme_id, variant),
            f"sandbox-video-{aweme_id}",
        )
        address.update(
            width=height * 9 // 16,
            height=height,
            url_key=f"sandbox{aweme_id}_{codec}_{height}p_{bit_rate}",
        )
        return address

    def music_address(self, music_id: int) -> JSON:
        return self._address(
            f"music/{music_id}.mp3", self.media.music(music_id), f"sandbox-music-{music_id}"
        )

    def video(self, aweme_id: int, duration_ms: int) -> JSON:
        bit_rates = []
        for variant in ("h265_720", "h264_720", "h264_540"):
            codec, height, bit_rate = VARIANTS[variant]
            h265 = int(codec != "h264")
            bit_rates.append(
                {
                    "bit_rate": bit_rate,
                    "gear_name": f"normal_{height}_0",
                    "is_bytevc1": h265,
                    "is_h265": h265,
                    "play_addr": self.video_address(aweme_id, variant),
                    "quality_type": 10 if height == 720 else 20,
                }
            )
        return {
            "bit_rate": bit_rates,
            "cover": _image(aweme_id, "300x400"),
            "download_addr": self.video_address(aweme_id, "watermark"),
            "duration": duration_ms,
            "has_watermark": True,
            "height": 960,
            "origin_cover": _image(aweme_id, "900x1200"),
            "play_addr": self.video_address(aweme_id, "play"),
            "play_addr_h264": self.video_address(aweme_id, "h264_540"),
            "ratio": "720p",
            "width": 540,
        }

    # -- photo posts and captions (docs/protocol.rst (Media), (Captions)) ---------------

    def image_post_info(self, aweme_id: int, count: int) -> JSON:
        images = [self.post_image(aweme_id, number) for number in range(1, count + 1)]
        return {"image_post_cover": images[0], "images": images, "title": ""}

    def post_image(self, aweme_id: int, number: int) -> JSON:
        url = f"{self.media_base}/image/{aweme_id}/{number}.jpeg"
        uri = f"tos-sandbox-i-photomode/{aweme_id}-{number}"
        width, height = 1080, 1080 + 360 * (number % 3)  # not all the same shape

        def address(urls: List[str], w: int, h: int) -> JSON:
            return {"height": h, "uri": uri, "url_list": urls, "width": w}

        return {
            # Images say no size nor MD5: the download takes them itself.
            "display_image": address([url, f"{url}?mirror=2"], width, height),
            "owner_watermark_image": address([f"{url}?watermark=1"], width, height),
            "thumbnail": address([f"{url}?thumbnail=1"], width // 4, height // 4),
            "user_watermark_image": address([f"{url}?watermark=1"], width, height),
        }

    def still(self, aweme_id: int, music_id: int) -> JSON:
        """A photo post's video block: a still of no duration whose address is the sound's."""
        return {
            "cover": _image(aweme_id, "300x400"),
            "duration": 0,
            "height": 1440,
            "origin_cover": _image(aweme_id, "900x1200"),
            "play_addr": self.music_address(music_id),
            "ratio": "540p",
            "width": 1080,
        }

    def cla_info(self, aweme_id: int) -> JSON:
        infos = []
        for tag in TRACKS:
            url = f"{self.media_base}/caption/{aweme_id}/{tag}.vtt"
            infos.append(
                {
                    "Format": "webvtt",
                    "caption_format": "webvtt",
                    "is_auto_generated": True,
                    "lang": tag,
                    "language_code": tag.split("-")[0][:2],
                    "url": url,
                    "url_list": [url, f"{url}?mirror=2"],
                }
            )
        return {"caption_infos": infos, "enable_auto_caption": 1, "has_original_audio": 1}

    def caption_sticker(self, aweme_id: int) -> JSON:
        captions = [
            {
                "language": tag,
                "url": {"url_list": [f"{self.media_base}/caption/{aweme_id}/{tag}.json"]},
            }
            for tag in AUTO
        ]
        return {"auto_video_caption_info": {"auto_captions": captions}, "index": 0, "type": 14}

    def music(self, music_id: int) -> JSON:
        """A sound, as a post's ``music`` and ``aweme/v1/music/detail/`` show it."""
        facts = self.world.music(music_id)
        owner = self.world.user(facts.owner)
        return {
            "author": owner.nickname,
            "cover_hd": _image(music_id, "2160x2160"),
            "cover_large": _image(music_id, "1080x1080"),
            "cover_medium": _image(music_id, "720x720"),
            "cover_thumb": _image(music_id, "100x100"),
            "duration": facts.duration,
            "id": str(music_id),
            "owner_handle": owner.unique_id,
            "owner_id": str(facts.owner),
            "owner_nickname": owner.nickname,
            "play_url": self.music_address(music_id),
            "title": facts.title,
            "user_count": self.world.music_post_count(music_id),
        }

    # -- comments -------------------------------------------------------------------

    def world_comment(self, comment: CommentFacts) -> JSON:
        return {
            "aweme_id": str(comment.aweme_id),
            "cid": str(comment.cid),
            "create_time": comment.create_time,
            "digg_count": comment.digg_count,
            "reply_comment_total": self.world.reply_count(comment.cid),
            "reply_id": str(comment.reply_to),
            "status": 1,
            "text": comment.text,
            "text_extra": [],
            "user": self.user(comment.user),
            "user_digged": 0,
        }

    def stored_comment(self, comment: StoredComment) -> JSON:
        return {
            "aweme_id": str(comment.aweme_id),
            "cid": str(comment.cid),
            "create_time": comment.create_time,
            "digg_count": 0,
            "reply_comment_total": 0,
            "reply_id": "0",
            "status": 1,
            "text": comment.text,
            "text_extra": comment.text_extra,
            "user": self.user(ACCOUNT),
            "user_digged": 0,
        }

    # -- hashtags and stickers ------------------------------------------------------

    def challenge(self, cid: int, name: Optional[str] = None) -> JSON:
        name = name if name is not None else self.world.hashtag_name(cid)
        return {
            "author": {},
            "cha_name": name,
            "cid": str(cid),
            "desc": f"Show us your #{name}",
            "is_pgcshow": False,
            "schema": f"aweme://aweme/challenge/detail?cid={cid}",
            "type": 0,
            "user_count": self.world.hashtag_user_count(cid),
        }

    def sticker(self, sticker_id: int) -> JSON:
        facts = self.world.sticker(sticker_id)
        return {
            "children": [],
            "desc": "",
            "effect_id": str(sticker_id),
            "icon_url": _urls(f"{IMAGE_HOST}/effect/{facts.icon}.png"),
            "id": str(sticker_id),
            "is_favorite": False,
            "name": facts.name,
            "owner_id": "",
            "owner_nickname": "Effect Assistant",
            "tags": [],
            "user_count": facts.user_count,
        }

    # -- live -------------------------------------------------------------------------

    def own_room(self, room: LiveRoom, *, with_push_url: bool) -> JSON:
        stream_url: JSON = {"rtmp_pull_url": f"{PULL_HOST}/stream-{room.stream_id}.flv"}
        if with_push_url:
            stream_url["rtmp_push_url"] = f"{PUSH_HOST}/stream-{room.stream_id}?wsSecret=sandbox"
        stream_url["sid"] = room.stream_id
        return {
            "create_time": room.create_time,
            "finish_time": room.finish_time,
            "owner": self.user(ACCOUNT),
            "room_id": room.room_id,  # JSON numbers above 2**63, as the real API sends
            "status": room.status,
            "stream_id": room.stream_id,
            "stream_url": stream_url,
            "title": room.title,
            "user_count": 0,
        }

    def room_id_of(self, uid: int) -> int:
        """The user's latest broadcast, ended or not: the app leaves it set (a stale flag)."""
        room = self.state.live.room_of(uid)
        return room.room_id if room is not None else 0

    def webcast_room(self, room: SandboxRoom) -> JSON:
        """A broadcast as ``webcast/room/info/`` shows it (docs/protocol.rst (Live rooms))."""
        status = room.status
        return {
            "create_time": room.create_time,
            "finish_time": room.create_time + int(room.end_ms / 1000 / room.speed)
            if status == 4
            else 0,
            "id": room.room_id,
            "id_str": str(room.room_id),
            "owner": self.user(room.owner),
            "status": status,
            "stream_url": stream_urls(room, self.site_base) if status == 2 else {},
            "title": f"sandbox broadcast {room.room_id}",
            "user_count": 0 if status == 4 else 1 + room.room_id % 900,
        }

    def world_room(self, room: RoomFacts) -> JSON:
        return {
            "create_time": room.create_time,
            "finish_time": 0,
            "owner": self.user(room.owner),
            "room_id": room.room_id,
            "status": 2,
            "stream_id": room.stream_id,
            "stream_url": {
                "rtmp_pull_url": f"{PULL_HOST}/stream-{room.stream_id}.flv",
                "sid": room.stream_id,
            },
            "title": room.title,
            "user_count": room.user_count,
        }


def positions(text: str, needle: str) -> List[JSON]:
    """Where ``needle`` occurs in ``text`` (case-insensitive), as search results mark it."""
    found: List[JSON] = []
    if not needle:
        return found
    haystack, needle = text.lower(), needle.lower()
    start = haystack.find(needle)
    while start >= 0:
        found.append({"begin": start, "end": start + len(needle)})
        start = haystack.find(needle, start + len(needle))
    return found
