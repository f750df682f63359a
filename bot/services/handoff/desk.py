"""The handoff desk: requests for a person and their conversations, as a small state machine over the database.

    (none) --open--> waiting --claim--> claimed --close--> closed
                        \\______________________close______/
    waiting --(not claimed by due_at)--> escalated (still waiting; a second list is told)

The bot (action server) opens requests and records what she writes while the bot is paused; the staff console
claims, replies, writes internal notes and closes. Every message *to her* is queued here with a delivery state and
sent by :mod:`bot.services.handoff.delivery`, so a reply is never lost when a channel is down. Every staff action is
written to the audit log in the same transaction as the change it records.

Message bodies are encrypted with the contact key; nothing here logs text, numbers or sender ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography.fernet import MultiFernet
from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection, Engine

from bot.runtime import metrics
from bot.services.handoff.hours import WorkingHours
from bot.services.handoff.texts import HandoffTexts, load_handoff_texts
from bot.settings import Settings
from bot.storage.contacts import fernet
from bot.storage.database import (
    as_utc,
    audit_log,
    engine_for,
    handoff_messages,
    handoff_requests,
    staff_notifications,
)
from bot.storage.retry import retry_write

WAITING, CLAIMED, CLOSED = "waiting", "claimed", "closed"
OPEN_STATES = (WAITING, CLAIMED)
HER, STAFF, BOT, NOTE = "her", "staff", "bot", "note"
PENDING, SENT, HELD, FAILED, OPTED_OUT, PULLED = "pending", "sent", "held", "failed", "opted_out", "pulled"
# She is told "your message has been passed on" at most this often while nobody has claimed her request.
ACKNOWLEDGE_EVERY = timedelta(minutes=15)
# Notifications are retried with growing delays; after this many attempts they stay visible as failed in the console.
MAX_NOTIFY_ATTEMPTS = 8
# A message to her that fails this many times in a row is shown as failed, for staff to send again or call her.
MAX_DELIVERY_ATTEMPTS = 3


class HandoffError(ValueError):
    """A staff action that the request's state does not allow (e.g. replying to a closed request)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Request:
    id: int
    sender_id: str
    channel: str
    language: str
    reason: str
    summary: str
    status: str
    created_at: datetime
    due_at: datetime
    claimed_at: datetime | None = None
    claimed_by: int | None = None
    first_reply_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: int | None = None
    escalated_at: datetime | None = None
    urgent_at: datetime | None = None
    acknowledged_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATES

    def overdue(self, now: datetime) -> bool:
        return self.status == WAITING and now >= self.due_at


@dataclass(frozen=True)
class Message:
    id: int
    request_id: int
    created_at: datetime
    author: str
    staff_id: int | None
    text: str
    original: str | None
    translation: str
    urgent: bool
    delivery: str | None


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    request_id: int
    attempts: int


_TIMES = ("created_at", "due_at", "claimed_at", "first_reply_at", "closed_at", "escalated_at", "urgent_at",
          "acknowledged_at")


def _request(row) -> Request:
    values = dict(row._mapping)
    for name in _TIMES:
        values[name] = as_utc(values[name])
    return Request(**values)


class HandoffDesk:
    """All reads and changes of handoff requests. Thread-safe (each call is its own transaction)."""

    def __init__(self, engine: Engine, key: str, hours: WorkingHours, sla_minutes: int,
                 texts: HandoffTexts | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.fernet: MultiFernet = fernet(key)
        self.hours = hours
        self.sla_minutes = sla_minutes
        self.texts = texts or load_handoff_texts()
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs) -> HandoffDesk:
        return cls(engine_for(settings.database_url), settings.contact_key,
                   WorkingHours.parse(settings.handoff_hours, settings.timezone), settings.handoff_sla_minutes,
                   **kwargs)

    # -- encryption --------------------------------------------------------------------------------------------------
    def _seal(self, text: str | None) -> bytes | None:
        return None if text is None else self.fernet.encrypt(text.encode())

    def _open_text(self, token: bytes | None) -> str | None:
        return None if token is None else self.fernet.decrypt(token).decode()

    def _message(self, row) -> Message:
        return Message(row.id, row.request_id, as_utc(row.created_at), row.author, row.staff_id,
                       self._open_text(row.body) or "", self._open_text(row.original), row.translation,
                       bool(row.urgent), row.delivery)

    # -- the bot's side ----------------------------------------------------------------------------------------------
    def open(self, sender_id: str, channel: str, language: str, reason: str, summary: str = "") -> tuple[Request, bool]:
        """Open a request for `sender_id`, or return her open one. The bool says whether it is new.

        New requests queue a `new_request` notification for staff.
        """
        now = self.clock()

        def write() -> tuple[Request, bool]:
            with self.engine.begin() as connection:
                existing = self._active(connection, sender_id)
                if existing:
                    return existing, False
                due = self.hours.add_working_minutes(now, self.sla_minutes)
                request_id = connection.execute(handoff_requests.insert().values(
                    sender_id=sender_id, channel=channel, language=language, reason=reason[:64],
                    summary=summary[:500], status=WAITING, created_at=now, due_at=due,
                )).inserted_primary_key[0]
                self._notify(connection, "new_request", request_id, now)
                return self._get(connection, request_id), True

        # A database restart must not lose her request (bot/storage/retry.py); a retry finds it if it was stored.
        request, new = retry_write(write)
        if new:
            metrics.count(metrics.HANDOFFS, reason=reason)
        return request, new

    def active_for(self, sender_id: str) -> Request | None:
        """Her open request, if any: while there is one, the bot is paused for her."""
        with self.engine.connect() as connection:
            return self._active(connection, sender_id)

    def record_from_her(self, request_id: int, text: str, urgent: bool = False) -> Message:
        """Store a message she wrote while paused. A red flag (`urgent`) also alerts staff at once."""
        now = self.clock()
        body = self._seal(text)

        def write() -> Message:
            with self.engine.begin() as connection:
                message_id = connection.execute(handoff_messages.insert().values(
                    request_id=request_id, created_at=now, author=HER, body=body, translation="none",
                    urgent=urgent, delivery=None, delivery_attempts=0,
                )).inserted_primary_key[0]
                if urgent:
                    connection.execute(update(handoff_requests).where(handoff_requests.c.id == request_id)
                                       .values(urgent_at=now))
                    self._notify(connection, "urgent", request_id, now)
                return self._message(connection.execute(
                    select(handoff_messages).where(handoff_messages.c.id == message_id)).one())

        return retry_write(write)  # her words to the staff must not be lost to a database restart

    def acknowledge_due(self, request: Request) -> bool:
        """Whether to tell her "your message has been passed on" now (unclaimed, and not told recently); if so, the
        time is recorded."""
        now = self.clock()
        if request.status != WAITING or (request.acknowledged_at and now - request.acknowledged_at < ACKNOWLEDGE_EVERY):
            return False
        with self.engine.begin() as connection:
            connection.execute(update(handoff_requests).where(handoff_requests.c.id == request.id)
                               .values(acknowledged_at=now))
        return True

    # -- the staff's side --------------------------------------------------------------------------------------------
    def get(self, request_id: int) -> Request | None:
        with self.engine.connect() as connection:
            return self._get(connection, request_id)

    def requests(self, statuses: Iterable[str] | None = None, languages: Iterable[str] | None = None,
                 limit: int = 200) -> list[Request]:
        """Requests, oldest due first for open ones, newest first for closed ones."""
        query = select(handoff_requests)
        if statuses:
            query = query.where(handoff_requests.c.status.in_(list(statuses)))
        if languages is not None:
            query = query.where(handoff_requests.c.language.in_(list(languages)))
        query = query.order_by(handoff_requests.c.status == CLOSED, handoff_requests.c.due_at,
                               handoff_requests.c.id).limit(limit)
        with self.engine.connect() as connection:
            return [_request(row) for row in connection.execute(query)]

    def messages(self, request_id: int, include_notes: bool = True) -> list[Message]:
        query = select(handoff_messages).where(handoff_messages.c.request_id == request_id)
        if not include_notes:
            query = query.where(handoff_messages.c.author != NOTE)
        with self.engine.connect() as connection:
            return [self._message(row) for row in connection.execute(query.order_by(handoff_messages.c.id))]

    def claim(self, request_id: int, staff_id: int, take_over: bool = False) -> Request:
        """Take a waiting request (or, with `take_over`, one claimed by a colleague). She is told someone joined."""
        now = self.clock()
        with self.engine.begin() as connection:
            request = self._require(connection, request_id)
            if request.status == CLOSED:
                raise HandoffError("this request is closed")
            if request.status == CLAIMED and request.claimed_by != staff_id and not take_over:
                raise HandoffError("a colleague has already claimed this request")
            if request.status == CLAIMED and request.claimed_by == staff_id:
                return request
            connection.execute(update(handoff_requests).where(handoff_requests.c.id == request_id).values(
                status=CLAIMED, claimed_by=staff_id, claimed_at=request.claimed_at or now))
            self._audit(connection, staff_id, "take_over" if request.status == CLAIMED else "claim", request_id, now)
            if request.status == WAITING:
                self._to_her(connection, request, self.texts.text(request.language, "joined"), now)
            return self._get(connection, request_id)

    def reply(self, request_id: int, staff_id: int, text: str, original: str | None = None,
              translation: str = "none") -> Message:
        """Queue a staff reply to her. `original` is what the staff member typed when `text` is its machine
        translation (`translation="machine"`): she then sees a label saying so."""
        text = (text or "").strip()
        if not text:
            raise HandoffError("the reply is empty")
        now = self.clock()
        with self.engine.begin() as connection:
            request = self._require(connection, request_id)
            if request.status != CLAIMED or request.claimed_by != staff_id:
                raise HandoffError("claim the request before replying")
            label = self.texts.text(request.language, "from_team")
            body = f"{label}: {text}"
            if translation == "machine":
                body += "\n" + self.texts.text(request.language, "machine_translated")
            message_id = connection.execute(handoff_messages.insert().values(
                request_id=request_id, created_at=now, author=STAFF, staff_id=staff_id, body=self._seal(body),
                original=self._seal(original), translation=translation, urgent=False, delivery=PENDING,
                delivery_attempts=0,
            )).inserted_primary_key[0]
            if request.first_reply_at is None:
                connection.execute(update(handoff_requests).where(handoff_requests.c.id == request_id)
                                   .values(first_reply_at=now))
            self._audit(connection, staff_id, "reply", request_id, now,
                        "machine translation" if translation == "machine" else "")
            return self._message(connection.execute(
                select(handoff_messages).where(handoff_messages.c.id == message_id)).one())

    def note(self, request_id: int, staff_id: int, text: str) -> Message:
        """An internal note for colleagues: stored with the conversation, never sent to her."""
        text = (text or "").strip()
        if not text:
            raise HandoffError("the note is empty")
        now = self.clock()
        with self.engine.begin() as connection:
            self._require(connection, request_id)
            message_id = connection.execute(handoff_messages.insert().values(
                request_id=request_id, created_at=now, author=NOTE, staff_id=staff_id, body=self._seal(text),
                translation="none", urgent=False, delivery=None, delivery_attempts=0,
            )).inserted_primary_key[0]
            self._audit(connection, staff_id, "note", request_id, now)
            return self._message(connection.execute(
                select(handoff_messages).where(handoff_messages.c.id == message_id)).one())

    def close(self, request_id: int, staff_id: int | None) -> Request:
        """Hand her back to the bot, and tell her so in her language."""
        now = self.clock()
        with self.engine.begin() as connection:
            request = self._require(connection, request_id)
            if request.status == CLOSED:
                raise HandoffError("this request is already closed")
            connection.execute(update(handoff_requests).where(handoff_requests.c.id == request_id).values(
                status=CLOSED, closed_at=now, closed_by=staff_id))
            self._to_her(connection, request, self.texts.text(request.language, "closed"), now)
            self._audit(connection, staff_id, "close", request_id, now)
            return self._get(connection, request_id)

    # -- escalation ---------------------------------------------------------------------------------------------------
    def escalate_overdue(self) -> list[Request]:
        """Mark waiting requests past their due time as escalated, queueing an `escalation` notification for each.
        Idempotent: a request is escalated once."""
        now = self.clock()
        escalated = []
        with self.engine.begin() as connection:
            rows = connection.execute(select(handoff_requests).where(and_(
                handoff_requests.c.status == WAITING, handoff_requests.c.due_at <= now,
                handoff_requests.c.escalated_at.is_(None)))).all()
            for row in rows:
                connection.execute(update(handoff_requests).where(and_(
                    handoff_requests.c.id == row.id, handoff_requests.c.escalated_at.is_(None)))
                    .values(escalated_at=now))
                self._notify(connection, "escalation", row.id, now)
                self._audit(connection, None, "escalate", row.id, now)
                escalated.append(self._get(connection, row.id))
        return escalated

    # -- deliveries to her ----------------------------------------------------------------------------------------
    def pending_deliveries(self, channels: Iterable[str] | None = None,
                           limit: int = 50) -> list[tuple[Request, Message]]:
        query = (select(handoff_messages)
                 .join(handoff_requests, handoff_requests.c.id == handoff_messages.c.request_id)
                 .where(handoff_messages.c.delivery == PENDING))
        if channels is not None:
            query = query.where(handoff_requests.c.channel.in_(list(channels)))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(handoff_messages.c.id).limit(limit)).all()
            requests = {row.request_id: self._get(connection, row.request_id) for row in rows}
        return [(requests[row.request_id], self._message(row)) for row in rows]

    def mark_delivery(self, message_id: int, state: str) -> None:
        """Record a sending attempt. A failure stays queued until :data:`MAX_DELIVERY_ATTEMPTS`, then shows as
        failed in the console (where staff can send it again)."""
        now = self.clock()
        with self.engine.begin() as connection:
            row = connection.execute(select(handoff_messages.c.delivery_attempts)
                                     .where(handoff_messages.c.id == message_id)).one()
            attempts = row.delivery_attempts + 1
            if state == FAILED and attempts < MAX_DELIVERY_ATTEMPTS:
                state = PENDING
            values = {"delivery": state, "delivery_attempts": attempts}
            if state in (SENT, PULLED):
                values["delivered_at"] = now
            connection.execute(update(handoff_messages).where(handoff_messages.c.id == message_id).values(**values))

    def retry_delivery(self, message_id: int, staff_id: int) -> None:
        """Put a failed or held message back in the queue (a staff action)."""
        with self.engine.begin() as connection:
            row = connection.execute(select(handoff_messages).where(handoff_messages.c.id == message_id)).first()
            if row is None or row.delivery not in (FAILED, HELD):
                raise HandoffError("only a failed or held message can be sent again")
            connection.execute(update(handoff_messages).where(handoff_messages.c.id == message_id)
                               .values(delivery=PENDING, delivery_attempts=0))
            self._audit(connection, staff_id, "retry_delivery", row.request_id, self.clock())

    def pull(self, sender_id: str) -> list[str]:
        """Messages queued for her on a channel that cannot be pushed to (web chat, REST): returned once."""
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(handoff_messages).join(handoff_requests, handoff_requests.c.id == handoff_messages.c.request_id)
                .where(and_(handoff_requests.c.sender_id == sender_id, handoff_messages.c.delivery == PENDING))
                .order_by(handoff_messages.c.id)).all()
            if rows:
                connection.execute(update(handoff_messages).where(handoff_messages.c.id.in_([r.id for r in rows]))
                                   .values(delivery=PULLED, delivered_at=self.clock()))
        return [self._message(row).text for row in rows]

    # -- notifications -------------------------------------------------------------------------------------------
    def due_notifications(self, limit: int = 20) -> list[Notification]:
        now = self.clock()
        with self.engine.connect() as connection:
            rows = connection.execute(select(staff_notifications).where(and_(
                staff_notifications.c.sent_at.is_(None), staff_notifications.c.next_attempt_at <= now,
                staff_notifications.c.attempts < MAX_NOTIFY_ATTEMPTS)).order_by(staff_notifications.c.id)
                .limit(limit)).all()
        return [Notification(r.id, r.kind, r.request_id, r.attempts) for r in rows]

    def notification_done(self, notification_id: int, error: str | None = None) -> None:
        """Record a sending attempt: done, or failed with a delay before the next try (30 s, 1 min, 2 min ...)."""
        now = self.clock()
        with self.engine.begin() as connection:
            row = connection.execute(select(staff_notifications)
                                     .where(staff_notifications.c.id == notification_id)).one()
            attempts = row.attempts + 1
            values = {"attempts": attempts}
            if error is None:
                values.update(sent_at=now, last_error=None)
            else:
                values.update(last_error=error[:200],
                              next_attempt_at=now + timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1))))
            connection.execute(update(staff_notifications).where(staff_notifications.c.id == notification_id)
                               .values(**values))

    def failed_notifications(self) -> int:
        """How many notifications have not been sent yet after at least one failure (shown to admins)."""
        with self.engine.connect() as connection:
            return len(connection.execute(select(staff_notifications.c.id).where(and_(
                staff_notifications.c.sent_at.is_(None), staff_notifications.c.attempts > 0))).all())

    # -- audit -------------------------------------------------------------------------------------------------------
    def audit(self, staff_id: int | None, action: str, request_id: int | None = None, detail: str = "") -> None:
        with self.engine.begin() as connection:
            self._audit(connection, staff_id, action, request_id, self.clock(), detail)

    # -- internals ---------------------------------------------------------------------------------------------------
    def _get(self, connection: Connection, request_id: int) -> Request | None:
        row = connection.execute(select(handoff_requests).where(handoff_requests.c.id == request_id)).first()
        return _request(row) if row else None

    def _require(self, connection: Connection, request_id: int) -> Request:
        request = self._get(connection, request_id)
        if request is None:
            raise HandoffError("no such request")
        return request

    def _active(self, connection: Connection, sender_id: str) -> Request | None:
        row = connection.execute(select(handoff_requests).where(and_(
            handoff_requests.c.sender_id == sender_id, handoff_requests.c.status.in_(OPEN_STATES)))
            .order_by(handoff_requests.c.id.desc())).first()
        return _request(row) if row else None

    def _to_her(self, connection: Connection, request: Request, text: str, now: datetime) -> None:
        connection.execute(handoff_messages.insert().values(
            request_id=request.id, created_at=now, author=BOT, body=self._seal(text), translation="none",
            urgent=False, delivery=PENDING, delivery_attempts=0))

    @staticmethod
    def _notify(connection: Connection, kind: str, request_id: int, now: datetime) -> None:
        connection.execute(staff_notifications.insert().values(
            kind=kind, request_id=request_id, created_at=now, attempts=0, next_attempt_at=now))

    @staticmethod
    def _audit(connection: Connection, staff_id: int | None, action: str, request_id: int | None, now: datetime,
               detail: str = "") -> None:
        connection.execute(audit_log.insert().values(at=now, staff_id=staff_id, action=action, request_id=request_id,
                                                     detail=detail[:200]))

