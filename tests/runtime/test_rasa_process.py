"""doula's fixes to Rasa keep Rasa's behaviour: the action server's replies are validated exactly as before."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

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
