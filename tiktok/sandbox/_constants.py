"""The sandbox's well-known ids and its one account."""

from __future__ import annotations

__all__ = [
    "ACCOUNT_USER_ID",
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
]

SANDBOX_EMAIL = "sandbox@example.com"
SANDBOX_USERNAME = "sandbox"
SANDBOX_PASSWORD = "sandbox-pass-123"

#: The account you log in as.
ACCOUNT_USER_ID = "6800000000000000001"
#: A user with 250,000 followers, 250,000 followings and 10,000 posts.
BIG_USER_ID = "6800000000000000002"

# The failures real users meet (docs/sandbox.rst (Failures)).
#: A private account: its profile shows, its posts, followers and followings are refused
#: until the account you log in as follows it.
PRIVATE_USER_ID = "6800000000000000003"
#: A user id that does not exist: every call about it answers "user doesn't exist".
MISSING_USER_ID = "6800000000000000004"
#: A post id that does not exist: its detail answers without ``aweme_detail``.
MISSING_POST_ID = "6900000000000000404"
#: A deleted post: its detail says ``status.is_delete`` and has no video to download.
DELETED_POST_ID = "6900000000000000410"

# Today's posts (docs/sandbox.rst (Photo posts and captions)).
#: A photo post of the big user (its 8th newest) with 30 images and a sound; every
#: tenth post from the 8th on is a photo post, with 1 to 12 images.
PHOTO_POST_ID = "6900000000000200007"
#: A video of the big user (its 2nd newest) with captions from both sources; every fifth
#: video from the 2nd on has them.
CAPTIONED_POST_ID = "6900000000000200001"
