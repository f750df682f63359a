"""Key rotation: data written with key A, rotated to "B,A", is readable with B alone."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.services.privacy.key_rotation import RotationError, rotate_key
from bot.storage.contacts import ContactBook, fernet
from bot.storage.database import audit_log, engine_for
from tests.services.privacy.conftest import NOW, desk, remember, with_key

KEY_A = Fernet.generate_key().decode()
KEY_B = "a long passphrase used as the new contact key"  # any secret works: it is hashed to a Fernet key


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    old = fernet(KEY_A).encrypt(b"+447700900123")
    both = fernet(f"{KEY_B},{KEY_A}")
    assert both.decrypt(old) == b"+447700900123"
    with pytest.raises(InvalidToken):
        fernet(KEY_A).decrypt(both.encrypt(b"x"))
    assert fernet(KEY_B).decrypt(both.encrypt(b"x")) == b"x"


def test_any_secret_is_still_hashed_to_a_key() -> None:
    """Tokens written before rotation existed (one secret, SHA-256 to a Fernet key) are read as before."""
    secret = "an old deployment's contact secret"
    legacy = Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())).encrypt(b"123456")
    assert fernet(secret).decrypt(legacy) == b"123456"
    assert fernet(f" {secret} , {KEY_A}").decrypt(legacy) == b"123456"  # spaces around commas are ignored
    with pytest.raises(ValueError):
        fernet(" , ")


def test_rotate_then_read_with_the_new_key_only(settings) -> None:
    old = with_key(settings, KEY_A)
    remember(old, "sms-" + "a" * 32, "+447700900123", NOW)
    remember(old, "telegram-" + "b" * 32, "123456789", NOW, channel="telegram")
    handoff = desk(old, lambda: NOW)
    request, _ = handoff.open("sms-" + "a" * 32, "sms", "pl", "asked_for_person")
    handoff.record_from_her(request.id, "Dzień dobry, potrzebuję pomocy")
    handoff.claim(request.id, 3)
    handoff.reply(request.id, 3, "Dzień dobry, tu położna", original="Hello, this is the midwife",
                  translation="machine")

    rotation = rotate_key(with_key(settings, f"{KEY_B},{KEY_A}"), actor="cli", now=NOW + timedelta(minutes=1))

    new = with_key(settings, KEY_B)
    assert rotation.contacts == 2 and rotation.handoff_messages == len(desk(new, lambda: NOW).messages(request.id))
    book = ContactBook(engine_for(settings.database_url), new.contact_key)
    assert book.address("sms-" + "a" * 32) == "+447700900123"
    assert book.address("telegram-" + "b" * 32) == "123456789"
    texts = [(m.text, m.original) for m in desk(new, lambda: NOW).messages(request.id)]
    assert ("Dzień dobry, potrzebuję pomocy", None) in texts
    assert any("Dzień dobry, tu położna" in text and original == "Hello, this is the midwife"
               for text, original in texts)  # the body carries the machine-translation label
    with pytest.raises(InvalidToken):
        ContactBook(engine_for(settings.database_url), KEY_A).address("sms-" + "a" * 32)
    with engine_for(settings.database_url).connect() as connection:
        detail = connection.execute(select(audit_log.c.detail).where(audit_log.c.action == "privacy_rotate_key"))
        assert detail.scalar_one() == f"cli: contacts=2 handoff_messages={rotation.handoff_messages}"


def test_rotation_without_the_old_key_is_refused_and_changes_nothing(settings) -> None:
    remember(with_key(settings, KEY_A), "sms-" + "a" * 32, "+447700900123", NOW)
    with pytest.raises(RotationError, match="new,old"):
        rotate_key(with_key(settings, KEY_B))
    assert ContactBook(engine_for(settings.database_url), KEY_A).address("sms-" + "a" * 32) == "+447700900123"


def test_rotation_in_batches(settings, monkeypatch) -> None:
    monkeypatch.setattr("bot.services.privacy.key_rotation.BATCH", 2)
    old = with_key(settings, KEY_A)
    for n in range(5):
        remember(old, f"sms-{n:0>32}", f"+4477009001{n:02d}", NOW)
    assert rotate_key(with_key(settings, f"{KEY_B},{KEY_A}")).contacts == 5
    book = ContactBook(engine_for(settings.database_url), KEY_B)
    assert [book.address(f"sms-{n:0>32}") for n in range(5)] == [f"+4477009001{n:02d}" for n in range(5)]
