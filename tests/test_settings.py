import pytest

from bot.paths import ROOT
from bot.settings import DEVELOPMENT_SENDER_KEY, SETTINGS, Settings, SettingsError

PRODUCTION = {
    "DOULA_PROFILE": "production",
    "TRACKER_STORE_URL": "postgresql://localhost/rasa",
    "LOCK_STORE_URL": "redis://localhost:6379/0",
    "DOULA_SENDER_KEY": "k" * 32,
}


def test_defaults_are_the_embedded_profile():
    settings = Settings.from_env({})
    assert settings.profile == "embedded" and settings.rasa_port == 5005 and settings.action_port == 5055
    assert settings.tracker_store_url.startswith("sqlite") and settings.lock_store_url == ""
    assert settings.uses_development_key and settings.rasa_api_token == ""


def test_production_profile_is_accepted_when_complete():
    assert Settings.from_env(PRODUCTION).profile == "production"


@pytest.mark.parametrize("missing", ["TRACKER_STORE_URL", "LOCK_STORE_URL", "DOULA_SENDER_KEY"])
def test_production_profile_refuses_to_start_incomplete(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(SettingsError, match=missing):
        Settings.from_env(env)


def test_production_refuses_the_development_key():
    with pytest.raises(SettingsError):
        Settings.from_env({**PRODUCTION, "DOULA_SENDER_KEY": DEVELOPMENT_SENDER_KEY})


@pytest.mark.parametrize("env", [{"RASA_PORT": "abc"}, {"DOULA_PROFILE": "staging"}, {"DOULA_MAX_MESSAGE_CHARS": "5"}])
def test_malformed_settings_are_explained(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_every_setting_is_documented_in_env_example_and_readme():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert f"\n{setting.name}=" in example, setting.name
        assert f"`{setting.name}`" in readme, setting.name


def test_the_triage_number_is_checked_and_kept():
    assert Settings.from_env({"DOULA_TRIAGE_PHONE": "01632 960 000"}).triage_phone == "01632 960 000"
    assert Settings.from_env({}).triage_phone == ""
    with pytest.raises(SettingsError):
        Settings.from_env({"DOULA_TRIAGE_PHONE": "call the ward"})


@pytest.mark.parametrize("env", [
    {"DOULA_HANDOFF_HOURS": "weekdays"},
    {"DOULA_TIMEZONE": "Mars/Olympus"},
    {"DOULA_HANDOFF_SLA_MINUTES": "0"},
    {"DOULA_NOTIFY_EMAIL": "ward@example.org"},  # no SMTP_URL
    {"DOULA_NOTIFY_WEBHOOK": "https://example.org/hook", "DOULA_WEBHOOK_SECRET": "short"},
    {"DOULA_ESCALATE_TELEGRAM_CHAT": "-100123"},  # no TELEGRAM_TOKEN
])
def test_handoff_settings_are_checked(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_handoff_defaults():
    settings = Settings.from_env({})
    assert settings.handoff_hours == "Mon-Fri 09:00-17:00" and settings.handoff_sla_minutes == 30
    assert settings.console_url == "http://localhost:5010" and settings.notify_email == ()
    assert Settings.from_env({"DOULA_NOTIFY_EMAIL": "a@x.org, b@x.org", "SMTP_URL": "smtp://localhost"}).notify_email \
        == ("a@x.org", "b@x.org")
