"""Telling staff about handoff requests: e-mail (SMTP), a signed webhook and a Telegram staff group.

Three kinds of notice exist:

- ``new_request``: she asked for a person (or an interpreter); someone must claim the request by ``due_at``;
- ``escalation``: nobody claimed it in time; it goes to a second list of people (``DOULA_ESCALATE_*``);
- ``urgent``: a red-flag symptom came up while the request was open; it goes to the first list, loudly.

Privacy: a :class:`Notice` holds ONLY the fields declared on it (request number, language, reason code, channel
name, times and a console link). It never contains her message text, phone number, chat id or sender id, so
nothing about her leaves the system through e-mail, a third-party webhook or Telegram. Staff follow the console
link (which asks them to log in) to read the conversation. Keep it that way: do not add free-text fields.

Each notifier is one destination. :func:`notifiers_for` builds the configured ones from :class:`Settings`; the
caller (a worker that retries) calls ``await notifier.send(notice)`` for each, and on :class:`NotifyError` tries
that notifier again later. Delivery is therefore at-least-once: a notice whose success reply was lost may arrive
twice, and ``(kind, request_id)`` identifies a notice for anyone who wants to drop duplicates. ``Notifier.name``
(``email``, ``webhook``, ``telegram``) is unique within one list, so the worker can record which ones succeeded.

Wording lives in ``content/staff/notifications.yml`` (staff are users too: every text is content, not code).

Usage::

    notice = Notice(kind="new_request", request_id=42, language="so", language_name="Somali",
                    reason="asked_for_person", channel="sms", created_at=now, due_at=now + sla,
                    console_url=f"{settings.console_url}/requests/42", timezone=settings.timezone)
    for notifier in notifiers_for(settings, notice.kind):
        try:
            await notifier.send(notice)
        except NotifyError:
            ...  # schedule a retry of this notifier
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import string
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx
from telegram import Bot, LinkPreviewOptions
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.content.catalog import ContentError, load_ui
from bot.paths import CONTENT_DIR
from bot.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

# httpx logs every request URL at INFO, and a Telegram Bot API URL contains the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)

KINDS = ("new_request", "escalation", "urgent")
TEXTS_FILE = Path("staff") / "notifications.yml"
TIME_FORMAT = "%H:%M on %d/%m/%Y"  # how staff in the UK read a time: 14:30 on 05/03/2025

# Placeholders the texts may use; anything else is a typo that must fail when the file is loaded, not at 3 a.m.
NOTICE_PLACEHOLDERS = frozenset({"kind", "request_id", "language", "language_name", "reason", "channel",
                                 "created", "due", "timezone", "console_url"})
REASON_PLACEHOLDERS = frozenset({"category"})


class NotifyError(Exception):
    """A notifier failed (refused, unreachable, timed out); the caller (a worker with retries) will try again later.

    The message names the destination by host only and never holds a password, token or secret URL.
    """


# ---------------------------------------------------------------------------------------------------------------
# Texts


@dataclass(frozen=True)
class StaffTexts:
    """The staff notification texts of ``content/staff/notifications.yml``: ``key -> template``."""

    messages: dict[str, str]

    def render(self, key: str, **values: object) -> str:
        return self.messages[key].format(**values)

    def reason(self, code: str) -> str:
        """The phrase for a reason code: ``red_flag:bleeding`` -> "a red-flag topic came up (bleeding)"."""
        head, _, detail = code.partition(":")
        template = self.messages.get(f"reason.{head}")
        if template is None:
            return code  # an unknown code is still more useful to staff than nothing
        return template.format(category=detail.replace("_", " ") or "unspecified")

    def channel(self, code: str) -> str:
        return self.messages.get(f"channel.{code}", code)


def read_staff_texts(content_dir: Path = CONTENT_DIR) -> StaffTexts:
    """Load and check the staff texts: every kind has a subject and a body, and only known placeholders are used."""
    path = content_dir / TEXTS_FILE
    messages = load_ui(path).messages
    problems = [f"{key} is missing" for kind in KINDS for key in (f"subject.{kind}", f"body.{kind}")
                if key not in messages]
    for key, template in messages.items():
        allowed = REASON_PLACEHOLDERS if key.startswith("reason.") else NOTICE_PLACEHOLDERS
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        except ValueError as exc:  # an unbalanced brace
            problems.append(f"{key}: {exc}")
            continue
        if names - allowed:
            problems.append(f"{key}: unknown placeholder(s) {', '.join(sorted(names - allowed))}")
    if problems:
        raise ContentError(f"{path}: {'; '.join(problems)}")
    return StaffTexts(messages)


@lru_cache(maxsize=2)
def load_staff_texts(content_dir: Path = CONTENT_DIR) -> StaffTexts:
    """:func:`read_staff_texts`, once per process: content is static for a deployment."""
    return read_staff_texts(content_dir)


# ---------------------------------------------------------------------------------------------------------------
# The notice


def _one_line(text: str) -> str:
    # A subject goes into a mail header and a chat preview: a stray newline must not start a new header line.
    return " ".join(text.split())


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Notice:
    """What staff are told about one handoff request. Every field is safe to send outside the system.

    ``created_at`` and ``due_at`` must be timezone-aware (UTC is expected); texts show them in ``timezone`` (the
    deployment's ``DOULA_TIMEZONE``) as "HH:MM on DD/MM/YYYY". ``console_url`` is the link to this request in the
    staff console. Do not put anything she wrote, or any identifier of her, in any field.
    """

    kind: str  # "new_request" | "escalation" | "urgent"
    request_id: int
    language: str  # ISO code, e.g. "so"
    language_name: str  # e.g. "Somali"
    reason: str  # "asked_for_person", "not_understood", "language", "red_flag:<category>"
    channel: str  # "sms" | "whatsapp" | "telegram" | "webchat" | "rest"
    created_at: datetime
    due_at: datetime
    console_url: str
    timezone: str = "Europe/London"

    def __post_init__(self) -> None:
        # Fail where the notice is built (a programming error), not later inside a retrying worker.
        if self.kind not in KINDS:
            raise ValueError(f"Notice.kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        for name in ("created_at", "due_at"):
            moment = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"Notice.{name} must be timezone-aware (UTC), got {moment!r}")
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"Notice.timezone must be an IANA time zone, got {self.timezone!r}") from exc

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(ZoneInfo(self.timezone)).strftime(TIME_FORMAT)

    def _values(self, texts: StaffTexts) -> dict[str, object]:
        return {
            "kind": self.kind,
            "request_id": self.request_id,
            "language": self.language,
            "language_name": self.language_name,
            "reason": texts.reason(self.reason),
            "channel": texts.channel(self.channel),
            "created": self._local(self.created_at),
            "due": self._local(self.due_at),
            "timezone": self.timezone,
            "console_url": self.console_url,
        }

    def subject(self) -> str:
        """One line: the e-mail subject, and the first line of the Telegram message."""
        texts = load_staff_texts()
        return _one_line(texts.render(f"subject.{self.kind}", **self._values(texts)))

    def body(self) -> str:
        """Plain text (no HTML, no Markdown), so no channel can misread it as markup."""
        texts = load_staff_texts()
        return texts.render(f"body.{self.kind}", **self._values(texts))

    def as_json(self) -> dict:
        """The webhook payload: every field (times as ISO 8601 UTC) plus the rendered ``subject`` and ``text``.

        Example::

            {"kind": "new_request", "request_id": 42, "language": "so", "language_name": "Somali",
             "reason": "asked_for_person", "channel": "sms", "created_at": "2025-03-05T14:00:00+00:00",
             "due_at": "2025-03-05T14:30:00+00:00", "timezone": "Europe/London",
             "console_url": "https://console.example/requests/42", "subject": "New Somali request #42: ...",
             "text": "A woman has asked ..."}
        """
        return {
            "kind": self.kind,
            "request_id": self.request_id,
            "language": self.language,
            "language_name": self.language_name,
            "reason": self.reason,
            "channel": self.channel,
            "created_at": _iso_utc(self.created_at),
            "due_at": _iso_utc(self.due_at),
            "timezone": self.timezone,
            "console_url": self.console_url,
            "subject": self.subject(),
            "text": self.body(),
        }


# ---------------------------------------------------------------------------------------------------------------
# Notifiers


class Notifier(Protocol):
    """One destination for notices. ``name`` is stable and unique within a list (``email``, ``webhook``, ...)."""

    name: str

    async def send(self, notice: Notice) -> None:
        """Deliver `notice`, or raise :class:`NotifyError` on any failure (timeouts included)."""
        ...


def _failure(destination: str, exc: BaseException, *secrets: str) -> NotifyError:
    """A NotifyError describing `exc`, with `secrets` blanked out.

    Raise it ``from None``: libraries put secrets in their own messages (python-telegram-bot's InvalidToken quotes
    the token), and a chained exception would print that message unredacted in the worker's log.
    """
    detail = str(exc) or ("timed out" if isinstance(exc, (TimeoutError, asyncio.TimeoutError)) else "no detail")
    for secret in secrets:
        if secret:
            detail = detail.replace(secret, "<redacted>")
    return NotifyError(f"{destination}: {type(exc).__name__}: {detail}")


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


@dataclass(frozen=True)
class _SmtpServer:
    host: str
    port: int
    user: str
    password: str
    implicit_tls: bool  # smtps://: TLS from the first byte (usually port 465)
    starttls: bool  # smtp://...?starttls=true: upgrade to TLS before logging in (usually port 587)


def _parse_smtp_url(url: str) -> _SmtpServer:
    # The message never repeats the URL: it holds the password.
    usage = "SMTP_URL must look like smtp://user:password@host:587?starttls=true or smtps://user:password@host:465"
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SettingsError(usage)
    try:
        port = parts.port
    except ValueError:
        raise SettingsError(f"{usage} (the port is not a number)") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    if set(query) - {"starttls"}:
        raise SettingsError(f"{usage} (unknown option {', '.join(sorted(set(query) - {'starttls'}))})")
    flag = query.get("starttls", ["false"])[-1].lower()
    if flag not in _TRUE + _FALSE:
        raise SettingsError(f"{usage} (starttls must be true or false)")
    implicit_tls, starttls = parts.scheme == "smtps", flag in _TRUE
    if implicit_tls and starttls:
        raise SettingsError(f"{usage} (smtps:// is already encrypted: drop ?starttls=true)")
    return _SmtpServer(
        host=parts.hostname,
        port=port or (465 if implicit_tls else 587 if starttls else 25),
        # Percent-decoded, so a password may contain @ : / as %40 %3A %2F.
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        implicit_tls=implicit_tls,
        starttls=starttls,
    )


class SmtpNotifier:
    """E-mails a notice to `recipients` through the server of `url` (``SMTP_URL``).

    ``smtp://user:password@host:port?starttls=true`` upgrades the connection with STARTTLS before logging in;
    ``smtps://user:password@host:port`` uses TLS from the start; plain ``smtp://host:25`` suits a local relay.
    User and password are percent-decoded; AUTH is used only when a user is given. Certificates are verified.
    `timeout` (seconds) bounds each network operation. smtplib blocks, so it runs in a worker thread.
    """

    name = "email"

    def __init__(self, url: str, sender: str, recipients: tuple[str, ...], timeout: float = 10) -> None:
        if not recipients:
            raise ValueError("SmtpNotifier needs at least one recipient")
        self._server = _parse_smtp_url(url)
        self._sender = sender
        self._recipients = tuple(recipients)
        self._timeout = timeout
        server = self._server
        encrypted = server.implicit_tls or server.starttls
        if server.user and not encrypted and server.host not in ("localhost", "127.0.0.1", "::1"):
            logger.warning("SMTP_URL sends the password to %s unencrypted: use smtps:// or ?starttls=true",
                           server.host)

    def __repr__(self) -> str:  # never the password
        return f"SmtpNotifier({self._server.host}:{self._server.port}, {len(self._recipients)} recipient(s))"

    def _message(self, notice: Notice) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = notice.subject()
        message["From"] = self._sender
        message["To"] = ", ".join(self._recipients)
        message["Date"] = email.utils.format_datetime(datetime.now(timezone.utc))
        # The sender's domain rather than this machine's name, which may be an internal host name.
        domain = email.utils.parseaddr(self._sender)[1].rpartition("@")[2]  # "Doula <doula@trust>" -> "trust"
        message["Message-ID"] = email.utils.make_msgid("doula", domain=domain or "localhost")
        # RFC 3834: tells staff mailboxes not to send out-of-office replies to a robot.
        message["Auto-Submitted"] = "auto-generated"
        if notice.kind == "urgent":
            message["Importance"] = "high"
            message["X-Priority"] = "1"
        message.set_content(notice.body())
        return message

    def _deliver(self, message: EmailMessage) -> dict:
        server = self._server
        context = ssl.create_default_context() if server.implicit_tls or server.starttls else None
        client: smtplib.SMTP
        if server.implicit_tls:
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=self._timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=self._timeout)
        with client:  # sends QUIT and closes, also after a failure
            if server.starttls:
                client.starttls(context=context)
            if server.user:
                client.login(server.user, server.password)
            return client.send_message(message, from_addr=self._sender, to_addrs=list(self._recipients))

    async def send(self, notice: Notice) -> None:
        destination = f"e-mail via {self._server.host}:{self._server.port}"
        try:
            refused = await asyncio.to_thread(self._deliver, self._message(notice))
        except (smtplib.SMTPException, OSError, ValueError) as exc:  # OSError covers timeouts, refusals and TLS
            raise _failure(destination, exc, self._server.password) from None
        if refused:
            # The others have it: raising would make the worker send it to them again. Staff addresses are not
            # her data, so they may be logged.
            logger.warning("%s: %s notice #%s refused for %s", destination, notice.kind, notice.request_id,
                           ", ".join(sorted(refused)))


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Doula-Signature`` value: ``"sha256=" + hex(HMAC-SHA256(secret, f"{timestamp}." + body))``."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookNotifier:
    """POSTs a notice as JSON (:meth:`Notice.as_json`) to `url`, signed with `secret` (``DOULA_WEBHOOK_SECRET``).

    The request carries:

    - ``Content-Type: application/json``; the body is ASCII-only JSON (non-ASCII characters are \\u-escaped);
    - ``X-Doula-Event``: the notice's kind;
    - ``X-Doula-Timestamp``: the time of sending, in whole unix seconds;
    - ``X-Doula-Signature``: ``sha256=`` followed by the lower-case hex HMAC-SHA256, keyed with the secret (UTF-8),
      of the bytes ``<X-Doula-Timestamp> "." <raw request body>``.

    To verify, a receiver recomputes the HMAC over the header's timestamp, a dot and the body exactly as received
    (before any JSON parsing), compares in constant time, and rejects timestamps more than about five minutes
    from its clock, so that a captured request cannot be replayed later. Any 2xx answer is success; anything else
    (redirects included: they are not followed) raises :class:`NotifyError`. `timeout` (seconds) bounds the whole
    request.
    """

    name = "webhook"

    def __init__(self, url: str, secret: str, timeout: float = 5) -> None:
        if not secret:
            raise ValueError("WebhookNotifier needs a secret to sign with")
        self._url = url
        self._secret = secret
        self._timeout = timeout
        # Errors name the host only: webhook URLs (Slack, Teams) often carry a secret in their path.
        self._destination = f"webhook to {urlsplit(url).hostname or 'an invalid URL'}"

    def __repr__(self) -> str:
        return f"WebhookNotifier({self._destination})"

    async def send(self, notice: Notice) -> None:
        body = json.dumps(notice.as_json()).encode("ascii")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "doula-notifier",
            "X-Doula-Event": notice.kind,
            "X-Doula-Timestamp": str(timestamp),
            "X-Doula-Signature": webhook_signature(self._secret, timestamp, body),
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
                # httpx's timeout is per operation; wait_for bounds the whole exchange (a server that trickles).
                response = await asyncio.wait_for(client.post(self._url, content=body, headers=headers),
                                                  self._timeout)
        except (httpx.HTTPError, httpx.InvalidURL, asyncio.TimeoutError, OSError) as exc:
            raise _failure(self._destination, exc, self._url) from None
        if not 200 <= response.status_code < 300:
            raise NotifyError(f"{self._destination}: answered HTTP {response.status_code}")


class TelegramNotifier:
    """Sends a notice to a Telegram chat (the staff group, ``DOULA_NOTIFY_TELEGRAM_CHAT``) as the doula bot.

    The text is the subject, a blank line and the body, as plain text (no parse mode, so nothing needs escaping).
    Link previews are off: Telegram's servers would otherwise fetch the console link. `timeout` (seconds) bounds
    the whole exchange. The bot must be a member of the group and allowed to post.
    """

    name = "telegram"

    def __init__(self, token: str, chat_id: str, api_url: str = "https://api.telegram.org",
                 timeout: float = 10) -> None:
        self._token = token
        self._chat_id = chat_id
        self._api_url = api_url.rstrip("/")
        self._timeout = timeout

    def __repr__(self) -> str:  # never the token
        return f"TelegramNotifier(chat {self._chat_id})"

    async def _send(self, text: str) -> None:
        t = self._timeout
        request = HTTPXRequest(connection_pool_size=1, connect_timeout=t, read_timeout=t, write_timeout=t,
                               pool_timeout=t)
        # A Bot per notice: notices are rare, and a Bot's HTTP client belongs to the event loop it was opened in.
        bot = Bot(self._token, base_url=f"{self._api_url}/bot", request=request)
        async with bot:  # initialize (getMe, which also checks the token) ... shutdown
            await bot.send_message(chat_id=self._chat_id, text=text,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))

    async def send(self, notice: Notice) -> None:
        text = f"{notice.subject()}\n\n{notice.body()}"
        try:
            await asyncio.wait_for(self._send(text), self._timeout)
        except (TelegramError, asyncio.TimeoutError, httpx.HTTPError, OSError) as exc:
            raise _failure(f"telegram chat {self._chat_id}", exc, self._token) from None


def notifiers_for(settings: Settings, kind: str) -> list[Notifier]:
    """The configured notifiers for notices of `kind`: e-mail, then webhook, then Telegram.

    ``new_request`` and ``urgent`` go to the primary list (``DOULA_NOTIFY_EMAIL``, ``DOULA_NOTIFY_WEBHOOK``,
    ``DOULA_NOTIFY_TELEGRAM_CHAT``); ``escalation`` goes to the escalation list (``DOULA_ESCALATE_*``). The list is
    empty when nothing is configured. A malformed ``SMTP_URL`` raises :class:`SettingsError`.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "escalation":
        emails, webhook, chat = settings.escalate_email, settings.escalate_webhook, settings.escalate_telegram_chat
    else:
        emails, webhook, chat = settings.notify_email, settings.notify_webhook, settings.notify_telegram_chat
    notifiers: list[Notifier] = []
    if emails:
        notifiers.append(SmtpNotifier(settings.smtp_url, settings.mail_from, emails))
    if webhook:
        notifiers.append(WebhookNotifier(webhook, settings.webhook_secret))
    if chat:
        notifiers.append(TelegramNotifier(settings.telegram_token, chat, settings.telegram_api_url))
    return notifiers
