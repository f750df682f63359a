"""The degraded reply: what she is told when the bot cannot answer, in her language, urgent advice first."""

from __future__ import annotations

import asyncio
import socket

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.content.catalog import load_catalog
from bot.gateway.degraded import GATEWAY_FAILED, Context, DegradedReply, load_fault_texts, prepare
from bot.policies.handoff import HANDOFF_METADATA
from bot.safety.catalog import load_safety
from bot.settings import Settings

TRIAGE = "01632 960000"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on return: nothing listens there


@pytest.fixture(scope="module")
def degraded() -> DegradedReply:
    return DegradedReply(Settings.from_env({
        "DOULA_TRIAGE_PHONE": TRIAGE, "ACTION_SERVER_URL": f"http://127.0.0.1:{closed_port()}/webhook"}))


def test_every_curated_language_has_the_texts():
    texts = load_fault_texts()
    assert set(texts) == set(load_catalog().languages)
    for language, catalog in texts.items():
        assert catalog.messages["unavailable"] and "{number}" in catalog.messages["triage_number"], language


@pytest.mark.parametrize("language", sorted(load_catalog().languages))
def test_the_reply_is_in_her_language_with_where_to_call(degraded, language):
    [text] = degraded.render(Context(language=language, language_chosen=True))
    assert text.startswith(load_fault_texts()[language].messages["unavailable"])
    assert load_catalog().ui[language].messages["urgent_line"] in text and TRIAGE in text


def test_her_chosen_language_wins_over_the_detected_one(degraded):
    [text] = degraded.render(Context(language="ro", language_chosen=True, detected_language="pl"))
    assert text.startswith(load_fault_texts()["ro"].messages["unavailable"])


def test_a_red_flag_gets_the_urgent_advice_first_without_the_person_menu(degraded):
    texts = degraded.render(Context(detected_language="pl", red_flags=("bleeding",)))
    advice = load_safety().advice["pl"].messages
    assert texts[0].startswith(advice["heading"]) and TRIAGE in texts[0]
    assert texts[-1].startswith(load_fault_texts()["pl"].messages["unavailable"])
    assert not any(advice["offer_person"] in t for t in texts)


def test_the_lexicons_find_the_red_flag_and_language_without_rasa(degraded):
    context = asyncio.run(degraded.context("Mocno krwawię od rana", "s"))
    assert context.red_flags == ("bleeding",) and context.detected_language == "pl"


def message(text: str, metadata: dict | None = None) -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), "sender", metadata=metadata)


def run(degraded: DegradedReply, handler, msg: UserMessage):
    return asyncio.run(degraded.converse(handler, msg))


def test_rasa_s_reply_goes_through_untouched(degraded):
    async def answer(msg: UserMessage) -> None:
        await msg.output_channel.send_text_message(msg.sender_id, "Hello!")

    outcome = run(degraded, answer, message("hi"))
    assert [m["text"] for m in outcome.messages] == ["Hello!"] and not outcome.degraded


def test_silence_outside_a_handoff_becomes_the_degraded_reply(degraded):
    async def silent(msg: UserMessage) -> None:
        return None

    outcome = run(degraded, silent, message("I have a bad headache and blurred vision"))
    assert outcome.degraded and not outcome.failed
    assert outcome.messages[0]["text"].startswith(load_safety().advice["en"].messages["heading"])


def test_silence_in_a_handoff_is_degraded_only_when_the_action_server_is_down(degraded):
    async def silent(msg: UserMessage) -> None:
        return None

    # The action server of `degraded` is unreachable: her message was not relayed, so she is told.
    outcome = run(degraded, silent, message("hello?", {HANDOFF_METADATA: 3}))
    assert outcome.degraded and outcome.messages


def test_rasa_failing_is_a_failed_degraded_reply(degraded):
    async def broken(msg: UserMessage) -> None:
        raise ConnectionError("lock store down")

    outcome = run(degraded, broken, message("hello"))
    assert outcome.failed and outcome.degraded
    assert outcome.messages[0]["text"].startswith(load_fault_texts()["en"].messages["unavailable"])


def test_a_gateway_failure_never_reaches_rasa(degraded):
    class BrokenGateway:
        async def prepare(self, sender_id: str, text: str, metadata: dict) -> tuple[str, dict]:
            raise OSError("database down")

    text, metadata = asyncio.run(prepare(BrokenGateway(), "s", "hello", {}))  # type: ignore[arg-type]
    assert metadata == {GATEWAY_FAILED: True}

    async def must_not_run(msg: UserMessage) -> None:
        raise AssertionError("Rasa was called")

    outcome = run(degraded, must_not_run, message(text, metadata))
    assert outcome.failed and outcome.degraded and outcome.messages
