"""The database and its tables (SQLAlchemy Core). One engine per URL and process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
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
)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """The engine for `url`, with its tables created. Relative SQLite paths are relative to the project."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = ROOT / url[len("sqlite:///"):]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine
