"""The sandbox's world: users, posts, comments, hashtags, stickers and rooms from a seed.

Everything here is a pure function of the seed and the ids asked for; nothing
is stored. Any numeric id resolves to something. Users live in an id range
that also encodes their posts' ids (``POST_BASE + user_index * POST_SLOTS + n``)
so that a post id leads back to its author. The account's own writes live in
:mod:`._state`, never here.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass
from typing import Any, Optional, Tuple

from ._constants import ACCOUNT_USER_ID, BIG_USER_ID, PHOTO_POST_ID
from ._hashing import Hasher, Permutation, text_key
from ._timeline import LazyTimeline, Timeline

__all__ = [
    "CommentFacts",
    "MusicFacts",
    "PostFacts",
    "RoomFacts",
    "StickerFacts",
    "UserFacts",
    "World",
]

USER_BASE = 6_800_000_000_000_000_000
FIRST_GENERATED = 1_000  # user indexes below this are the special users
USER_SPACE = 999_999_937  # prime: see Permutation
USER_END = USER_BASE + FIRST_GENERATED + USER_SPACE
ACCOUNT = int(ACCOUNT_USER_ID)
BIG = int(BIG_USER_ID)
PHOTO_POST = int(PHOTO_POST_ID)
PHOTO_EVERY, PHOTO_AT = 10, 7  # posts number 7, 17, 27 ... of each user are photo posts
CAPTION_EVERY, CAPTION_AT = 5, 1  # videos number 1, 6, 11 ... have captions
MAX_IMAGES = 12
PHOTO_POST_IMAGES = 30

POST_BASE = 6_900_000_000_000_000_000
POST_SLOTS = 100_000  # posts per user at most
POST_END = POST_BASE + (FIRST_GENERATED + USER_SPACE) * POST_SLOTS
COMMENT_BASE = 7_000_000_000_000_000_000
COMMENT_SLOTS = 1_000  # world comments per post at most
COMMENT_END = COMMENT_BASE + 100_000_000_000_000_000
REPLY_BASE = (
    7_200_000_000_000_000_000  # replies: their own range, apart from the account's comments
)
REPLY_SLOTS = 100  # replies per comment at most
MUSIC_BASE = 6_600_000_000_000_000_000
# A post's own sound has the id MUSIC_BASE + the post's offset, so it leads back to
# the post and its author; the sounds of posts outside the range come after.
MUSIC_OWN_END = MUSIC_BASE + (POST_END - POST_BASE)
HASHTAG_BASE = 10_000_000
HASHTAG_SPACE = 999_999_937
STICKER_BASE = 100_000
STICKER_SPACE = 899_981  # prime
STREAM_BASE = 9_000_000_000_000_000_000

#: Every world time is before this (2020-09-13); the account's writes come after.
WORLD_EPOCH = 1_600_000_000
POST_GAP = 6 * 3600
FOLLOW_GAP = 60
REQUEST_GAP = 3 * 3600

BIG_POSTS = 10_000
BIG_FOLLOWERS = 250_000
BIG_FOLLOWINGS = 250_000
ACCOUNT_POSTS = 12
ACCOUNT_FOLLOWERS = 1_234
CATEGORY_COUNT = 40
SEARCH_WINDOW = 5_000  # generated users a user search looks through
MAX_SEARCH_HITS = 200
POST_SEARCH_WINDOW = 3_000  # posts a post search looks through
LIKE_GAP = 600

ADJECTIVES = (
    "happy", "lazy", "brave", "sunny", "quiet", "wild", "cosmic", "little", "golden", "silver",
    "funky", "rapid", "gentle", "neon", "retro", "urban", "salty", "sweet", "spicy", "chill",
    "lucky", "sleepy", "bold", "tiny",
)  # fmt: skip
NOUNS = (
    "dancer", "cat", "dog", "chef", "gamer", "singer", "artist", "traveler", "skater", "surfer",
    "baker", "coder", "panda", "fox", "drummer", "painter", "runner", "dreamer", "comedian",
    "gardener", "music", "food", "travel", "tiktok",
)  # fmt: skip
PHRASES = (
    "trying the new trend", "my cat did it again", "day 12 of learning to dance", "wait for it",
    "recipe in the comments", "sunset from my balcony", "this song is stuck in my head",
    "first try!", "duet this", "the ending though", "behind the scenes", "pov: it's monday",
)  # fmt: skip
COMMENTS = (
    "love this", "so good", "haha", "wow", "how did you do that?", "again!", "first",
    "this made my day", "tutorial please", "the music", "iconic", "need more of this",
)  # fmt: skip
HASHTAG_SUFFIXES = ("", "challenge", "life", "time", "vibes", "tok", "daily", "trend", "fun")
REGIONS = ("US", "GB", "AU", "DE", "FR", "BR", "JP", "IN", "CA", "MX")
SIGNATURES = (
    "just having fun", "dance | food | travel", "new video every friday", "",
    "follow for more", "living my best life", "music is life",
)  # fmt: skip


class Salt(enum.IntEnum):
    """Keeps the hash streams of different facts apart."""

    USER = 1
    FOLLOWERS = 2
    FOLLOWINGS = 3
    FOLLOWER_TIME = 4
    FOLLOWING_TIME = 5
    POSTS = 6
    POST_TIME = 7
    POST = 8
    COMMENTS = 9
    COMMENT = 10
    HASHTAG = 11
    HASHTAG_POSTS = 12
    STICKER = 13
    STICKER_POSTS = 14
    CATEGORIES = 15
    SEARCH_USERS = 16
    SEARCH_HASHTAGS = 17
    ROOM = 18
    FEED = 19
    REQUESTS = 20
    INITIAL_FOLLOWS = 21
    OUTSIDE = 22
    MUSIC = 23
    MUSIC_POSTS = 24
    LIKED = 25
    LIKE_TIME = 26
    REPLIES = 27
    REPLY = 28
    RELATED = 29
    SEARCH_POSTS = 30


@dataclass(frozen=True)
class UserFacts:
    uid: int
    unique_id: str
    nickname: str
    signature: str
    region: str
    create_time: int
    is_verified: bool
    custom_verify: str
    post_count: int
    follower_count: int
    following_count: int
    total_favorited: int
    favoriting_count: int


@dataclass(frozen=True)
class PostFacts:
    aweme_id: int
    author: int
    index: int
    create_time: int
    desc: str
    hashtag: str
    hashtag_id: int
    music_id: int
    music_title: str
    sticker_id: int
    sticker_name: str
    digg_count: int
    share_count: int
    play_count: int
    comment_count: int
    duration_ms: int
    region: str
    #: a photo post's number of images (0 for a video)
    image_count: int = 0
    #: whether the video has captions (both sources)
    has_captions: bool = False


@dataclass(frozen=True)
class MusicFacts:
    music_id: int
    owner: int
    title: str
    duration: int  # seconds
    #: the post whose sound it is (it comes first in the sound's posts), if any
    original_post: Optional[int]


@dataclass(frozen=True)
class CommentFacts:
    cid: int
    aweme_id: int
    user: int
    text: str
    create_time: int
    digg_count: int
    #: the comment this one replies to (0 for a comment on the post itself)
    reply_to: int = 0


@dataclass(frozen=True)
class StickerFacts:
    sticker_id: int
    name: str
    user_count: int
    icon: int


@dataclass(frozen=True)
class RoomFacts:
    room_id: int
    stream_id: int
    owner: int
    title: str
    user_count: int
    create_time: int


def user_index(uid: int) -> Optional[int]:
    """The index that encodes a user's post ids, or ``None`` for an id outside the world's range."""
    return uid - USER_BASE if USER_BASE <= uid < USER_END else None


class World:
    """The deterministic world of one seed. Thread-safe: it never changes."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._h = Hasher(seed)
        self._search_candidates = Permutation(USER_SPACE, self._h(Salt.SEARCH_USERS))
        # Bounded caches of pure functions: a page renders the same users many times.
        self._cached_user = functools.lru_cache(maxsize=4096)(self._user)
        self._cached_search = functools.lru_cache(maxsize=128)(self._search_users)
        self._cached_post_search = functools.lru_cache(maxsize=128)(self._search_posts)

    # -- users ----------------------------------------------------------------------

    def generated_user(self, position: int) -> int:
        """The uid of generated user number ``position`` (0 <= position < USER_SPACE)."""
        return USER_BASE + FIRST_GENERATED + position

    def user(self, uid: int) -> UserFacts:
        return self._cached_user(uid)

    def _user(self, uid: int) -> UserFacts:
        h = self._h
        adjective = h.pick(ADJECTIVES, Salt.USER, uid, 1)
        noun = h.pick(NOUNS, Salt.USER, uid, 2)
        facts = UserFacts(
            uid=uid,
            unique_id=f"{adjective}{noun}{h(Salt.USER, uid, 3) % 1000}",
            nickname=f"{adjective.title()} {noun.title()}",
            signature=h.pick(SIGNATURES, Salt.USER, uid, 4),
            region=h.pick(REGIONS, Salt.USER, uid, 5),
            create_time=WORLD_EPOCH - 30 * 86400 - h(Salt.USER, uid, 6) % (3 * 365 * 86400),
            is_verified=h(Salt.USER, uid, 7) % 25 == 0,
            custom_verify="",
            post_count=1 + h(Salt.USER, uid, 8) % 40 if user_index(uid) is not None else 0,
            follower_count=h(Salt.USER, uid, 9) % 400,
            following_count=h(Salt.USER, uid, 10) % 250,
            total_favorited=h(Salt.USER, uid, 11) % 50_000,
            favoriting_count=h(Salt.USER, uid, 12) % 2_000,
        )
        if uid == ACCOUNT:
            return _replace(
                facts,
                unique_id="sandbox",
                nickname="Sandbox Account",
                signature="the account you log in as",
                is_verified=False,
                post_count=ACCOUNT_POSTS,
                follower_count=ACCOUNT_FOLLOWERS,
                following_count=0,  # the account's follows are state (see _state)
            )
        if uid == BIG:
            return _replace(
                facts,
                unique_id="sandbox.star",
                nickname="Sandbox Star",
                signature="250k followers, 10k posts: page through me",
                is_verified=True,
                custom_verify="popular creator",
                post_count=BIG_POSTS,
                follower_count=BIG_FOLLOWERS,
                following_count=BIG_FOLLOWINGS,
                total_favorited=98_765_432,
            )
        return facts

    def _relation(self, uid: int, salt: Salt, time_salt: Salt, length: int) -> Timeline:
        permutation = Permutation(USER_SPACE, self._h(salt, uid))
        newest = WORLD_EPOCH - 1 - self._h(time_salt, uid) % 3600

        def time_at(index: int) -> int:
            # Gaps of 30..60 s: every item has its own second, so time paging skips nothing.
            return newest - index * FOLLOW_GAP + self._h(time_salt, uid, index) % (FOLLOW_GAP // 2)

        return LazyTimeline(length, time_at, lambda index: self.generated_user(permutation(index)))

    def followers(self, uid: int) -> Timeline:
        """Who follows ``uid`` in the world, newest follow first."""
        length = self.user(uid).follower_count
        return self._relation(uid, Salt.FOLLOWERS, Salt.FOLLOWER_TIME, length)

    def followings(self, uid: int) -> Timeline:
        """Whom ``uid`` follows in the world, newest follow first."""
        length = self.user(uid).following_count
        return self._relation(uid, Salt.FOLLOWINGS, Salt.FOLLOWING_TIME, length)

    def is_follower(self, follower: int, uid: int) -> bool:
        """Whether ``follower`` is in the world's followers of ``uid`` (O(1), nothing listed)."""
        index = user_index(follower)
        if index is None or index < FIRST_GENERATED:
            return False
        permutation = Permutation(USER_SPACE, self._h(Salt.FOLLOWERS, uid))
        return permutation.index_of(index - FIRST_GENERATED) < self.user(uid).follower_count

    def initial_follows(self, count: int) -> Tuple[int, ...]:
        """The generated users the account follows when the sandbox starts."""
        permutation = Permutation(USER_SPACE, self._h(Salt.INITIAL_FOLLOWS))
        return tuple(self.generated_user(permutation(n)) for n in range(count))

    def follow_requests(self, count: int) -> Tuple[Tuple[int, int], ...]:
        """``(time, uid)`` of the users asking to follow the account when the sandbox starts."""
        permutation = Permutation(USER_SPACE, self._h(Salt.REQUESTS))
        return tuple(
            (WORLD_EPOCH - 1 - n * REQUEST_GAP, self.generated_user(permutation(n)))
            for n in range(count)
        )

    # -- posts ----------------------------------------------------------------------

    def _post_time(self, uid: int, index: int) -> int:
        newest = WORLD_EPOCH - 3600 - self._h(Salt.POST_TIME, uid) % (7 * 86400)
        return newest - index * POST_GAP - self._h(Salt.POST_TIME, uid, index) % (POST_GAP // 2)

    def post_id(self, uid: int, index: int) -> int:
        number = user_index(uid)
        if number is None:
            raise ValueError(f"user {uid} has no posts")
        return POST_BASE + number * POST_SLOTS + index

    def posts(self, uid: int) -> Timeline:
        """A user's posts, newest first (time in seconds)."""
        length = self.user(uid).post_count
        return LazyTimeline(
            length,
            lambda index: self._post_time(uid, index),
            lambda index: self.post_id(uid, index),
        )

    def post(self, aweme_id: int) -> PostFacts:
        h = self._h
        if POST_BASE <= aweme_id < POST_END:
            number, index = divmod(aweme_id - POST_BASE, POST_SLOTS)
            author = USER_BASE + number
        else:
            # Any other id still resolves: to a generated user's post.
            author = self.generated_user(h(Salt.OUTSIDE, aweme_id) % USER_SPACE)
            index = h(Salt.OUTSIDE, aweme_id, 1) % self.user(author).post_count
        hashtag = self.hashtag_name(self._post_hashtag(aweme_id))
        sticker = self.sticker(STICKER_BASE + h(Salt.POST, aweme_id, 2) % STICKER_SPACE)
        music = self.music(self.post_music(aweme_id))
        images = self._image_count(aweme_id, index)
        return PostFacts(
            aweme_id=aweme_id,
            author=author,
            index=index,
            create_time=self._post_time(author, index),
            desc=f"{h.pick(PHRASES, Salt.POST, aweme_id, 4)} #{hashtag}",
            hashtag=hashtag,
            hashtag_id=self._post_hashtag(aweme_id),
            music_id=music.music_id,
            music_title=music.title,
            sticker_id=sticker.sticker_id,
            sticker_name=sticker.name,
            digg_count=h(Salt.POST, aweme_id, 6) % 100_000,
            share_count=h(Salt.POST, aweme_id, 7) % 5_000,
            play_count=h(Salt.POST, aweme_id, 8) % 1_000_000,
            comment_count=self.comment_count(aweme_id),
            duration_ms=0 if images else self._post_duration_ms(aweme_id),
            region=self.user(author).region,
            image_count=images,
            has_captions=not images and index % CAPTION_EVERY == CAPTION_AT,
        )

    def _image_count(self, aweme_id: int, index: int) -> int:
        if aweme_id == PHOTO_POST:
            return PHOTO_POST_IMAGES
        if index % PHOTO_EVERY != PHOTO_AT:
            return 0
        return 1 + self._h(Salt.POST, aweme_id, 10) % MAX_IMAGES

    def _post_hashtag(self, aweme_id: int) -> int:
        return HASHTAG_BASE + self._h(Salt.POST, aweme_id, 1) % HASHTAG_SPACE

    def _post_duration_ms(self, aweme_id: int) -> int:
        return 5_000 + self._h(Salt.POST, aweme_id, 9) % 55_000

    def post_desc(self, aweme_id: int) -> str:
        """What :meth:`post` says in ``desc``, without the rest of it (post search)."""
        hashtag = self.hashtag_name(self._post_hashtag(aweme_id))
        return f"{self._h.pick(PHRASES, Salt.POST, aweme_id, 4)} #{hashtag}"

    def related_post(self, aweme_id: int, position: int) -> int:
        """Post number ``position`` of the endless feed of posts related to ``aweme_id``."""
        return self._listed_post(Salt.RELATED, aweme_id, position % USER_SPACE)

    # -- sounds ---------------------------------------------------------------------

    def post_music(self, aweme_id: int) -> int:
        """The id of the sound a post uses: its own original sound."""
        if POST_BASE <= aweme_id < POST_END:
            return MUSIC_BASE + (aweme_id - POST_BASE)
        return MUSIC_OWN_END + self._h(Salt.POST, aweme_id, 3) % 10**15

    def music(self, music_id: int) -> MusicFacts:
        """Any sound id resolves; a post's own sound is owned by the post's author."""
        h = self._h
        if MUSIC_BASE <= music_id < MUSIC_OWN_END:
            post = POST_BASE + (music_id - MUSIC_BASE)
            origin: Optional[int] = post
            owner = USER_BASE + (music_id - MUSIC_BASE) // POST_SLOTS
            noun = h.pick(NOUNS, Salt.POST, post, 5)
            duration = self._post_duration_ms(post) // 1000
        else:
            origin = None
            owner = self.generated_user(h(Salt.MUSIC, music_id) % USER_SPACE)
            noun = h.pick(NOUNS, Salt.MUSIC, music_id, 1)
            duration = 5 + h(Salt.MUSIC, music_id, 2) % 55
        return MusicFacts(
            music_id=music_id,
            owner=owner,
            title=f"original sound - {noun}",
            duration=duration,
            original_post=origin,
        )

    def music_post_count(self, music_id: int) -> int:
        return 10 + self._h(Salt.MUSIC_POSTS, music_id) % 150

    def music_post(self, music_id: int, index: int) -> int:
        """Post ``index`` of a sound's posts: its original post first, when it has one."""
        origin = self.music(music_id).original_post
        if origin is not None:
            if index == 0:
                return origin
            index -= 1
        return self._listed_post(Salt.MUSIC_POSTS, music_id, index)

    # -- likes ----------------------------------------------------------------------

    def liked(self, uid: int) -> Timeline:
        """The posts a user liked in the world, newest like first (time in seconds)."""
        length = self.user(uid).favoriting_count
        newest = WORLD_EPOCH - 1 - self._h(Salt.LIKE_TIME, uid) % 3600

        def time_at(index: int) -> int:
            # Gaps of 300..600 s: every like has its own second, so cursor paging skips nothing.
            return newest - index * LIKE_GAP + self._h(Salt.LIKE_TIME, uid, index) % (LIKE_GAP // 2)

        return LazyTimeline(
            length, time_at, lambda index: self._listed_post(Salt.LIKED, uid, index)
        )

    # -- comments -------------------------------------------------------------------

    def comment_count(self, aweme_id: int) -> int:
        return self._h(Salt.COMMENTS, aweme_id) % 61

    def comment(self, aweme_id: int, index: int) -> CommentFacts:
        """World comment number ``index`` of a post, newest first."""
        h = self._h
        local = (
            aweme_id - POST_BASE
            if POST_BASE <= aweme_id < POST_END
            else h(Salt.OUTSIDE, aweme_id, 2) % 10**14
        )
        newest = WORLD_EPOCH - 60 - h(Salt.COMMENTS, aweme_id, 1) % 3600
        return CommentFacts(
            cid=COMMENT_BASE + local * COMMENT_SLOTS + index,
            aweme_id=aweme_id,
            user=self.generated_user(h(Salt.COMMENT, aweme_id, index) % USER_SPACE),
            text=h.pick(COMMENTS, Salt.COMMENT, aweme_id, index, 1),
            create_time=newest - index * 977,
            digg_count=h(Salt.COMMENT, aweme_id, index, 2) % 500,
        )

    def reply_count(self, cid: int) -> int:
        """How many replies a world comment has (replies have none of their own)."""
        if not COMMENT_BASE <= cid < COMMENT_END:
            return 0
        return self._h(Salt.REPLIES, cid) % 13

    def reply(self, cid: int, aweme_id: int, index: int) -> CommentFacts:
        """Reply number ``index`` to comment ``cid`` of post ``aweme_id``, oldest first."""
        h = self._h
        parent_time = WORLD_EPOCH - 60 - h(Salt.COMMENTS, aweme_id, 1) % 3600
        return CommentFacts(
            cid=REPLY_BASE + (h(Salt.REPLY, cid) % 10**15) * REPLY_SLOTS + index,
            aweme_id=aweme_id,
            user=self.generated_user(h(Salt.REPLY, cid, index) % USER_SPACE),
            text=h.pick(COMMENTS, Salt.REPLY, cid, index, 1),
            create_time=parent_time + 30 + index * 61,
            digg_count=h(Salt.REPLY, cid, index, 2) % 100,
            reply_to=cid,
        )

    # -- hashtags, categories, stickers -----------------------------------------------

    def hashtag_name(self, cid: int) -> str:
        h = self._h
        return h.pick(NOUNS, Salt.HASHTAG, cid, 1) + h.pick(HASHTAG_SUFFIXES, Salt.HASHTAG, cid, 2)

    def hashtag_user_count(self, cid: int) -> int:
        return 1_000 + self._h(Salt.HASHTAG, cid, 3) % 1_000_000

    def hashtag_view_count(self, cid: int) -> int:
        return 100 * self.hashtag_user_count(cid) + self._h(Salt.HASHTAG, cid, 4) % 100

    def hashtag_post_count(self, cid: int) -> int:
        return 20 + self._h(Salt.HASHTAG_POSTS, cid) % 180

    def hashtag_post(self, cid: int, index: int) -> int:
        return self._listed_post(Salt.HASHTAG_POSTS, cid, index)

    def _listed_post(self, salt: Salt, owner: int, index: int) -> int:
        # Distinct authors for distinct indexes, so a listing never repeats a post.
        author = self.generated_user(Permutation(USER_SPACE, self._h(salt, owner))(index))
        count = self.user(author).post_count
        return self.post_id(author, self._h(salt, owner, index) % count)

    def category(self, index: int) -> int:
        """The hashtag id of trending category ``index`` (0 <= index < CATEGORY_COUNT)."""
        return HASHTAG_BASE + Permutation(HASHTAG_SPACE, self._h(Salt.CATEGORIES))(index)

    def sticker(self, sticker_id: int) -> StickerFacts:
        h = self._h
        name = f"{h.pick(ADJECTIVES, Salt.STICKER, sticker_id, 1).title()} {h.pick(NOUNS, Salt.STICKER, sticker_id, 2).title()}"
        return StickerFacts(
            sticker_id=sticker_id,
            name=name,
            user_count=h(Salt.STICKER, sticker_id, 3) % 1_000_000,
            icon=h(Salt.STICKER, sticker_id, 4) % 10**6,
        )

    def sticker_post_count(self, sticker_id: int) -> int:
        return 10 + self._h(Salt.STICKER_POSTS, sticker_id) % 150

    def sticker_post(self, sticker_id: int, index: int) -> int:
        return self._listed_post(Salt.STICKER_POSTS, sticker_id, index)

    # -- search -------------------------------------------------------------------------

    def search_users(self, keyword: str) -> Tuple[int, ...]:
        """Users whose unique_id or nickname contains ``keyword`` (case-insensitive)."""
        return self._cached_search(keyword)

    def _search_users(self, keyword: str) -> Tuple[int, ...]:
        needle = keyword.strip().lower()
        if not needle:
            return ()
        hits = [uid for uid in (ACCOUNT, BIG) if _matches(self.user(uid), needle)]
        for position in range(SEARCH_WINDOW):
            if len(hits) >= MAX_SEARCH_HITS:
                break
            uid = self.generated_user(self._search_candidates(position))
            if _matches(self.user(uid), needle):
                hits.append(uid)
        # A handle equal to the keyword comes first, as the app ranks it (users.by_username).
        exact = [uid for uid in hits if self.user(uid).unique_id == needle]
        return tuple(exact + [uid for uid in hits if uid not in exact])

    def search_posts(self, keyword: str) -> Tuple[int, ...]:
        """Posts whose ``desc`` contains ``keyword`` (case-insensitive), from a fixed window."""
        return self._cached_post_search(keyword)

    def _search_posts(self, keyword: str) -> Tuple[int, ...]:
        needle = keyword.strip().lower()
        if not needle:
            return ()
        hits = []
        for position in range(POST_SEARCH_WINDOW):
            aweme_id = self._listed_post(Salt.SEARCH_POSTS, 0, position)
            if needle in self.post_desc(aweme_id).lower():
                hits.append(aweme_id)
                if len(hits) >= MAX_SEARCH_HITS:
                    break
        return tuple(hits)

    def search_hashtag_count(self, keyword: str) -> int:
        return 3 + self._h(Salt.SEARCH_HASHTAGS, text_key(keyword)) % 25

    def search_hashtag(self, keyword: str, index: int) -> int:
        """The hashtag id of hit ``index`` for ``keyword`` (its name is built from the keyword)."""
        key = self._h(Salt.SEARCH_HASHTAGS, text_key(keyword), 1)
        return HASHTAG_BASE + Permutation(HASHTAG_SPACE, key)(index)

    def search_hashtag_name(self, keyword: str, index: int) -> str:
        """Hit 0 is the keyword itself, the others the keyword with a suffix: all distinct."""
        word = "".join(keyword.lower().split())
        if index == 0:
            return word
        suffixes = HASHTAG_SUFFIXES[1:]
        lap, slot = divmod(index - 1, len(suffixes))
        return f"{word}{suffixes[slot]}{lap or ''}"

    # -- feeds and rooms ------------------------------------------------------------------

    def feed_post(self, position: int) -> int:
        """Post number ``position`` of the endless For You feed."""
        return self._listed_post(Salt.FEED, 0, position % USER_SPACE)

    def latest_post(self, uid: int, back: int) -> Optional[int]:
        """A user's post ``back`` steps from the newest, or ``None`` when there is none."""
        count = self.user(uid).post_count
        return self.post_id(uid, back % count) if count else None

    def room(self, room_id: int) -> RoomFacts:
        """Any room id resolves to a live room owned by a generated user."""
        h = self._h
        return RoomFacts(
            room_id=room_id,
            stream_id=STREAM_BASE + h(Salt.ROOM, room_id, 1) % 10**17,
            owner=self.generated_user(h(Salt.ROOM, room_id, 2) % USER_SPACE),
            title=h.pick(PHRASES, Salt.ROOM, room_id, 3),
            user_count=h(Salt.ROOM, room_id, 4) % 5_000,
            create_time=WORLD_EPOCH - h(Salt.ROOM, room_id, 5) % 7200,
        )


def _matches(user: UserFacts, needle: str) -> bool:
    return needle in user.unique_id or needle in user.nickname.lower()


def _replace(facts: UserFacts, **changes: Any) -> UserFacts:
    return dataclasses.replace(facts, **changes)
