"""Right of access: everything doula holds about one pseudonymous sender, as one JSON document.

Staff send it to her (after the checks their subject access procedure requires): her conversation as a readable
transcript and as the raw events Rasa stored (slots included), her contact decrypted, her handoff requests with their
messages decrypted, and her rows of any other table with a `sender_id` (consents, unfinished feedback). The
document also says what it does not include and why, so she knows the export is complete.

Staff members are named by role only ("staff"), not by name: their identities are third-party data. Internal notes
are included, marked as such: health data may fall under the serious harm test (Data Protection Act 2018, Schedule 3),
so a health professional should read the export before it is sent (docs/privacy.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import select

from bot.services.privacy import stores
from bot.settings import Settings
from bot.storage.contacts import fernet
from bot.storage.database import as_utc, contacts, handoff_messages, handoff_requests

FORMAT = "doula-subject-access/1"
AUDIT_ACTION = "privacy_export"
_AUTHORS = {"her": "you", "bot": "doula", "staff": "staff", "note": "staff (internal note, not sent to you)"}

NOT_INCLUDED = (
    "Feedback you gave about maternity services after you finished it: it was anonymised when saved and keeps no "
    "link to you (no id, no channel, only the month), so it cannot be found or told apart from anyone else's.",
    "Message ids the channels gave your messages (Twilio, Telegram) and delivery error codes: kept a few weeks to "
    "stop messages being handled twice, with nothing linking them to you in doula.",
    "Names of the staff who answered you: they are shown as 'staff'.",
    "Copies your channel provider (Twilio/WhatsApp, Telegram) or a translation service keeps: ask them directly.",
    "Server logs: they record events and errors, never your number, your id or what you wrote.",
)


def export(settings: Settings, sender_id: str, *, actor: str | None = None,
           now: datetime | None = None) -> dict[str, Any]:
    """The subject access document of `sender_id` (JSON-serialisable). With `actor`, the export is audited (it
    decrypts her address and messages): who, when, how much; not her id."""
    now = now or datetime.now(timezone.utc)
    cipher = fernet(settings.contact_key)
    events = _tracker_events(settings, sender_id)
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": _time(now),
        "sender_id": sender_id,
        "transcript": [_line(event) for event in events if event.get("event") in ("user", "bot")],
        "conversation_events": events,
    }
    with stores.app_engine(settings).connect() as connection:
        row = connection.execute(select(contacts).where(contacts.c.sender_id == sender_id)).first()
        document["contact"] = None if row is None else {
            "channel": row.channel, "address": _open(cipher, row.address), "opted_out": bool(row.opted_out),
            "last_message_at": _time(row.last_inbound_at)}
        document["handoff_requests"] = [
            _request(connection, cipher, request) for request in connection.execute(
                select(handoff_requests).where(handoff_requests.c.sender_id == sender_id)
                .order_by(handoff_requests.c.id))]
        for table in stores.sender_tables(connection):
            if table in (contacts, handoff_requests):
                continue
            rows = connection.execute(select(table).where(table.c.sender_id == sender_id)).all()
            document[table.name] = [_plain(row._mapping) for row in rows]
    document["not_included"] = list(NOT_INCLUDED)
    if actor:
        with stores.app_engine(settings).begin() as connection:
            stores.audit(connection, now, actor, AUDIT_ACTION, f"events={len(events)} "
                         f"handoff_requests={len(document['handoff_requests'])}")
    return document


def export_json(settings: Settings, sender_id: str, *, actor: str | None = None, now: datetime | None = None) -> str:
    return json.dumps(export(settings, sender_id, actor=actor, now=now), ensure_ascii=False, indent=2) + "\n"


def _tracker_events(settings: Settings, sender_id: str) -> list[dict[str, Any]]:
    engine = stores.tracker_engine(settings)
    if not stores.has_tracker_events(engine):
        return []
    events = stores.tracker_events
    with engine.connect() as connection:
        rows = connection.execute(select(events.c.timestamp, events.c.type_name, events.c.data)
                                  .where(events.c.sender_id == sender_id).order_by(events.c.id)).all()
    result = []
    for timestamp, type_name, data in rows:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            event = {"unreadable": True}
        event.setdefault("event", type_name)
        event["time"] = _time(datetime.fromtimestamp(timestamp, timezone.utc)) if timestamp is not None else None
        event.pop("timestamp", None)
        result.append(event)
    return result


def _line(event: Mapping[str, Any]) -> dict[str, Any]:
    return {"time": event.get("time"), "from": "you" if event["event"] == "user" else "doula",
            "text": event.get("text")}


def _request(connection, cipher, request) -> dict[str, Any]:
    messages = connection.execute(select(handoff_messages).where(handoff_messages.c.request_id == request.id)
                                  .order_by(handoff_messages.c.id)).all()
    return {
        "id": request.id, "channel": request.channel, "language": request.language, "reason": request.reason,
        "summary": request.summary, "status": request.status, "created_at": _time(request.created_at),
        "claimed_at": _time(request.claimed_at), "closed_at": _time(request.closed_at),
        "messages": [{
            "time": _time(message.created_at),
            "from": _AUTHORS.get(message.author, message.author),
            "text": _open(cipher, message.body),
            "staff_original": _open(cipher, message.original) if message.original is not None else None,
            "translation": message.translation,
            "delivery": message.delivery,
        } for message in messages],
    }


def _open(cipher, token: bytes | None) -> str | None:
    if token is None:
        return None
    try:
        return cipher.decrypt(bytes(token)).decode()
    except InvalidToken:
        return "[not readable with the current DOULA_CONTACT_KEY]"


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """A row as JSON values: times in ISO 8601 UTC, JSON text columns parsed, bytes described (never raw)."""
    plain: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            value = _time(value)
        elif isinstance(value, (bytes, memoryview)):
            value = f"[{len(bytes(value))} encrypted bytes]"
        elif isinstance(value, str) and value[:1] in "{[":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        plain[name] = value
    return plain


def _time(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat()
