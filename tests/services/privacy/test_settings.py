"""The privacy settings (bot/settings.py): retention periods and the contact keys are checked at start."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.retain_conversation_days, settings.retain_handoff_days, settings.retain_log_days,
            settings.retain_audit_days) == (90, 365, 30, 2190)


def test_periods_are_read() -> None:
    settings = Settings.from_env({"DOULA_RETAIN_CONVERSATION_DAYS": "30", "DOULA_RETAIN_HANDOFF_DAYS": "730",
                                  "DOULA_RETAIN_LOG_DAYS": "7", "DOULA_RETAIN_AUDIT_DAYS": "3650"})
    assert (settings.retain_conversation_days, settings.retain_handoff_days, settings.retain_log_days,
            settings.retain_audit_days) == (30, 730, 7, 3650)


@pytest.mark.parametrize("env, problem", [
    ({"DOULA_RETAIN_CONVERSATION_DAYS": "0"}, "between 1 and 36500"),
    ({"DOULA_RETAIN_LOG_DAYS": "-5"}, "between 1 and 36500"),
    ({"DOULA_RETAIN_HANDOFF_DAYS": "ninety"}, "whole number"),
    ({"DOULA_RETAIN_HANDOFF_DAYS": "800", "DOULA_RETAIN_AUDIT_DAYS": "700"}, "at least DOULA_RETAIN_HANDOFF_DAYS"),
    ({"DOULA_CONTACT_KEY": "new-key,,old-key"}, "empty key between commas"),
])
def test_bad_values_are_explained(env: dict, problem: str) -> None:
    with pytest.raises(SettingsError, match=problem):
        Settings.from_env(env)


def test_several_contact_keys_are_accepted() -> None:
    assert Settings.from_env({"DOULA_CONTACT_KEY": "new-key, old-key"}).contact_key == "new-key, old-key"
