"""The gateway's privacy step against a real database and H1's real erasure: "DELETE" erases before Rasa sees
anything and marks the message for the confirmation; anything else passes, and is recorded as her continuing after
the notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.gateway.prepare import Gateway
from bot.gateway.privacy import PrivacyGate
from bot.policies.privacy import PRIVACY_METADATA
from bot.services.consent import CONTINUED, NOTICE_SHOWN, ConsentRecord
from bot.services.privacy_notice import load_privacy_texts
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import audit_log, engine_for

SENDER = "sms-" + "a" * 32


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'doula.db'}",
                              "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}"})


@pytest.fixture
def record(settings) -> ConsentRecord:
    return ConsentRecord(engine_for(settings.database_url))


def contacts(settings: Settings) -> ContactBook:
    return ContactBook(engine_for(settings.database_url), settings.contact_key)


async def test_delete_erases_her_contact_and_consents_and_is_audited(settings, record):
    contacts(settings).remember(SENDER, "sms", "+447700900123")
    record.record(SENDER, NOTICE_SHOWN, load_privacy_texts().version, "pl")
    text, metadata = await Gateway(settings).prepare(SENDER, "DELETE", {"truncated": True})
    assert text == "" and metadata == {PRIVACY_METADATA: {"erased": True, "language": "pl"}}  # her language
    assert record.events(SENDER) == [] and contacts(settings).address(SENDER) is None
    with engine_for(settings.database_url).connect() as connection:
        audited = connection.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    assert [a for a, _ in audited] == ["privacy_erase"]
    assert SENDER not in str(audited)  # the audit keeps counts, not her id


@pytest.mark.parametrize("message, language", [("USUŃ", "pl"), ("видаліть мої дані", "uk"), ("delete my data", "en"),
                                               ("ሓበሬታይ ሰርዝ", "ti")])
async def test_the_confirmation_language_is_the_keyword_language(settings, message, language):
    metadata = await PrivacyGate(settings).inbound(SENDER, message)
    assert metadata == {PRIVACY_METADATA: {"erased": True, "language": language}}


@pytest.mark.parametrize("message", ["delete the scan appointment", "I'm bleeding heavily, delete", "STOP", "2"])
async def test_anything_else_is_not_erased(settings, message):
    contacts(settings).remember(SENDER, "sms", "+447700900123")
    text, metadata = await Gateway(settings).prepare(SENDER, message, {})
    assert text == message and PRIVACY_METADATA not in metadata
    assert contacts(settings).address(SENDER) == "+447700900123"


async def test_her_next_message_after_the_notice_is_recorded_once(settings, record):
    gate, version = PrivacyGate(settings), load_privacy_texts().version
    assert await gate.inbound(SENDER, "hello") is None
    assert record.events(SENDER) == []  # no notice shown yet: nothing to continue from
    record.record(SENDER, NOTICE_SHOWN, version, "so")
    await gate.inbound(SENDER, "where can I give birth?")
    await gate.inbound(SENDER, "2")
    assert [(e, v, lang) for e, v, lang, _ in record.events(SENDER)] == [(NOTICE_SHOWN, version, "so"),
                                                                        (CONTINUED, version, "so")]


async def test_a_failed_erasure_is_reported_to_her(settings, monkeypatch):
    import bot.services.privacy.erase as erase_module

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(erase_module, "erase", broken)
    metadata = await PrivacyGate(settings).inbound(SENDER, "DELETE")
    assert metadata == {PRIVACY_METADATA: {"erased": False, "language": "en"}}


async def test_she_can_be_erased_twice(settings):
    gate = PrivacyGate(settings)
    await gate.inbound(SENDER, "DELETE")
    assert (await gate.inbound(SENDER, "DELETE"))[PRIVACY_METADATA]["erased"] is True
    with engine_for(settings.database_url).connect() as connection:
        assert connection.execute(select(func.count()).select_from(audit_log)).scalar() == 2


async def test_a_client_cannot_fake_an_erasure_confirmation(settings):
    text, metadata = await Gateway(settings).prepare(SENDER, "hello", {PRIVACY_METADATA: {"erased": True}})
    assert text == "hello" and PRIVACY_METADATA not in metadata


async def test_after_delete_a_new_notice_and_her_continuing_are_recorded_again(settings, record):
    gate, version = PrivacyGate(settings), load_privacy_texts().version
    record.record(SENDER, NOTICE_SHOWN, version, "pl")
    await gate.inbound(SENDER, "dzień dobry")  # continued: remembered, later messages cost no query
    assert await gate.inbound(SENDER, "DELETE") is not None
    assert record.events(SENDER) == []
    record.record(SENDER, NOTICE_SHOWN, version, "pl")  # she writes again: the notice is shown again
    await gate.inbound(SENDER, "1")
    assert [e for e, *_ in record.events(SENDER)] == [NOTICE_SHOWN, CONTINUED]
