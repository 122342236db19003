"""Deterministic hashing: every fact of the world is a pure function of (seed, ids, index).

Nothing is stored per user or per post; a follower list of 250,000 users is a
permutation of an index, evaluated only for the items a page shows.
"""

from __future__ import annotations

import hashlib

__all__ = ["Hasher", "Permutation", "text_key"]

MASK64 = (1 << 64) - 1


def _mix64(value: int) -> int:
    """splitmix64's finaliser: a fast bijective scramble of 64 bits."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def text_key(text: str) -> int:
    """A 64-bit key for a string (keywords), stable across runs (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


class Hasher:
    """``h(salt, *values)``: a 64-bit value fixed by the seed, a salt and integers."""

    __slots__ = ("_base",)

    def __init__(self, seed: int) -> None:
        self._base = _mix64(seed & MASK64 ^ _mix64(seed >> 64))

    def __call__(self, salt: int, *values: int) -> int:
        acc = _mix64(self._base ^ salt)
        for value in values:
            # Ids may exceed 64 bits (room ids, arbitrary input): fold the high part in.
            acc = _mix64(acc ^ (value & MASK64) ^ _mix64(value >> 64))
        return acc

    def pick(self, choices: tuple[str, ...], salt: int, *values: int) -> str:
        return choices[self(salt, *values) % len(choices)]


class Permutation:
    """``i -> (offset + i * stride) mod space``: distinct values for distinct ``i < space``.

    ``space`` is prime, so every non-zero stride is invertible and ``index_of``
    answers membership in O(1) without listing anything.
    """

    __slots__ = ("_inverse", "offset", "space", "stride")

    def __init__(self, space: int, key: int) -> None:
        self.space = space
        self.offset = key % space
        self.stride = 1 + (key >> 20) % (space - 1)
        self._inverse = pow(self.stride, -1, space)

    def __call__(self, index: int) -> int:
        return (self.offset + index * self.stride) % self.space

    def index_of(self, value: int) -> int:
        return ((value - self.offset) * self._inverse) % self.space
