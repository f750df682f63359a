"""`--sender <channel>:<address>` gives the id the channel gives her, or a clear refusal."""

from __future__ import annotations

import pytest

from bot.gateway.identity import pseudonymous_id
from bot.services.privacy.senders import SenderError, check_sender_id, sender_id_for

KEY = "k" * 40


@pytest.mark.parametrize("spec, channel, address", [
    ("sms:+447700900123", "sms", "+447700900123"),
    ("sms:+44 7700 900123", "sms", "+447700900123"),
    # Twilio's From of a WhatsApp message is `whatsapp:+44...`, and the channel hashes it as it comes
    ("whatsapp:+447700900123", "whatsapp", "whatsapp:+447700900123"),
    ("telegram:123456789", "telegram", "123456789"),
    ("webchat:9f8e7d6c5b4a", "webchat", "9f8e7d6c5b4a"),
    ("SMS:+447700900123", "sms", "+447700900123"),
])
def test_the_id_is_the_channels(spec: str, channel: str, address: str) -> None:
    assert sender_id_for(spec, KEY) == pseudonymous_id(channel, address, KEY)


@pytest.mark.parametrize("spec, problem", [
    ("+447700900123", "<channel>:<address>"),
    ("email:someone@example.org", "<channel>:<address>"),
    ("sms:07700 900123", "international form"),
    ("telegram:@someone", "numeric chat id"),
    ("webchat:", "<channel>:<address>"),
])
def test_malformed_senders_are_explained(spec: str, problem: str) -> None:
    with pytest.raises(SenderError, match=problem):
        sender_id_for(spec, KEY)


def test_sender_ids() -> None:
    assert check_sender_id(" sms-" + "a" * 32 + " ") == "sms-" + "a" * 32
    with pytest.raises(SenderError):
        check_sender_id("+44 7700 900123")
