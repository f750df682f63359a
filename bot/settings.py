"""Settings, read once from environment variables (optionally a `.env` file) with documented defaults.

Every variable is listed in `.env.example` and in the README's configuration table; `tests/test_settings.py` keeps
the three in step. The defaults are the *embedded* profile: SQLite, in-memory lock store, no credentials, so
`make run` works on a fresh machine. The *production* profile requires PostgreSQL (tracker store) and Redis (locks).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import ROOT

logger = logging.getLogger(__name__)

PROFILES = ("embedded", "production")

# Used only when DOULA_SENDER_KEY is unset in the embedded profile; production refuses to start without a real key.
DEVELOPMENT_SENDER_KEY = "doula-development-key-not-for-production"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Setting:
    """Documentation of one environment variable (what the README table and `.env.example` are made from)."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DOULA_PROFILE", "embedded", "`embedded` (SQLite, in-memory locks) or `production` (PostgreSQL, Redis)."),
    Setting("DOULA_HOST", "127.0.0.1", "Interface the Rasa server listens on (use 0.0.0.0 behind a proxy)."),
    Setting("RASA_PORT", "5005", "Port of the Rasa server (channels, web chat, HTTP API)."),
    Setting("ACTION_SERVER_PORT", "5055", "Port of the action server (it listens on 127.0.0.1 only)."),
    Setting("ACTION_SERVER_URL", "", "Action server webhook URL; default `http://127.0.0.1:<ACTION_SERVER_PORT>/webhook`."),
    Setting("RASA_API_TOKEN", "", "When set, the Rasa HTTP API is enabled with this token (`?token=`)."),
    Setting("TRACKER_STORE_URL", "", "SQLAlchemy URL of the conversation store; default SQLite in `var/`."),
    Setting("LOCK_STORE_URL", "", "`redis://host:port/db` for the Redis lock store; empty means in-memory."),
    Setting("DOULA_SENDER_KEY", "", "Secret key for pseudonymous sender ids (keyed hash). Required in production."),
    Setting("DOULA_MODEL", "models/doula.tar.gz", "Path of the trained model."),
    Setting("DOULA_TRIAGE_PHONE", "", "The trust's 24-hour maternity triage number, given in urgent advice. "
            "Unset: advice says 'your maternity unit's triage line (the number is in your pregnancy notes)' "
            "and a warning is logged."),
    Setting("DOULA_MAX_MESSAGE_CHARS", "1000", "Longer messages are cut to this many characters (she is told)."),
    Setting("LOG_LEVEL", "INFO", "Log level of doula's own loggers."),
)


def _environ_with_dotenv(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    if environ is not None:
        return environ
    env_file = ROOT / ".env"
    if env_file.exists():
        from dotenv import dotenv_values

        merged = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        merged.update(os.environ)  # real environment wins over the file
        return merged
    return os.environ


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of one deployment. Build it with :meth:`Settings.from_env`."""

    profile: str = "embedded"
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    action_server_url: str = ""
    rasa_api_token: str = ""
    tracker_store_url: str = ""
    lock_store_url: str = ""
    sender_key: str = DEVELOPMENT_SENDER_KEY
    model_path: Path = field(default_factory=lambda: ROOT / "models" / "doula.tar.gz")
    max_message_chars: int = 1000
    log_level: str = "INFO"
    triage_phone: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from `environ` (default: the process environment plus `.env` if present)."""
        env = _environ_with_dotenv(environ)

        def get(name: str) -> str:
            default = next(s.default for s in SETTINGS if s.name == name)
            return (env.get(name) or default).strip()

        def get_int(name: str) -> int:
            raw = get(name)
            try:
                return int(raw)
            except ValueError as exc:
                raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc

        profile = get("DOULA_PROFILE")
        if profile not in PROFILES:
            raise SettingsError(f"DOULA_PROFILE must be one of {', '.join(PROFILES)}, got {profile!r}")
        action_port = get_int("ACTION_SERVER_PORT")
        model = Path(get("DOULA_MODEL"))
        settings = cls(
            profile=profile,
            host=get("DOULA_HOST"),
            rasa_port=get_int("RASA_PORT"),
            action_port=action_port,
            action_server_url=get("ACTION_SERVER_URL") or f"http://127.0.0.1:{action_port}/webhook",
            rasa_api_token=get("RASA_API_TOKEN"),
            tracker_store_url=get("TRACKER_STORE_URL") or "sqlite:///var/tracker.db",
            lock_store_url=get("LOCK_STORE_URL"),
            sender_key=get("DOULA_SENDER_KEY") or DEVELOPMENT_SENDER_KEY,
            model_path=model if model.is_absolute() else ROOT / model,
            max_message_chars=get_int("DOULA_MAX_MESSAGE_CHARS"),
            log_level=get("LOG_LEVEL").upper(),
            triage_phone=get("DOULA_TRIAGE_PHONE"),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse combinations that would be unsafe or would lose data when several processes run."""
        if self.profile == "production":
            if not self.tracker_store_url.startswith("postgresql"):
                raise SettingsError("production profile needs TRACKER_STORE_URL=postgresql://...")
            if not self.lock_store_url.startswith("redis"):
                raise SettingsError("production profile needs LOCK_STORE_URL=redis://...")
            if self.sender_key == DEVELOPMENT_SENDER_KEY or len(self.sender_key) < 32:
                raise SettingsError("production profile needs DOULA_SENDER_KEY: a random secret of 32+ characters")
        if self.triage_phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{5,24}", self.triage_phone):
            raise SettingsError(
                f"DOULA_TRIAGE_PHONE must be a phone number (digits, spaces, +, -), got {self.triage_phone!r}"
            )
        if self.max_message_chars < 50:
            raise SettingsError("DOULA_MAX_MESSAGE_CHARS must be at least 50")

    @property
    def uses_development_key(self) -> bool:
        return self.sender_key == DEVELOPMENT_SENDER_KEY
