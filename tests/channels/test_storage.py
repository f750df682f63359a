"""doula's own records: handled message ids (across processes), encrypted contacts, opt-outs."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import create_engine, text

from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for
from bot.storage.handled import first_time


def test_a_message_id_is_handled_once_even_by_a_second_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'doula.db'}"
    one = engine_for(url)
    other = create_engine(url)  # another process's engine on the same database
    assert first_time(one, "twilio", "SM1") is True
    assert first_time(other, "twilio", "SM1") is False
    assert first_time(other, "twilio", "SM2") is True


def test_phone_numbers_are_stored_encrypted_and_opt_out_is_kept(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'doula.db'}")
    book = ContactBook(engine, "a-contact-key")
    book.remember("sms-abc", "sms", "+447700900123")
    with engine.connect() as connection:
        raw = connection.execute(text("select address from contacts")).scalar_one()
    assert b"447700900123" not in raw
    assert book.address("sms-abc") == "+447700900123"
    with pytest.raises(InvalidToken):  # without the key, the database alone does not give the number
        ContactBook(engine, "another-key").address("sms-abc")
    assert not book.opted_out("sms-abc")
    book.set_opted_out("sms-abc", True)
    assert book.opted_out("sms-abc")
