"""Password hashes: scrypt, salted, self-describing, constant-time checked."""

from __future__ import annotations

from bot.console import passwords
from bot.console.passwords import hash_password, needs_rehash, verify_password


def test_hash_and_verify() -> None:
    encoded = hash_password("correct horse battery staple")
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert salt and digest and "correct" not in encoded
    assert verify_password("correct horse battery staple", encoded)


def test_wrong_password_and_salting() -> None:
    encoded = hash_password("correct horse battery staple")
    assert not verify_password("correct horse battery stapler", encoded)
    assert not verify_password("", encoded)
    assert hash_password("correct horse battery staple") != encoded, "each hash has its own salt"


def test_malformed_hashes_never_match() -> None:
    for bad in ("", "plain", "bcrypt$x$y", "scrypt$16384$8$1$!!$??", "scrypt$3$8$1$AAAA$AAAA",
                "scrypt$1099511627776$8$1$AAAA$AAAA"):
        assert not verify_password("anything at all", bad)
        assert needs_rehash(bad)


def test_needs_rehash_when_parameters_change(monkeypatch) -> None:
    encoded = hash_password("correct horse battery staple")
    assert not needs_rehash(encoded)
    monkeypatch.setattr(passwords, "N", 2**15)
    assert needs_rehash(encoded)
    assert verify_password("correct horse battery staple", encoded), "old hashes keep working until re-hashed"


def test_dummy_hash_is_a_valid_hash() -> None:
    assert not needs_rehash(passwords.dummy_hash())
