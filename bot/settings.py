"""Settings, read once from environment variables (optionally a `.env` file) with documented defaults.

Every variable is listed in `.env.example` and in the README's configuration table; `tests/test_settings.py` keeps
the three in step. The defaults are the *embedded* profile: SQLite, in-memory lock store, no credentials, so
`make run` works on a fresh machine. The *production* profile requires PostgreSQL (tracker store) and Redis (locks).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import ROOT

logger = logging.getLogger(__name__)

PROFILES = ("embedded", "production")
# DOULA_TRANSLATOR: off, or one of bot.services.translation's providers (deep-translator backends)
TRANSLATORS = ("", "google", "libre", "mymemory", "microsoft", "deepl")
TRANSLATORS_NEEDING_KEY = ("microsoft", "deepl")

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
    Setting("DATABASE_URL", "", "SQLAlchemy URL of doula's own records (handled message ids, encrypted contacts, "
            "opt-outs, delivery failures); default `sqlite:///var/doula.db`, or the tracker store's database in "
            "production."),
    Setting("DOULA_CONTACT_KEY", "", "Key that encrypts stored phone numbers, chat ids and handoff messages (a Fernet "
            "key or any long secret); default derived from `DOULA_SENDER_KEY`. Several comma-separated keys (`new,old`)"
            " rotate it: the first encrypts, all decrypt; `doula privacy rotate-key` re-encrypts with the first."),
    Setting("PUBLIC_BASE_URL", "", "The public https URL of this server, as Twilio and Telegram call it (webhook "
            "signatures are checked against it); default `http://localhost:<RASA_PORT>`."),
    Setting("TWILIO_ACCOUNT_SID", "", "Twilio account SID. With `TWILIO_AUTH_TOKEN`, enables SMS and WhatsApp."),
    Setting("TWILIO_AUTH_TOKEN", "", "Twilio auth token: signs webhooks and authenticates replies."),
    Setting("TWILIO_SMS_NUMBER", "", "The Twilio phone number SMS replies come from, e.g. `+447700900123`."),
    Setting("TWILIO_WHATSAPP_NUMBER", "", "The WhatsApp sender number (without `whatsapp:`), e.g. the sandbox's."),
    Setting("TWILIO_WHATSAPP_TEMPLATE_SID", "", "Content SID of an approved WhatsApp template whose variable {{1}} "
            "is a message, used to reach her more than 24 hours after she last wrote; unset: such messages are held."),
    Setting("TWILIO_API_URL", "", "Override of Twilio's API address (a regional edge or a test fake)."),
    Setting("TELEGRAM_TOKEN", "", "Telegram bot token from @BotFather; enables /webhooks/telegram/webhook."),
    Setting("TELEGRAM_WEBHOOK_SECRET", "", "Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (required with "
            "the token; `doula telegram --set-webhook` registers it)."),
    Setting("TELEGRAM_API_URL", "", "Override of the Bot API address (a local Bot API server or a test fake)."),
    Setting("DOULA_CONSOLE_PORT", "5010", "Port of the staff console (`doula console`; `doula run` starts it)."),
    Setting("DOULA_CONSOLE_URL", "", "The URL staff open the console at, used in notifications and to mark its "
            "cookies Secure when https; default `http://localhost:<DOULA_CONSOLE_PORT>`."),
    Setting("DOULA_TIMEZONE", "Europe/London", "Time zone of the working hours below and of times shown to her."),
    Setting("DOULA_HANDOFF_HOURS", "Mon-Fri 09:00-17:00", "When staff answer handoff requests: comma-separated "
            "`Mon-Fri 09:00-17:00` ranges, or `always`."),
    Setting("DOULA_HANDOFF_SLA_MINUTES", "30", "Working minutes within which a request must be claimed; later it is "
            "escalated to the escalation list."),
    Setting("DOULA_NOTIFY_EMAIL", "", "Comma-separated addresses told of each new handoff request (needs `SMTP_URL`)."),
    Setting("DOULA_ESCALATE_EMAIL", "", "Comma-separated addresses told when a request is not claimed in time."),
    Setting("SMTP_URL", "", "Mail server for notifications: `smtp://user:password@host:587?starttls=true`."),
    Setting("DOULA_MAIL_FROM", "doula@localhost", "Sender address of notification e-mails."),
    Setting("DOULA_NOTIFY_WEBHOOK", "", "URL that receives a signed JSON POST for each new handoff request."),
    Setting("DOULA_ESCALATE_WEBHOOK", "", "URL that receives a signed JSON POST when a request is escalated."),
    Setting("DOULA_WEBHOOK_SECRET", "", "Key of the `X-Doula-Signature` HMAC-SHA256 header on notification webhooks."),
    Setting("DOULA_NOTIFY_TELEGRAM_CHAT", "", "Telegram staff group chat id told of new requests (needs "
            "TELEGRAM_TOKEN)."),
    Setting("DOULA_ESCALATE_TELEGRAM_CHAT", "", "Telegram chat id told when a request is not claimed in time."),
    Setting("DOULA_TRANSLATOR", "", "Machine translation (deep-translator): `google`, `libre` (LibreTranslate, can be "
            "self-hosted: set DOULA_TRANSLATOR_URL), `mymemory`, `microsoft` or `deepl` (need DOULA_TRANSLATOR_KEY); "
            "empty: off. Used for staff replies in the console and for women writing in a language without curated "
            "content (tier 2). Her messages and the bot's replies are sent to that provider: agree it with your "
            "information governance lead."),
    Setting("DOULA_TRANSLATOR_URL", "", "Override of the translator's address (a self-hosted LibreTranslate, a "
            "regional endpoint or a test fake); empty: the provider's."),
    Setting("DOULA_TRANSLATOR_KEY", "", "API key of the translator, for the providers that need one."),
    Setting("DOULA_SMS_MAX_SEGMENTS", "4", "An SMS reply is split into messages of at most this many segments."),
    Setting("DOULA_MAX_MESSAGE_CHARS", "1000", "Longer messages are cut to this many characters (she is told)."),
    Setting("DOULA_RATE_LIMIT", "30/60s", "Messages one sender may send per period on any channel (`30/60s`), or "
            "`off`. Red-flag messages are never held back; see docs/security.md."),
    Setting("DOULA_RATE_LIMIT_IP", "300/60s", "Messages one client address may send per period to the web chat "
            "and REST channels (whose sender id the client chooses), or `off`."),
    Setting("DOULA_FEEDBACK_SITES", "", "Comma-separated sites (hospitals, birth centres) offered to women as a menu "
            "in the feedback conversation; empty: the site question is skipped."),
    Setting("DOULA_FEEDBACK_MIN_CELL", "5", "Feedback exports show no count under this number in any summary table "
            "or chart (shown as `<5`), and blank ethnic group and age band on rows of rarer combinations."),
    Setting("DOULA_PRIVACY_URL", "", "Address (https) of the trust's full privacy notice, linked from the short notice "
            "she is shown at first contact (content/privacy/); empty: the notice tells her to ask her maternity unit."),
    Setting("DOULA_RETAIN_CONVERSATION_DAYS", "90", "`doula retention run` deletes the conversation (Rasa tracker "
            "events), the encrypted contact and consents of a woman who has not written for this many days "
            "(docs/privacy.md)."),
    Setting("DOULA_RETAIN_HANDOFF_DAYS", "365", "Handoff requests closed this many days ago are deleted with their "
            "messages (NHS complaints can be made up to 12 months after the event)."),
    Setting("DOULA_RETAIN_LOG_DAYS", "30", "Handled message ids and delivery failures older than this are deleted."),
    Setting("DOULA_RETAIN_AUDIT_DAYS", "2190", "Audit log entries older than this are deleted (default 6 years; at "
            "least DOULA_RETAIN_HANDOFF_DAYS, so the trail outlives the requests it explains)."),
    Setting("DOULA_RASA_WORKERS", "", "Rasa server processes (Sanic workers), each with the model loaded; empty: 1 "
            "in the embedded profile, the number of CPU cores in production. More than 1 needs the Redis lock store."),
    Setting("DOULA_ACTION_WORKERS", "", "Action server processes; empty: 1 in the embedded profile, the number of CPU "
            "cores in production."),
    Setting("DOULA_OPS_PORT", "5011", "Port (on 127.0.0.1 only) where `doula run` serves `/health` (readiness of "
            "every part) and `/metrics` (Prometheus) for monitoring; 0: off."),
    Setting("DOULA_METRICS_DIR", "var/metrics", "Folder where each process keeps its metrics for `/metrics` (emptied "
            "when `doula run` starts)."),
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


def _workers(raw: str, profile: str, name: str) -> int:
    """A number of processes: as given, or 1 (embedded) / one per CPU core (production)."""
    if not raw:
        return (os.cpu_count() or 1) if profile == "production" else 1
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


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
    rate_limit: str = "30/60s"
    rate_limit_ip: str = "300/60s"
    log_level: str = "INFO"
    rasa_workers: int = 1
    action_workers: int = 1
    ops_port: int = 5011
    metrics_dir: Path = field(default_factory=lambda: ROOT / "var" / "metrics")
    triage_phone: str = ""
    database_url: str = "sqlite:///var/doula.db"
    contact_key: str = ""
    public_base_url: str = "http://localhost:5005"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_sms_number: str = ""
    twilio_whatsapp_number: str = ""
    twilio_api_url: str = ""
    twilio_whatsapp_template_sid: str = ""
    sms_max_segments: int = 4
    telegram_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    console_port: int = 5010
    console_url: str = "http://localhost:5010"
    timezone: str = "Europe/London"
    handoff_hours: str = "Mon-Fri 09:00-17:00"
    handoff_sla_minutes: int = 30
    notify_email: tuple[str, ...] = ()
    escalate_email: tuple[str, ...] = ()
    smtp_url: str = ""
    mail_from: str = "doula@localhost"
    notify_webhook: str = ""
    escalate_webhook: str = ""
    webhook_secret: str = ""
    notify_telegram_chat: str = ""
    escalate_telegram_chat: str = ""
    translator: str = ""
    translator_url: str = ""
    translator_key: str = ""
    feedback_sites: tuple[str, ...] = ()
    feedback_min_cell: int = 5
    privacy_url: str = ""
    retain_conversation_days: int = 90
    retain_handoff_days: int = 365
    retain_log_days: int = 30
    retain_audit_days: int = 2190

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
        tracker_store_url = get("TRACKER_STORE_URL") or "sqlite:///var/tracker.db"
        sender_key = get("DOULA_SENDER_KEY") or DEVELOPMENT_SENDER_KEY
        rasa_port = get_int("RASA_PORT")
        console_port = get_int("DOULA_CONSOLE_PORT")

        def get_list(name: str) -> tuple[str, ...]:
            return tuple(item.strip() for item in get(name).split(",") if item.strip())
        settings = cls(
            profile=profile,
            host=get("DOULA_HOST"),
            rasa_port=rasa_port,
            action_port=action_port,
            action_server_url=get("ACTION_SERVER_URL") or f"http://127.0.0.1:{action_port}/webhook",
            rasa_api_token=get("RASA_API_TOKEN"),
            tracker_store_url=tracker_store_url,
            lock_store_url=get("LOCK_STORE_URL"),
            sender_key=sender_key,
            model_path=model if model.is_absolute() else ROOT / model,
            max_message_chars=get_int("DOULA_MAX_MESSAGE_CHARS"),
            rate_limit=get("DOULA_RATE_LIMIT"),
            rate_limit_ip=get("DOULA_RATE_LIMIT_IP"),
            log_level=get("LOG_LEVEL").upper(),
            rasa_workers=_workers(get("DOULA_RASA_WORKERS"), profile, "DOULA_RASA_WORKERS"),
            action_workers=_workers(get("DOULA_ACTION_WORKERS"), profile, "DOULA_ACTION_WORKERS"),
            ops_port=get_int("DOULA_OPS_PORT"),
            metrics_dir=ROOT / get("DOULA_METRICS_DIR"),  # an absolute path stays as it is
            triage_phone=get("DOULA_TRIAGE_PHONE"),
            database_url=get("DATABASE_URL")
            or (tracker_store_url if profile == "production" else "sqlite:///var/doula.db"),
            # One secret, two uses, kept apart: the contact key is derived from the sender key unless given.
            contact_key=get("DOULA_CONTACT_KEY") or hashlib.sha256(f"contacts:{sender_key}".encode()).hexdigest(),
            public_base_url=(get("PUBLIC_BASE_URL") or f"http://localhost:{rasa_port}").rstrip("/"),
            twilio_account_sid=get("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"),
            twilio_sms_number=get("TWILIO_SMS_NUMBER"),
            twilio_whatsapp_number=get("TWILIO_WHATSAPP_NUMBER").removeprefix("whatsapp:"),
            twilio_api_url=get("TWILIO_API_URL"),
            twilio_whatsapp_template_sid=get("TWILIO_WHATSAPP_TEMPLATE_SID"),
            sms_max_segments=get_int("DOULA_SMS_MAX_SEGMENTS"),
            telegram_token=get("TELEGRAM_TOKEN"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            telegram_api_url=(get("TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/"),
            console_port=console_port,
            console_url=(get("DOULA_CONSOLE_URL") or f"http://localhost:{console_port}").rstrip("/"),
            timezone=get("DOULA_TIMEZONE"),
            handoff_hours=get("DOULA_HANDOFF_HOURS"),
            handoff_sla_minutes=get_int("DOULA_HANDOFF_SLA_MINUTES"),
            notify_email=get_list("DOULA_NOTIFY_EMAIL"),
            escalate_email=get_list("DOULA_ESCALATE_EMAIL"),
            smtp_url=get("SMTP_URL"),
            mail_from=get("DOULA_MAIL_FROM"),
            notify_webhook=get("DOULA_NOTIFY_WEBHOOK"),
            escalate_webhook=get("DOULA_ESCALATE_WEBHOOK"),
            webhook_secret=get("DOULA_WEBHOOK_SECRET"),
            notify_telegram_chat=get("DOULA_NOTIFY_TELEGRAM_CHAT"),
            escalate_telegram_chat=get("DOULA_ESCALATE_TELEGRAM_CHAT"),
            translator=get("DOULA_TRANSLATOR").lower(),
            translator_url=get("DOULA_TRANSLATOR_URL").rstrip("/"),
            translator_key=get("DOULA_TRANSLATOR_KEY"),
            feedback_sites=get_list("DOULA_FEEDBACK_SITES"),
            feedback_min_cell=get_int("DOULA_FEEDBACK_MIN_CELL"),
            privacy_url=get("DOULA_PRIVACY_URL"),
            retain_conversation_days=get_int("DOULA_RETAIN_CONVERSATION_DAYS"),
            retain_handoff_days=get_int("DOULA_RETAIN_HANDOFF_DAYS"),
            retain_log_days=get_int("DOULA_RETAIN_LOG_DAYS"),
            retain_audit_days=get_int("DOULA_RETAIN_AUDIT_DAYS"),
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
        if not (1 <= self.rasa_workers <= 64 and 1 <= self.action_workers <= 64):
            raise SettingsError("DOULA_RASA_WORKERS and DOULA_ACTION_WORKERS must be between 1 and 64")
        if self.rasa_workers > 1 and not self.lock_store_url.startswith("redis"):
            # An in-memory lock is per process: two workers could then answer one conversation at the same time.
            raise SettingsError("DOULA_RASA_WORKERS > 1 needs LOCK_STORE_URL=redis://... (the in-memory lock store "
                                "serves one process only)")
        if not 0 <= self.ops_port <= 65535:
            raise SettingsError("DOULA_OPS_PORT must be a port number, or 0 for off")
        if self.triage_phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{5,24}", self.triage_phone):
            raise SettingsError(
                f"DOULA_TRIAGE_PHONE must be a phone number (digits, spaces, +, -), got {self.triage_phone!r}"
            )
        if self.profile == "production" and self.database_url.startswith("sqlite"):
            raise SettingsError("production profile needs DATABASE_URL=postgresql://... (or leave it unset to use "
                                "the tracker store's database)")
        if self.telegram_token and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.telegram_webhook_secret):
            raise SettingsError("TELEGRAM_TOKEN needs TELEGRAM_WEBHOOK_SECRET: 1-256 characters A-Z, a-z, 0-9, _ or -")
        if not 1 <= self.sms_max_segments <= 10:
            raise SettingsError("DOULA_SMS_MAX_SEGMENTS must be between 1 and 10")
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(self.timezone)
        except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise SettingsError(f"DOULA_TIMEZONE must be an IANA time zone such as Europe/London, got "
                                f"{self.timezone!r}") from exc
        from bot.services.handoff.hours import HoursError, WorkingHours

        try:
            WorkingHours.parse(self.handoff_hours, self.timezone)
        except HoursError as exc:
            raise SettingsError(f"DOULA_HANDOFF_HOURS: {exc}") from exc
        if not 1 <= self.handoff_sla_minutes <= 7 * 24 * 60:
            raise SettingsError("DOULA_HANDOFF_SLA_MINUTES must be between 1 and 10080 (a week)")
        if (self.notify_email or self.escalate_email) and not self.smtp_url:
            raise SettingsError("DOULA_NOTIFY_EMAIL / DOULA_ESCALATE_EMAIL need SMTP_URL")
        if (self.notify_telegram_chat or self.escalate_telegram_chat) and not self.telegram_token:
            raise SettingsError("DOULA_NOTIFY_TELEGRAM_CHAT / DOULA_ESCALATE_TELEGRAM_CHAT need TELEGRAM_TOKEN")
        if (self.notify_webhook or self.escalate_webhook) and len(self.webhook_secret) < 16:
            raise SettingsError("notification webhooks need DOULA_WEBHOOK_SECRET (16+ characters) to sign them")
        if self.translator not in TRANSLATORS:
            raise SettingsError(f"DOULA_TRANSLATOR must be empty or one of {', '.join(TRANSLATORS[1:])}, got "
                                f"{self.translator!r}")
        if self.translator_url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", self.translator_url):
            raise SettingsError(f"DOULA_TRANSLATOR_URL must be an http(s) URL, got {self.translator_url!r}")
        if self.translator_url and not self.translator:
            raise SettingsError("DOULA_TRANSLATOR_URL needs DOULA_TRANSLATOR")
        if self.translator in TRANSLATORS_NEEDING_KEY and not self.translator_key:
            raise SettingsError(f"DOULA_TRANSLATOR={self.translator} needs DOULA_TRANSLATOR_KEY")
        if self.translator == "libre" and not (self.translator_url or self.translator_key):
            raise SettingsError("DOULA_TRANSLATOR=libre needs DOULA_TRANSLATOR_URL (a self-hosted LibreTranslate) "
                                "or DOULA_TRANSLATOR_KEY (the public one)")
        for name, rate in (("DOULA_RATE_LIMIT", self.rate_limit), ("DOULA_RATE_LIMIT_IP", self.rate_limit_ip)):
            if rate.lower() not in ("off", "0") and not re.fullmatch(r"0*[1-9]\d*\s*[/ ]\s*0*[1-9]\d*\s*s?", rate):
                raise SettingsError(f"{name} must be '<messages>/<seconds>s' such as '30/60s', or 'off'; got {rate!r}")
        if self.max_message_chars < 50:
            raise SettingsError("DOULA_MAX_MESSAGE_CHARS must be at least 50")
        if not 3 <= self.feedback_min_cell <= 100:
            raise SettingsError("DOULA_FEEDBACK_MIN_CELL must be between 3 and 100 (5 is the usual NHS threshold)")
        if len(set(self.feedback_sites)) != len(self.feedback_sites) or len(self.feedback_sites) > 20 \
                or any(len(site) > 80 for site in self.feedback_sites):
            raise SettingsError("DOULA_FEEDBACK_SITES must be at most 20 different names of at most 80 characters")
        if self.privacy_url and not re.fullmatch(r"https://[^\s/]+(/\S*)?", self.privacy_url):
            raise SettingsError(f"DOULA_PRIVACY_URL must be an https URL, got {self.privacy_url!r}")
        self._validate_privacy()

    def _validate_privacy(self) -> None:
        """Retention periods (bot/services/privacy/retention.py) and the contact keys (one, or several for rotation)."""
        for name, days in (("DOULA_RETAIN_CONVERSATION_DAYS", self.retain_conversation_days),
                           ("DOULA_RETAIN_HANDOFF_DAYS", self.retain_handoff_days),
                           ("DOULA_RETAIN_LOG_DAYS", self.retain_log_days),
                           ("DOULA_RETAIN_AUDIT_DAYS", self.retain_audit_days)):
            if not 1 <= days <= 36500:
                raise SettingsError(f"{name} must be between 1 and 36500 days, got {days}")
        if self.retain_audit_days < self.retain_handoff_days:
            raise SettingsError("DOULA_RETAIN_AUDIT_DAYS must be at least DOULA_RETAIN_HANDOFF_DAYS: the audit log "
                                "explains what staff did with requests that are still kept")
        if self.contact_key and any(not part.strip() for part in self.contact_key.split(",")):
            raise SettingsError("DOULA_CONTACT_KEY: an empty key between commas (several keys are `new,old`)")

    @property
    def uses_development_key(self) -> bool:
        return self.sender_key == DEVELOPMENT_SENDER_KEY
