from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tiktok.sandbox._hashing import Hasher, Permutation, text_key


def test_a_permutation_of_a_small_prime_space_is_a_bijection() -> None:
    permutation = Permutation(101, key=123456789)
    assert sorted(permutation(i) for i in range(101)) == list(range(101))


@given(key=st.integers(min_value=0, max_value=2**64 - 1), index=st.integers(0, 999_999_936))
def test_index_of_inverts_the_permutation(key: int, index: int) -> None:
    permutation = Permutation(999_999_937, key)
    assert permutation.index_of(permutation(index)) == index


def test_hashes_are_fixed_by_seed_salt_and_values() -> None:
    assert Hasher(0)(1, 2, 3) == Hasher(0)(1, 2, 3)
    assert Hasher(0)(1, 2, 3) != Hasher(1)(1, 2, 3)
    assert Hasher(0)(1, 2, 3) != Hasher(0)(2, 2, 3)
    assert Hasher(0)(1, 2, 3) != Hasher(0)(1, 3, 2)


def test_values_above_64_bits_are_not_truncated() -> None:
    assert Hasher(0)(1, 5) != Hasher(0)(1, 5 + 2**64)


def test_text_keys_are_stable_across_processes() -> None:
    # blake2b, not the per-process salted hash(): a keyword gives the same results every run.
    assert text_key("dance") == int.from_bytes(
        __import__("hashlib").blake2b(b"dance", digest_size=8).digest(), "big"
    )
