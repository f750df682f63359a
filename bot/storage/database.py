"""The database and its tables (SQLAlchemy Core). One engine per URL and process."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    func,
)
from sqlalchemy.engine import Engine

from bot.paths import ROOT

metadata = MetaData()

# A channel's message id (Twilio MessageSid, Telegram update id) seen once: retries are not handled twice, even by
# another Rasa process or after a restart.
handled_messages = Table(
    "handled_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    # Whose message it was (pseudonymous): a MessageSid leads to her number in the Twilio account, so "delete my
    # data" deletes these too (bot/services/privacy/erase.py). Empty for rows written before this column existed.
    Column("sender_id", String(80), nullable=True, index=True),
    UniqueConstraint("channel", "message_id", name="uq_handled_message"),
)

# How to reach a pseudonymous sender again (staff replies, reminders): the address is encrypted (Fernet) with a key
# from the environment, so a copy of the database alone reveals no phone number.
contacts = Table(
    "contacts",
    metadata,
    Column("sender_id", String(80), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("address", LargeBinary, nullable=False),
    Column("opted_out", Boolean, nullable=False, default=False),
    Column("last_inbound_at", DateTime(timezone=True), nullable=True),
)

# Delivery problems reported by a channel's status callback: never the message text.
delivery_failures = Table(
    "delivery_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error_code", String(16), nullable=True),
    Column("recorded_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("sender_id", String(80), nullable=True, index=True),  # to whom (pseudonymous): erased with her data
)


# --- Handoff to a person (bot/services/handoff) -------------------------------------------------------------------
# A request for a person: who (pseudonymous), where, in which language, why, and its life (waiting -> claimed ->
# closed). The summary is made by the bot from the conversation state (topic, red flags), never from her words.
handoff_requests = Table(
    "handoff_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(80), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("summary", String(500), nullable=False, default=""),
    Column("status", String(16), nullable=False),  # waiting | claimed | closed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("claimed_by", Integer, nullable=True),
    Column("first_reply_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", Integer, nullable=True),
    Column("escalated_at", DateTime(timezone=True), nullable=True),
    Column("urgent_at", DateTime(timezone=True), nullable=True),  # last red flag while open
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),  # last "passed on" reply to her
)
Index("ix_handoff_sender_status", handoff_requests.c.sender_id, handoff_requests.c.status)
Index("ix_handoff_status_due", handoff_requests.c.status, handoff_requests.c.due_at)

# The conversation of a request. Bodies are encrypted (Fernet, DOULA_CONTACT_KEY): a copy of the database alone does
# not reveal what she wrote. `delivery` tracks messages to her: pending -> sent | held | failed | opted_out.
handoff_messages = Table(
    "handoff_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("handoff_requests.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author", String(16), nullable=False),  # her | staff | bot | note (internal, never sent)
    Column("staff_id", Integer, nullable=True),
    Column("body", LargeBinary, nullable=False),
    Column("original", LargeBinary, nullable=True),  # what the staff member wrote, when `body` is a translation
    Column("translation", String(16), nullable=False, default="none"),  # none | machine
    Column("urgent", Boolean, nullable=False, default=False),  # a red flag was detected in it
    Column("delivery", String(16), nullable=True),
    Column("delivery_attempts", Integer, nullable=False, default=0),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
)

# Staff accounts of the console. Passwords are scrypt hashes; languages are ISO codes an interpreter covers.
staff_users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(32), nullable=False),  # interpreter | midwife | mvp_coordinator | admin
    Column("languages", String(200), nullable=False, default=""),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Console sessions: the cookie holds a random token; only its SHA-256 is stored, with the session's CSRF token.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff_users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

# Every staff action (and failed login), for accountability. Never message text.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("staff_id", Integer, nullable=True),
    Column("action", String(40), nullable=False),
    Column("request_id", Integer, nullable=True),
    Column("detail", String(200), nullable=False, default=""),
)

# Notifications to staff, sent by the console's worker with retries, so none is lost when a notifier is down.
staff_notifications = Table(
    "staff_notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # new_request | escalation | urgent
    Column("request_id", Integer, ForeignKey("handoff_requests.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(200), nullable=True),
)


# Machine translations of the bot's own (curated English) texts into languages without curated content (tier 2), so
# each text is sent to the provider once. Never her messages: those are translated afresh and not kept.
translations = Table(
    "translations",
    metadata,
    Column("key", String(64), primary_key=True),  # SHA-256 of provider, languages and source text
    Column("provider", String(32), nullable=False),
    Column("source", String(16), nullable=False),
    Column("target", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


# --- Feedback for the Maternity Voices Partnership (bot/services/feedback) ---------------------------------------
# One piece of feedback: coarse fields only, and her words only after anonymisation (bot/anonymise). No sender id, no
# exact time (the month), nothing that links it to her conversation.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False),  # YYYY-MM
    Column("source", String(16), nullable=False),  # bot | import
    Column("language", String(16), nullable=False),
    Column("site", String(80), nullable=True),
    Column("stage", String(16), nullable=True),  # pregnancy | birth | after_birth
    Column("rating", String(16), nullable=True),  # very_good | good | neither | poor | very_poor | dont_know
    Column("went_well", Text, nullable=True),  # redacted, in her language
    Column("went_well_en", Text, nullable=True),  # redacted, machine-translated into English (when a translator is on)
    Column("could_be_better", Text, nullable=True),
    Column("could_be_better_en", Text, nullable=True),
    Column("themes", Text, nullable=False, default="[]"),  # JSON: [{"theme", "sentiment", "cues"}]
    Column("sentiment", String(16), nullable=True),  # positive | negative | mixed | neutral
    Column("ethnic_group", String(40), nullable=True),  # NHS ethnic category code, or prefer_not
    Column("age_band", String(16), nullable=True),
    Column("consent_mvp", Boolean, nullable=False, default=False),  # she agreed to share it with the MVP
)
Index("ix_feedback_month_site", feedback.c.month, feedback.c.site)

# A feedback conversation in progress: which question she is answering, so that the gateway anonymises a free-text
# answer before Rasa (and its tracker store) ever sees it. The answers so far are kept here, already redacted, and
# the row is deleted when the feedback is saved or abandoned.
feedback_sessions = Table(
    "feedback_sessions",
    metadata,
    Column("sender_id", String(80), primary_key=True),
    Column("step", String(32), nullable=False),
    Column("answers", Text, nullable=False, default="{}"),  # JSON of the answers so far (redacted)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# --- Privacy notice (bot/services/consent.py) ----------------------------------------------------------------------
# What she was told about her data, and when: the notice (version N, in which language) was shown, and she went on
# using the service after it. A record of transparency, not the lawful basis (NHS care: public task + Art. 9(2)(h)).
# Keyed by her pseudonymous id, so an erasure ("DELETE") removes these rows with everything else.
consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(80), nullable=False),
    Column("notice_version", Integer, nullable=False),
    Column("event", String(16), nullable=False),  # notice_shown | continued
    Column("language", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),  # UTC
)
Index("ix_consents_sender_version", consents.c.sender_id, consents.c.notice_version)


_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """The engine for `url` (once per URL and process, even when threads ask at the same time: two concurrent CREATE
    TABLEs fail on SQLite). Relative SQLite paths are relative to the project.

    An embedded (SQLite) database is brought up to date here, at first use, so `make run` needs no step. Any other
    database is never altered here: `doula db upgrade` does it, deliberately (after a backup), and `doula run`
    refuses to start on an out-of-date schema (bot/storage/migrations)."""
    with _engines_lock:
        return _engine_for(url)


def sqlite_url(url: str) -> str:
    """`url` with a relative SQLite path made absolute (relative to the project) and its folder created."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = ROOT / url[len("sqlite:///"):]  # an absolute path stays as it is
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    return url


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    from bot.storage.migrations import upgrade  # lazy: the migrations read `metadata` from this module

    engine = create_engine(sqlite_url(url), future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        upgrade(engine)
    return engine


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite keeps no time zone; doula always stores UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
