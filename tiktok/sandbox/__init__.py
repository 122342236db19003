"""A local server that speaks the app API's wire protocol, for tests, demos and your scripts.

::

    from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

    with Sandbox(seed=0) as sb:
        client = sb.client()
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        print(client.users.get(BIG_USER_ID).follower_count)

The world is generated lazily and deterministically from the seed: any numeric
id resolves to a user, post, hashtag, sticker or room. The account's writes
(follows, likes, comments, follow requests, live rooms) are real for the
sandbox's lifetime. Requests must be signed with the sandbox's ``signing_key``:
in the query with :class:`SandboxSigner` (``signing="url"``, the default) or in
headers with :class:`SandboxRequestSigner` (``signing="headers"``); others get
``200`` with an empty body, like the real API. ``fault_rate`` injects HTTP errors, drops, cut and empty bodies and slow
answers, for reliability tests. Standard library only.
"""

from ._constants import (
    BIG_USER_ID,
    CAPTIONED_POST_ID,
    DELETED_POST_ID,
    MISSING_POST_ID,
    MISSING_USER_ID,
    PHOTO_POST_ID,
    PRIVATE_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
)
from ._faults import Fault
from ._live import SandboxRoom
from ._server import Sandbox, sandbox_device, serve
from ._signing import SandboxRequestSigner, SandboxSigner

__all__ = [
    "BIG_USER_ID",
    "CAPTIONED_POST_ID",
    "DELETED_POST_ID",
    "MISSING_POST_ID",
    "MISSING_USER_ID",
    "PHOTO_POST_ID",
    "PRIVATE_USER_ID",
    "SANDBOX_EMAIL",
    "SANDBOX_PASSWORD",
    "SANDBOX_USERNAME",
    "Fault",
    "Sandbox",
    "SandboxRequestSigner",
    "SandboxRoom",
    "SandboxSigner",
    "sandbox_device",
    "serve",
]
