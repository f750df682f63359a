"""Staff notifiers against loopback fakes of an SMTP server, a webhook receiver and the Telegram Bot API."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
import socket
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.content.catalog import ContentError
from bot.services.handoff.notifiers import (
    Notice,
    NotifyError,
    SmtpNotifier,
    TelegramNotifier,
    WebhookNotifier,
    _parse_smtp_url,
    load_staff_texts,
    notifiers_for,
    read_staff_texts,
)
from bot.settings import Settings, SettingsError
from tests.fakes.smtp_server import FakeSmtp, start_fake_smtp
from tests.fakes.telegram_api import TOKEN, FakeTelegram, start_fake_telegram
from tests.fakes.webhook_receiver import FakeWebhookReceiver, start_fake_webhook_receiver

SECRET = "webhook-secret-0123456789"
STAFF_CHAT, ESCALATION_CHAT = "-1001000000001", "-1001000000002"
# 13:00 UTC in July is 14:00 in London (BST): the texts must show local time.
CREATED = datetime(2025, 7, 1, 13, 0, tzinfo=timezone.utc)
ALLOWED_FIELDS = {"kind", "request_id", "language", "language_name", "reason", "channel", "created_at", "due_at",
                  "console_url", "timezone"}


def make_notice(kind: str = "new_request", **changes: object) -> Notice:
    values: dict = dict(kind=kind, request_id=42, language="so", language_name="Somali", reason="asked_for_person",
                        channel="sms", created_at=CREATED, due_at=CREATED + timedelta(minutes=30),
                        console_url="https://console.example.nhs.uk/requests/42", timezone="Europe/London")
    values.update(changes)
    return Notice(**values)


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (the kernel does) and never answers: a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    fake = start_fake_smtp()
    yield fake
    fake.stop()


@pytest.fixture
def receiver() -> Iterator[FakeWebhookReceiver]:
    fake = start_fake_webhook_receiver()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def telegram_server() -> Iterator[FakeTelegram]:
    # One for the module: stopping the shared fake takes half a second (its serve_forever polls twice a second).
    fake = start_fake_telegram()
    yield fake
    fake.stop()


@pytest.fixture
def telegram(telegram_server: FakeTelegram) -> FakeTelegram:
    with telegram_server.lock:
        telegram_server.calls.clear()
    return telegram_server


# --- the notice and its texts ----------------------------------------------------------------------------------


def test_new_request_text_shows_local_times_and_the_console_link():
    notice = make_notice()
    assert notice.subject() == "New Somali request #42: claim by 14:30 on 01/07/2025"
    body = notice.body()
    assert "she asked to talk to a person" in body and "Somali (so)" in body and "SMS" in body
    assert "claim her request by 14:30 on 01/07/2025 (Europe/London)" in body
    assert "14:00 on 01/07/2025 (Europe/London)" in body and "https://console.example.nhs.uk/requests/42" in body


def test_escalation_and_urgent_texts():
    escalation = make_notice("escalation")
    assert escalation.subject().startswith("NOT CLAIMED: Somali request #42")
    urgent = make_notice("urgent", reason="red_flag:domestic_abuse", channel="whatsapp")
    assert urgent.subject() == "URGENT: red-flag symptom during request #42 (Somali)"
    assert "domestic abuse" in urgent.body() and "WhatsApp" in urgent.body()


def test_due_time_follows_the_deployment_time_zone():
    assert "claim by 13:00 on 01/07/2025" in make_notice(timezone="UTC", due_at=CREATED).subject()
    winter = datetime(2025, 1, 10, 9, 5, tzinfo=timezone.utc)  # GMT: London equals UTC
    assert "claim by 09:05 on 10/01/2025" in make_notice(due_at=winter).subject()


def test_unknown_reason_and_channel_codes_are_shown_as_they_are():
    body = make_notice(reason="something_new", channel="carrier_pigeon").body()
    assert "something_new" in body and "carrier_pigeon" in body


def test_a_notice_has_no_field_for_her_message_or_contact_details():
    assert {f.name for f in dataclasses.fields(Notice)} == ALLOWED_FIELDS
    with pytest.raises(TypeError):
        make_notice(message="I am bleeding, call me on 07700 900123")


@pytest.mark.parametrize("kind", ["new_request", "escalation", "urgent"])
def test_rendered_notices_carry_only_the_allowed_fields(kind):
    notice = make_notice(kind)
    payload = notice.as_json()
    assert set(payload) == ALLOWED_FIELDS | {"subject", "text"}
    for text in (notice.subject(), notice.body(), json.dumps(payload)):
        assert not re.search(r"\+?\d(?:[ ()-]?\d){9,}", text), "something like a phone number"
    assert "{" not in notice.subject() + notice.body(), "a placeholder left unfilled"
    assert payload["created_at"] == "2025-07-01T13:00:00+00:00" and payload["due_at"] == "2025-07-01T13:30:00+00:00"


@pytest.mark.parametrize("changes", [{"kind": "reminder"}, {"created_at": datetime(2025, 7, 1, 13, 0)},
                                     {"timezone": "Mars/Olympus"}])
def test_malformed_notices_are_refused_where_they_are_built(changes):
    with pytest.raises(ValueError):
        make_notice(**changes)


def test_the_content_file_is_complete_and_cached():
    assert load_staff_texts() is load_staff_texts()
    read_staff_texts()  # the real file passes the checks


@pytest.mark.parametrize("messages, problem", [
    ('subject.new_request: "Request {request_id} from {phone}"', "unknown placeholder"),
    ('subject.new_request: "Request {request_id"', "subject.new_request"),
])
def test_broken_content_is_refused_when_loaded(tmp_path: Path, messages, problem):
    real = (Path(__file__).resolve().parents[3] / "content" / "staff" / "notifications.yml").read_text()
    broken = re.sub(r"^  subject\.new_request:.*$", "  " + messages, real, flags=re.MULTILINE)
    (tmp_path / "staff").mkdir()
    (tmp_path / "staff" / "notifications.yml").write_text(broken)
    with pytest.raises(ContentError, match=problem):
        read_staff_texts(tmp_path)


def test_missing_texts_are_refused(tmp_path: Path):
    (tmp_path / "staff").mkdir()
    (tmp_path / "staff" / "notifications.yml").write_text("meta: {language: en}\nmessages:\n  subject.urgent: x\n")
    with pytest.raises(ContentError, match="body.urgent is missing"):
        read_staff_texts(tmp_path)


# --- e-mail ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
async def test_email_is_sent_with_login(mechanism):
    smtp = start_fake_smtp(credentials=("staff@trust.nhs.uk", "p@ss:w/rd"), mechanisms=(mechanism,))
    try:
        url = smtp.url("staff%40trust.nhs.uk", "p%40ss%3Aw%2Frd")  # percent-encoded in the URL
        notifier = SmtpNotifier(url, "doula@trust.nhs.uk", ("a@trust.nhs.uk", "b@trust.nhs.uk"), timeout=2)
        await notifier.send(make_notice())
        [mail] = smtp.received
    finally:
        smtp.stop()
    assert mail.login == ("staff@trust.nhs.uk", "p@ss:w/rd") and mail.mechanism == mechanism
    assert mail.sender == "doula@trust.nhs.uk" and mail.recipients == ("a@trust.nhs.uk", "b@trust.nhs.uk")
    message = mail.message
    assert message["Subject"] == "New Somali request #42: claim by 14:30 on 01/07/2025"
    assert message["From"] == "doula@trust.nhs.uk" and message["Auto-Submitted"] == "auto-generated"
    assert message.get_content().replace("\r\n", "\n").strip() == make_notice().body()


async def test_email_without_a_user_does_not_log_in(smtp: FakeSmtp):
    await SmtpNotifier(smtp.url(), "doula@localhost", ("staff@localhost",), timeout=2).send(make_notice("urgent"))
    [mail] = smtp.received
    assert smtp.auth_attempts == [] and mail.login is None
    assert mail.message["Importance"] == "high" and mail.message["Subject"].startswith("URGENT:")


async def test_wrong_smtp_password_is_a_notify_error_that_hides_the_password():
    smtp = start_fake_smtp(credentials=("staff", "right-password"))
    try:
        with pytest.raises(NotifyError) as error:
            await SmtpNotifier(smtp.url("staff", "wrong-password"), "d@x", ("s@x",), timeout=2).send(make_notice())
    finally:
        smtp.stop()
    assert "wrong-password" not in str(error.value) and error.value.__cause__ is None
    assert smtp.received == []


@pytest.mark.parametrize("failure", ["451", "close"])
async def test_smtp_server_failure_is_a_notify_error(smtp: FakeSmtp, failure):
    smtp.script.append(failure)
    with pytest.raises(NotifyError, match="e-mail via 127.0.0.1"):
        await SmtpNotifier(smtp.url(), "d@localhost", ("s@localhost",), timeout=2).send(make_notice())
    assert smtp.received == []


async def test_smtp_timeout_is_a_notify_error(smtp: FakeSmtp):
    smtp.script.append("hang")
    started = time.monotonic()
    with pytest.raises(NotifyError):
        await SmtpNotifier(smtp.url(), "d@localhost", ("s@localhost",), timeout=0.3).send(make_notice())
    assert time.monotonic() - started < 2


async def test_unreachable_smtp_server_is_a_notify_error():
    with pytest.raises(NotifyError):
        await SmtpNotifier(f"smtp://127.0.0.1:{closed_port()}", "d@x", ("s@x",), timeout=1).send(make_notice())


def test_smtp_urls():
    server = _parse_smtp_url("smtp://u%40x:p%25w@mail.example:2525?starttls=true")
    assert (server.host, server.port, server.user, server.password) == ("mail.example", 2525, "u@x", "p%w")
    assert server.starttls and not server.implicit_tls
    assert _parse_smtp_url("smtp://mail.example?starttls=true").port == 587
    assert _parse_smtp_url("smtps://mail.example").port == 465 and _parse_smtp_url("smtps://m.example").implicit_tls
    assert _parse_smtp_url("smtp://mail.example").port == 25
    for bad in ("http://mail.example", "smtp://", "smtp://h:port", "smtp://h?tls=1", "smtps://h?starttls=true"):
        with pytest.raises(SettingsError):
            _parse_smtp_url(bad)
    with pytest.raises(SettingsError) as error:
        SmtpNotifier("smtp://user:hunter2secret@h:x", "d@x", ("s@x",))
    assert "hunter2secret" not in str(error.value)
    assert "hunter2secret" not in repr(SmtpNotifier("smtp://user:hunter2secret@h", "d@x", ("s@x",)))


# --- webhook ---------------------------------------------------------------------------------------------------


async def test_webhook_posts_signed_json(receiver: FakeWebhookReceiver):
    notice = make_notice("escalation")
    await WebhookNotifier(receiver.url, SECRET, timeout=2).send(notice)
    [post] = receiver.received
    assert post.path == "/hooks/doula" and post.headers["content-type"] == "application/json"
    assert post.headers["x-doula-event"] == "escalation"
    timestamp = post.headers["x-doula-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    # Verified as a receiver would: HMAC-SHA256 of "<timestamp>.<raw body>", compared in constant time.
    expected = "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + post.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(post.headers["x-doula-signature"], expected)
    assert post.json() == notice.as_json()


@pytest.mark.parametrize("status", [500, 404, 302])
async def test_webhook_non_2xx_is_a_notify_error(receiver: FakeWebhookReceiver, status):
    receiver.script.append(status)
    with pytest.raises(NotifyError, match=str(status)):
        await WebhookNotifier(receiver.url, SECRET, timeout=2).send(make_notice())


async def test_webhook_timeout_is_a_notify_error(receiver: FakeWebhookReceiver):
    receiver.script.append("hang")
    started = time.monotonic()
    with pytest.raises(NotifyError):
        await WebhookNotifier(receiver.url, SECRET, timeout=0.3).send(make_notice())
    assert time.monotonic() - started < 2


async def test_unreachable_webhook_is_a_notify_error_that_hides_the_url_path():
    url = f"http://127.0.0.1:{closed_port()}/hooks/T000/secret-path-token"
    with pytest.raises(NotifyError) as error:
        await WebhookNotifier(url, SECRET, timeout=1).send(make_notice())
    assert "secret-path-token" not in str(error.value)


# --- Telegram --------------------------------------------------------------------------------------------------


async def test_telegram_message_goes_to_the_staff_chat(telegram: FakeTelegram):
    notice = make_notice("urgent", reason="red_flag:bleeding")
    await TelegramNotifier(TOKEN, STAFF_CHAT, telegram.url, timeout=2).send(notice)
    [sent] = telegram.sent_to(int(STAFF_CHAT))
    assert sent["text"] == f"{notice.subject()}\n\n{notice.body()}"
    assert sent["text"].startswith("URGENT: red-flag symptom during request #42")
    assert "parse_mode" not in sent and json.loads(sent["link_preview_options"]) == {"is_disabled": True}


async def test_telegram_rejected_token_is_a_notify_error_that_hides_the_token(telegram: FakeTelegram):
    wrong = "999999:wrong-token-that-must-not-be-logged"
    with pytest.raises(NotifyError) as error:
        await TelegramNotifier(wrong, STAFF_CHAT, telegram.url, timeout=2).send(make_notice())
    assert "wrong-token-that-must-not-be-logged" not in str(error.value) and error.value.__cause__ is None
    assert telegram.sent_to(int(STAFF_CHAT)) == []


async def test_telegram_timeout_is_a_notify_error(silent_port: int):
    started = time.monotonic()
    with pytest.raises(NotifyError):
        await TelegramNotifier(TOKEN, STAFF_CHAT, f"http://127.0.0.1:{silent_port}", timeout=0.3).send(make_notice())
    assert time.monotonic() - started < 2


async def test_unreachable_telegram_is_a_notify_error():
    with pytest.raises(NotifyError):
        await TelegramNotifier(TOKEN, STAFF_CHAT, f"http://127.0.0.1:{closed_port()}", timeout=1).send(make_notice())


# --- which notifiers -------------------------------------------------------------------------------------------


def test_nothing_configured_means_no_notifiers():
    settings = Settings.from_env({})
    assert all(notifiers_for(settings, kind) == [] for kind in ("new_request", "escalation", "urgent"))
    with pytest.raises(ValueError):
        notifiers_for(settings, "reminder")


def test_only_the_configured_channels_are_used():
    settings = Settings.from_env({"DOULA_ESCALATE_WEBHOOK": "https://hooks.example/x", "DOULA_WEBHOOK_SECRET": SECRET})
    assert notifiers_for(settings, "new_request") == []
    assert [n.name for n in notifiers_for(settings, "escalation")] == ["webhook"]


@pytest.mark.parametrize("kind, primary", [("new_request", True), ("urgent", True), ("escalation", False)])
async def test_notices_reach_the_list_of_their_kind(smtp, receiver, telegram, kind, primary):
    settings = Settings.from_env({
        "SMTP_URL": smtp.url(),
        "DOULA_NOTIFY_EMAIL": "midwives@trust.nhs.uk, interpreters@trust.nhs.uk",
        "DOULA_ESCALATE_EMAIL": "matron@trust.nhs.uk",
        "DOULA_NOTIFY_WEBHOOK": receiver.url + "/notify",
        "DOULA_ESCALATE_WEBHOOK": receiver.url + "/escalate",
        "DOULA_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": "telegram-secret",
        "TELEGRAM_API_URL": telegram.url,
        "DOULA_NOTIFY_TELEGRAM_CHAT": STAFF_CHAT,
        "DOULA_ESCALATE_TELEGRAM_CHAT": ESCALATION_CHAT,
    })
    notifiers = notifiers_for(settings, kind)
    assert [n.name for n in notifiers] == ["email", "webhook", "telegram"]
    for notifier in notifiers:
        await notifier.send(make_notice(kind))
    [mail], [post] = smtp.received, receiver.received
    if primary:
        assert mail.recipients == ("midwives@trust.nhs.uk", "interpreters@trust.nhs.uk")
        assert post.path.endswith("/notify") and len(telegram.sent_to(int(STAFF_CHAT))) == 1
        assert telegram.sent_to(int(ESCALATION_CHAT)) == []
    else:
        assert mail.recipients == ("matron@trust.nhs.uk",)
        assert post.path.endswith("/escalate") and len(telegram.sent_to(int(ESCALATION_CHAT))) == 1
        assert telegram.sent_to(int(STAFF_CHAT)) == []
    assert post.json()["kind"] == kind
