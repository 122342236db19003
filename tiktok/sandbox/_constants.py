"""The sandbox's well-known ids and its one account."""

from __future__ import annotations

__all__ = [
    "ACCOUNT_USER_ID",
    "BIG_USER_ID",
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
