"""Actions run on trackers recorded from real conversations must send what was recorded and set the same slots.

A change of content changes the wording, not these: the number of messages, their buttons and the slots. When the
dialogue itself changes on purpose, re-record (tests/actions/record.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from tests.actions.recorded import recorded_turns

RECORDINGS = ["polish_menu", "english_topic", "language_choice", "fallback", "red_flag_in_topic", "red_flag_polish"]


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def run(executor: ActionExecutor, name: str, tracker):
    action = executor.actions[name]
    dispatcher = CollectingDispatcher()
    events = action(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_every_domain_action_is_registered(executor):
    import yaml

    from bot.paths import ROOT

    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert set(domain["actions"]) == set(executor.actions)


@pytest.mark.parametrize("recording", RECORDINGS)
def test_actions_reproduce_recorded_conversations(executor, recording):
    for turn in recorded_turns(recording):
        messages, slots = run(executor, turn.action, turn.tracker)
        assert slots == turn.slot_events, turn.action
        assert len(messages) == len(turn.bot_messages), turn.action
        for sent, recorded in zip(messages, turn.bot_messages, strict=True):
            payloads = [b["payload"] for b in sent.get("buttons") or []]
            assert payloads == [b["payload"] for b in recorded["data"].get("buttons") or []]


def test_polish_greeting_from_recording_is_in_polish(executor):
    first = recorded_turns("polish_menu")[0]
    messages, slots = run(executor, first.action, first.tracker)
    assert first.action == "action_greet"
    assert "automatyczny asystent" in messages[0]["text"]
    assert slots["language"] == "pl"


def test_a_language_chosen_from_the_menu_is_kept_when_she_writes_english(executor):
    turns = recorded_turns("language_choice")
    _, chose = run(executor, turns[1].action, turns[1].tracker)
    assert chose == {"language": "pl", "language_chosen": True, "menu": "main"}
    messages, slots = run(executor, turns[2].action, turns[2].tracker)
    assert turns[2].action == "action_explain_topic"
    assert slots["language"] == "pl" and slots["topic"] == "infant_feeding"
    assert messages[0]["text"].startswith("Karmienie dziecka")


def test_an_unanswerable_question_gets_no_topic(executor):
    turns = recorded_turns("fallback")
    messages, slots = run(executor, turns[1].action, turns[1].tracker)
    assert turns[1].action == "action_fallback" and "topic" not in slots
    assert "Talk to a person" in messages[-1]["text"]


def test_a_red_flag_in_a_topic_menu_gets_urgent_advice_then_a_person(executor):
    turns = recorded_turns("red_flag_in_topic")
    assert turns[1].action == "action_red_flag"
    messages, slots = run(executor, turns[1].action, turns[1].tracker)
    assert messages[0]["text"].startswith("URGENT (automated message):")
    assert slots == {"red_flag": "reduced_movements", "menu": "red_flag"}
    messages, slots = run(executor, turns[2].action, turns[2].tracker)
    # "1. Talk to a person": a handoff request is opened and she is told what happens next.
    assert turns[2].action == "action_select_option"
    assert "maternity team" in messages[-1]["text"]  # "I have asked" (or "already asked" when run again)
    assert slots.get("menu") is None


def test_a_polish_red_flag_is_answered_in_polish(executor):
    turn = recorded_turns("red_flag_polish")[0]
    messages, slots = run(executor, turn.action, turn.tracker)
    assert messages[0]["text"].startswith("PILNE (wiadomość automatyczna):")
    assert slots["red_flag"] == "bleeding"


def test_a_red_flag_ends_an_active_form(executor):
    from rasa_sdk import Tracker

    recorded = recorded_turns("red_flag_in_topic")[1].tracker
    in_form = Tracker(recorded.sender_id, recorded.slots, recorded.latest_message, recorded.events, False, None,
                      {"name": "feedback_form"}, recorded.latest_action_name)
    dispatcher = CollectingDispatcher()
    events = executor.actions["action_red_flag"](dispatcher, in_form, {})
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert dispatcher.messages[0]["text"].startswith("URGENT")
