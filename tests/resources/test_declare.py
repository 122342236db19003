"""The declarations beside the resource methods: what they say, and the names they bind."""

from __future__ import annotations

import inspect
import warnings

import pytest

import tiktok
from tiktok.pagination import Style
from tiktok.resources import RESOURCES, Music, Resource
from tiktok.resources._base import Listing
from tiktok.resources._declare import Paging, Shape, calls, declare, identifier

from ..reliability._scripted import DEVICE, append_signature


def test_a_declared_method_is_returned_unchanged_and_listed_on_its_class() -> None:
    endpoint = Music.calls[0].endpoint

    def method(self: Resource, music_id: str) -> str:
        return music_id

    assert declare(endpoint, "help", identifier("music", "music_id", "x"))(method) is method

    class Songs(Resource):
        namespace = "songs"
        declared = declare(endpoint, "one song", identifier("music", "music_id", "the song"))(
            method
        )

        def undeclared(self) -> None: ...

    (call,) = Songs.calls
    assert (call.resource, call.name, call.function, call.qualname) == (
        Songs,
        "declared",
        method,
        "songs.declared",
    )
    assert call.params[0].shape is Shape.ID and call.params[0].of == "music"
    assert call.command == "declared" and call.paging is Paging.ONE


def test_music_declares_its_calls() -> None:
    get, posts = Music.calls
    assert (get.qualname, get.paging, get.model, get.field) == (
        "music.get",
        Paging.ONE,
        tiktok.models.MusicResponse,
        "music_info",
    )
    assert (posts.qualname, posts.paging, posts.field) == (
        "music.posts",
        Paging.LISTING,
        "aweme_list",
    )
    assert posts.endpoint.path == "aweme/v1/music/aweme/"
    assert [p.name for p in posts.params] == ["music_id"]


def test_a_feed_pages_as_a_feed() -> None:
    endpoint = Music.calls[1].endpoint

    class Endless(Resource):
        @declare(Listing(endpoint, Style.FEED, "aweme_list"), "endless")
        def walk(self) -> None: ...

    assert Endless.calls[0].paging is Paging.FEED


def test_every_declared_parameter_is_a_parameter_of_its_method_in_order() -> None:
    for call in calls():
        taken = list(inspect.signature(call.function).parameters)[1:]
        declared = [p.name for p in call.params]
        assert taken[: len(declared)] == declared, call.qualname


def test_an_id_kind_is_one_the_declarations_know() -> None:
    with pytest.raises(ValueError, match="no id kind 'song'"):
        identifier("song", "song_id", "a song")


def test_every_resource_class_names_its_client_attribute() -> None:
    client = tiktok.Client(DEVICE, append_signature, base_url="https://api.invalid/")
    for resource in RESOURCES:
        assert resource.namespace and resource.summary
        assert client.resource(resource) is getattr(client, resource.namespace)
    assert client.resource(Music) is client.music
    with pytest.raises(ValueError, match="no namespace"):
        client.resource(Resource)


def test_the_old_name_of_the_music_namespace_warns() -> None:
    with pytest.warns(DeprecationWarning, match="tiktok.resources.Music"):
        from tiktok.resources import Sounds
    assert Sounds is Music
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from tiktok.resources import Music as music  # noqa: F401


# Old names kept for one release, and methods built on declared calls: not calls of their own.
DEPRECATED = {"posts.iter"}
NOT_CALLS = {"live.status", "live.streams", "live.record"}


def test_every_public_method_of_a_namespace_is_a_declared_call() -> None:
    for resource in RESOURCES:
        public = {
            f"{resource.namespace}.{name}"
            for name, value in vars(resource).items()
            if not name.startswith("_") and inspect.isfunction(value)
        }
        assert public - DEPRECATED - NOT_CALLS == {call.qualname for call in resource.calls}


def test_posts_iter_is_a_deprecated_users_posts() -> None:
    client = tiktok.Client(DEVICE, append_signature, base_url="https://api.invalid/")
    with pytest.warns(DeprecationWarning, match=r"client\.users\.posts"):
        client.posts.iter("42")
