"""Subject access: everything held about her, decrypted and readable, and what is left out and why."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.services.feedback.sessions import FeedbackSession, FeedbackSessions
from bot.services.privacy.subject_access import NOT_INCLUDED, export, export_json
from bot.storage.database import audit_log, engine_for
from tests.services.privacy.conftest import NOW, converse, desk, remember

HER_ID = "sms-" + "a" * 32
OTHER_ID = "sms-" + "b" * 32


def test_everything_held_about_her(settings) -> None:
    converse(settings, HER_ID, NOW - timedelta(days=2), turns=2)
    converse(settings, OTHER_ID, NOW - timedelta(days=2))
    remember(settings, HER_ID, "+447700900123", NOW - timedelta(days=2))
    handoff = desk(settings, lambda: NOW - timedelta(days=1))
    request, _ = handoff.open(HER_ID, "sms", "en", "asked_for_person", "topic: feeding")
    handoff.record_from_her(request.id, "Can someone call me?")
    handoff.claim(request.id, 4)
    handoff.reply(request.id, 4, "Yes, at 3pm")
    handoff.note(request.id, 4, "called, all fine")
    FeedbackSessions(engine_for(settings.database_url)).save(
        FeedbackSession(HER_ID, "could_be_better", {"rating": "poor", "went_well": "the [NAME] team"}), now=NOW)

    document = export(settings, HER_ID, now=NOW)

    assert document["sender_id"] == HER_ID and document["generated_at"] == NOW.isoformat()
    first, second = ((NOW - timedelta(days=2, minutes=m)).isoformat() for m in (2, 1))
    assert document["transcript"] == [
        {"time": first, "from": "you", "text": f"my message 0 from {HER_ID}"},
        {"time": first, "from": "doula", "text": "a reply 0"},
        {"time": second, "from": "you", "text": f"my message 1 from {HER_ID}"},
        {"time": second, "from": "doula", "text": "a reply 1"},
    ]
    slots = [e for e in document["conversation_events"] if e["event"] == "slot"]
    assert slots[0]["name"] == "language" and slots[0]["value"] == "en"
    assert all(OTHER_ID not in json.dumps(e) for e in document["conversation_events"])
    assert document["contact"] == {"channel": "sms", "address": "+447700900123", "opted_out": False,
                                   "last_message_at": (NOW - timedelta(days=2)).isoformat()}
    [exported] = document["handoff_requests"]
    assert exported["summary"] == "topic: feeding" and exported["status"] == "claimed"
    texts = {(m["from"], m["text"]) for m in exported["messages"]}
    assert ("you", "Can someone call me?") in texts
    assert ("staff", "Maternity team: Yes, at 3pm") in texts  # as she received it
    assert ("staff (internal note, not sent to you)", "called, all fine") in texts
    assert all("staff_id" not in m for m in exported["messages"])  # staff are named by role only
    [unfinished] = document["feedback_sessions"]
    assert unfinished["answers"] == {"rating": "poor", "went_well": "the [NAME] team"}
    assert unfinished["updated_at"] == NOW.isoformat()
    assert document["not_included"] == list(NOT_INCLUDED)
    assert any("anonymised" in line for line in document["not_included"])


def test_someone_unknown_gets_an_empty_but_complete_document(settings) -> None:
    document = json.loads(export_json(settings, HER_ID, now=NOW))
    assert document["transcript"] == [] and document["conversation_events"] == []
    assert document["contact"] is None and document["handoff_requests"] == []
    assert document["feedback_sessions"] == [] and document["not_included"]


def test_an_export_by_staff_is_audited_without_her_id(settings) -> None:
    converse(settings, HER_ID, NOW)
    export(settings, HER_ID, actor="cli", now=NOW)
    export(settings, HER_ID, now=NOW)  # no actor: a preview, not audited
    with engine_for(settings.database_url).connect() as connection:
        details = list(connection.scalars(select(audit_log.c.detail).where(audit_log.c.action == "privacy_export")))
    assert details == ["cli: events=4 handoff_requests=0"]
