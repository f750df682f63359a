"""doula's fixes to Rasa keep Rasa's behaviour: the action server's replies are validated exactly as before, and
stored events come back as the same classes."""

from __future__ import annotations

import pytest
import rasa.shared.utils.common
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

from bot.runtime import rasa_process

VALID = {"events": [{"event": "slot", "name": "topic", "value": "vbac", "timestamp": None}],
         "responses": [{"text": "Hello", "buttons": []}]}
INVALID = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
]


@pytest.fixture
def original_and_fixed(monkeypatch):
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(rasa_process, "_applied", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # restored after the test
    rasa_process.apply()
    fixed = RemoteAction._validate_action_result
    assert fixed is not original
    action = RemoteAction.__new__(RemoteAction)  # the check uses no state of the action
    return (lambda result: original(action, result)), (lambda result: fixed(action, result))


def test_a_valid_reply_passes_both(original_and_fixed):
    original, fixed = original_and_fixed
    assert original(VALID) is True and fixed(VALID) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_reply_fails_both_with_the_same_message(original_and_fixed, result):
    original, fixed = original_and_fixed
    with pytest.raises(ValidationError) as before:
        original(result)
    with pytest.raises(ValidationError) as after:
        fixed(result)
    assert after.value.message == before.value.message
    assert "Failed to validate Action server response" in after.value.message


def test_doula_run_starts_rasa_with_the_fixes(tmp_path):
    from bot.runtime.server import rasa_command
    from bot.settings import Settings

    command = rasa_command(Settings.from_env({}), tmp_path / "endpoints.yml")
    assert command[1:4] == ["-m", "bot.runtime.rasa_process", "run"]


def test_every_event_name_resolves_to_rasas_class(original_and_fixed):
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert Event.resolve_by_type is rasa_process._resolve_by_type
    for name in names:
        expected = next(cls for cls in rasa.shared.utils.common.all_subclasses(Event) if cls.type_name == name)
        assert Event.resolve_by_type(name) is expected


def test_unknown_names_behave_as_in_rasa(original_and_fixed):
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found(original_and_fixed):
    from rasa.shared.core.events import SlotSet

    assert Event.resolve_by_type("slot") is SlotSet  # the table is built

    class LateEvent(SlotSet):
        type_name = "doula_test_late_event"

    assert Event.resolve_by_type("doula_test_late_event") is LateEvent


def test_stored_events_deserialise_with_the_fix(original_and_fixed):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered, deserialise_events

    events = deserialise_events([{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
                                 {"event": "action", "name": "action_listen"},
                                 {"event": "slot", "name": "topic", "value": "vbac"}])
    assert [type(e) for e in events] == [UserUttered, ActionExecuted, SlotSet]
