"""The real twilio client, through TwilioSender, against a loopback fake of the Messages API."""

from __future__ import annotations

import pytest

from bot.channels.twilio.sender import TwilioSender
from tests.fakes.twilio_api import start_fake_twilio

SID = "AC" + "0" * 32


@pytest.fixture()
def fake():
    fake = start_fake_twilio()
    yield fake
    fake.stop()


def sender(fake, **kwargs) -> TwilioSender:
    return TwilioSender(SID, "token", api_url=fake.url, backoff=0.01, **kwargs)


async def test_messages_are_sent_in_order(fake):
    results = await sender(fake).send_all("+447700900000", "+447700900123", ["one", "two"])
    assert [r.ok for r in results] == [True, True] and all(r.sid.startswith("SM") for r in results)
    assert fake.to("+447700900123") == ["one", "two"]


async def test_429_and_500_are_retried_then_sent_once(fake):
    fake.script = [429, 500]
    results = await sender(fake).send_all("+447700900000", "+447700900123", ["hello"])
    assert results[0].ok and results[0].attempts == 3
    assert fake.to("+447700900123") == ["hello"] and fake.requests == 3


async def test_persistent_failure_stops_the_batch(fake):
    fake.script = [503, 503, 503]
    results = await sender(fake).send_all("+447700900000", "+447700900123", ["first", "second"])
    assert len(results) == 1 and not results[0].ok and "503" in results[0].error
    assert fake.to("+447700900123") == []


async def test_a_timeout_is_not_retried_so_nothing_is_sent_twice(fake):
    fake.script = ["hang"]
    fake.hang_seconds = 1.5
    results = await sender(fake, timeout=0.5).send_all("+447700900000", "+447700900123", ["urgent"])
    assert not results[0].ok and results[0].attempts == 1 and "not retried" in results[0].error
    assert fake.requests == 1


async def test_status_callback_is_asked_for(fake):
    await TwilioSender(SID, "token", api_url=fake.url, status_callback="https://x.example/webhooks/twilio/status"
                       ).send_all("+447700900000", "+447700900123", ["hi"])
    assert fake.sent[0]["StatusCallback"] == "https://x.example/webhooks/twilio/status"
