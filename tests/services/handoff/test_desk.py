"""The handoff state machine: open -> claim -> reply -> close, escalation, deliveries, notifications, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.handoff.desk import (
    BOT,
    CLAIMED,
    CLOSED,
    FAILED,
    HER,
    NOTE,
    PENDING,
    PULLED,
    SENT,
    STAFF,
    WAITING,
    HandoffError,
)
from bot.storage.database import audit_log, handoff_messages

SENDER = "sender-abc"


def open_request(desk, sender=SENDER, language="so"):
    request, new = desk.open(sender, "sms", language, "asked_for_person", "reason: asked_for_person")
    assert new
    return request


def test_a_request_opens_once_and_pauses_the_bot_until_closed(desk):
    request = open_request(desk)
    assert request.status == WAITING and desk.active_for(SENDER) == request
    again, new = desk.open(SENDER, "sms", "so", "asked_for_person")
    assert not new and again.id == request.id
    desk.claim(request.id, staff_id=1)
    desk.close(request.id, staff_id=1)
    assert desk.active_for(SENDER) is None
    assert desk.open(SENDER, "sms", "so", "asked_for_person")[1]  # a new request after closing


def test_the_due_time_counts_working_minutes(desk, clock):
    assert open_request(desk).due_at == clock.now.replace(minute=30)


def test_claim_reply_note_close_tell_her_in_her_language(desk):
    request = open_request(desk, language="pl")
    desk.claim(request.id, staff_id=7)
    desk.reply(request.id, 7, "Dzień dobry, jestem tłumaczką.")
    desk.note(request.id, 7, "called the ward")
    desk.close(request.id, 7)
    messages = desk.messages(request.id)
    assert [m.author for m in messages] == [BOT, STAFF, NOTE, BOT]
    joined, reply, note, closed = messages
    assert joined.delivery == PENDING and reply.delivery == PENDING and note.delivery is None
    assert reply.text == f"{desk.texts.text('pl', 'from_team')}: Dzień dobry, jestem tłumaczką."  # labelled, in Polish
    assert joined.text == desk.texts.text("pl", "joined") and closed.text == desk.texts.text("pl", "closed")
    assert desk.get(request.id).first_reply_at is not None and desk.get(request.id).status == CLOSED
    assert [m.author for m in desk.messages(request.id, include_notes=False)] == [BOT, STAFF, BOT]


def test_a_machine_translated_reply_says_so(desk):
    request = open_request(desk, language="en")
    desk.claim(request.id, 1)
    message = desk.reply(request.id, 1, "Hello", original="Salaan", translation="machine")
    assert "Automatic translation" in message.text and message.original == "Salaan"


def test_transitions_that_make_no_sense_are_refused(desk):
    request = open_request(desk)
    with pytest.raises(HandoffError):
        desk.reply(request.id, 1, "not claimed yet")
    desk.claim(request.id, 1)
    with pytest.raises(HandoffError):
        desk.claim(request.id, 2)  # a colleague has it
    desk.claim(request.id, 2, take_over=True)
    with pytest.raises(HandoffError):
        desk.reply(request.id, 1, "no longer mine")
    with pytest.raises(HandoffError):
        desk.reply(request.id, 2, "   ")
    desk.close(request.id, 2)
    for action in (lambda: desk.close(request.id, 2), lambda: desk.claim(request.id, 2),
                   lambda: desk.reply(request.id, 2, "late")):
        with pytest.raises(HandoffError):
            action()
    with pytest.raises(HandoffError):
        desk.claim(999, 1)


def test_her_messages_are_kept_and_a_red_flag_alerts_staff(desk):
    request = open_request(desk)
    desk.record_from_her(request.id, "su'aal")
    desk.record_from_her(request.id, "dhiig baa iga imanaya", urgent=True)
    mine = [m for m in desk.messages(request.id) if m.author == HER]
    assert [m.urgent for m in mine] == [False, True]
    assert desk.get(request.id).urgent_at is not None
    assert [n.kind for n in desk.due_notifications()] == ["new_request", "urgent"]


def test_bodies_are_encrypted_at_rest(desk):
    request = open_request(desk)
    desk.record_from_her(request.id, "my secret words")
    with desk.engine.connect() as connection:
        stored = b"".join(row.body for row in connection.execute(select(handoff_messages.c.body)))
    assert b"secret" not in stored


def test_she_is_told_her_message_was_passed_on_at_most_every_15_minutes(desk, clock):
    request = open_request(desk)
    assert desk.acknowledge_due(desk.get(request.id))
    clock.advance(minutes=5)
    assert not desk.acknowledge_due(desk.get(request.id))
    clock.advance(minutes=11)
    assert desk.acknowledge_due(desk.get(request.id))
    desk.claim(request.id, 1)
    clock.advance(minutes=30)
    assert not desk.acknowledge_due(desk.get(request.id))  # a person is answering: no automatic replies


def test_requests_not_claimed_in_time_are_escalated_once(desk, clock):
    request = open_request(desk)
    other = open_request(desk, sender="other")
    desk.claim(other.id, 1)
    clock.advance(minutes=29)
    assert desk.escalate_overdue() == []
    clock.advance(minutes=2)
    assert [r.id for r in desk.escalate_overdue()] == [request.id]
    assert desk.escalate_overdue() == []
    kinds = [n.kind for n in desk.due_notifications()]
    assert kinds.count("escalation") == 1


def test_notifications_are_retried_with_growing_delays(desk, clock):
    open_request(desk)
    (notification,) = desk.due_notifications()
    desk.notification_done(notification.id, "smtp: connection refused")
    assert desk.due_notifications() == [] and desk.failed_notifications() == 1
    clock.advance(seconds=31)
    (again,) = desk.due_notifications()
    desk.notification_done(again.id)
    assert desk.due_notifications() == [] and desk.failed_notifications() == 0


def test_deliveries_retry_then_fail_and_staff_can_send_again(desk):
    request = open_request(desk)
    desk.claim(request.id, 1)
    (pending_request, joined), = desk.pending_deliveries()
    assert pending_request.id == request.id
    for _ in range(2):
        desk.mark_delivery(joined.id, FAILED)
        assert desk.pending_deliveries()  # still queued
    desk.mark_delivery(joined.id, FAILED)
    assert desk.pending_deliveries() == [] and desk.messages(request.id)[0].delivery == FAILED
    desk.retry_delivery(joined.id, staff_id=1)
    desk.mark_delivery(joined.id, SENT)
    assert desk.messages(request.id)[0].delivery == SENT
    with pytest.raises(HandoffError):
        desk.retry_delivery(joined.id, staff_id=1)


def test_pull_channels_get_their_messages_once(desk):
    request, _ = desk.open("web-1", "webchat", "en", "asked_for_person")
    desk.claim(request.id, 1)
    desk.reply(request.id, 1, "Hello, I am a midwife.")
    assert desk.pending_deliveries(channels=("sms", "whatsapp", "telegram")) == []
    pulled = desk.pull("web-1")
    assert len(pulled) == 2 and "Hello, I am a midwife." in pulled[1]
    assert desk.pull("web-1") == [] and {m.delivery for m in desk.messages(request.id)} == {PULLED}


def test_every_staff_action_is_audited(desk):
    request = open_request(desk)
    desk.claim(request.id, 3)
    desk.reply(request.id, 3, "hi")
    desk.note(request.id, 3, "note")
    desk.close(request.id, 3)
    with desk.engine.connect() as connection:
        rows = connection.execute(select(audit_log).order_by(audit_log.c.id)).all()
    assert [(r.staff_id, r.action, r.request_id) for r in rows] == [
        (3, "claim", request.id), (3, "reply", request.id), (3, "note", request.id), (3, "close", request.id)]
    assert all("hi" not in r.detail for r in rows)


def test_queue_filters_by_status_and_language(desk):
    somali = open_request(desk, sender="a", language="so")
    polish = open_request(desk, sender="b", language="pl")
    desk.claim(polish.id, 1)
    assert [r.id for r in desk.requests(statuses=[WAITING])] == [somali.id]
    assert [r.id for r in desk.requests(languages=["pl"])] == [polish.id]
    assert {r.status for r in desk.requests(statuses=[WAITING, CLAIMED])} == {WAITING, CLAIMED}
