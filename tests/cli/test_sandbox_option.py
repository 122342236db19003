"""``--sandbox``: any command on an in-process sandbox, logged in as its account."""

from __future__ import annotations

from typing import Any, Dict, List

from tiktok.sandbox import BIG_USER_ID

from .conftest import run_cli

BIG = str(BIG_USER_ID)


def sandbox(*args: str) -> List[Dict[str, Any]]:
    run = run_cli("--sandbox", *args)
    assert run.returncode == 0, run.stderr
    return run.lines()


def test_users_get_prints_the_profile() -> None:
    (user,) = sandbox("users", "get", BIG)
    assert str(user["uid"]) == BIG
    assert user["follower_count"] >= 250_000


def test_options_may_follow_the_command() -> None:
    run = run_cli("users", "get", BIG, "--sandbox")
    assert run.returncode == 0, run.stderr
    assert str(run.lines()[0]["uid"]) == BIG


def test_posts_get_and_comments_of_a_listed_post() -> None:
    (listed,) = sandbox("posts", "list", BIG, "--limit", "1")
    post_id = str(listed["aweme_id"])
    (post,) = sandbox("posts", "get", post_id)
    assert str(post["aweme_id"]) == post_id
    comments = sandbox("posts", "comments", post_id, "--limit", "3")
    assert len(comments) == 3
    assert len({c["cid"] for c in comments}) == 3


def test_hashtag_search_then_its_posts() -> None:
    tags = sandbox("hashtags", "search", "dance", "--limit", "2")
    assert len(tags) == 2
    cid = str(tags[0]["challenge_info"]["cid"])
    posts = sandbox("hashtags", "posts", cid, "--limit", "4")
    assert len(posts) == 4
    assert len({p["aweme_id"] for p in posts}) == 4


def test_following_listing() -> None:
    users = sandbox("follows", "following", BIG, "--limit", "7", "--count", "3")
    assert len(users) == 7
    assert len({u["uid"] for u in users}) == 7


def test_live_join_gives_the_room() -> None:
    (room,) = sandbox("live", "join", "123456")
    assert str(room["room_id"]) == "123456"


def test_stickers_get_prints_one_line_per_sticker() -> None:
    stickers = sandbox("stickers", "get", "11", "12")
    assert sorted(str(s["id"]) for s in stickers) == ["11", "12"]


def test_write_commands_work_logged_in() -> None:
    (listed,) = sandbox("posts", "list", BIG, "--limit", "1")
    post_id = str(listed["aweme_id"])
    (liked,) = sandbox("posts", "like", post_id)
    assert liked["is_digg"] == 0  # inverted on the wire: 0 means liked
    (comment,) = sandbox("posts", "comment", post_id, "héllo wörld")
    assert comment["text"] == "héllo wörld"
    (room,) = sandbox("live", "start", "cli test stream")
    assert room["room_id"] and room["stream_id"]


def test_output_keeps_non_ascii_text_as_is() -> None:
    (listed,) = sandbox("posts", "list", BIG, "--limit", "1")
    run = run_cli("--sandbox", "posts", "comment", str(listed["aweme_id"]), "日本語")
    assert run.returncode == 0, run.stderr
    assert "日本語" in run.stdout


def test_sandbox_refuses_a_session_file() -> None:
    run = run_cli("--sandbox", "--session", "x.json", "users", "get", BIG)
    assert run.returncode == 2
    assert "--session" in run.error_line()
