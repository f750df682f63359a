"""The consents table: what she was shown, that she continued, and when the notice is due again."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.services.consent import CONTINUED, NOTICE_SHOWN, ConsentRecord, NoticeState, notice_due
from bot.storage.database import as_utc, engine_for


@pytest.fixture
def record(tmp_path: Path) -> ConsentRecord:
    return ConsentRecord(engine_for(f"sqlite:///{tmp_path / 'doula.db'}"))


def test_nothing_is_recorded_for_a_new_sender(record):
    assert record.state("sms-new", 1) == NoticeState() and record.language("sms-new") is None
    assert record.events("sms-new") == []


def test_shown_then_continued_with_version_language_and_utc_time(record):
    at = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)
    record.record("sms-a", NOTICE_SHOWN, 1, "pl", now=at)
    assert record.state("sms-a", 1) == NoticeState(shown_in=("pl",), continued=False)
    record.record("sms-a", CONTINUED, 1, "pl")
    assert record.state("sms-a", 1).continued and record.language("sms-a") == "pl"
    (event, version, language, when), _ = record.events("sms-a")
    assert (event, version, language, as_utc(when)) == (NOTICE_SHOWN, 1, "pl", at)


def test_versions_and_senders_are_kept_apart(record):
    record.record("sms-a", NOTICE_SHOWN, 1, "en")
    assert not record.state("sms-a", 2).shown  # a new notice version: shown again
    assert not record.state("sms-b", 1).shown


def test_the_language_is_that_of_the_last_notice(record):
    record.record("sms-a", NOTICE_SHOWN, 1, "en")
    record.record("sms-a", NOTICE_SHOWN, 1, "so")
    assert record.language("sms-a") == "so" and record.state("sms-a", 1).shown_in == ("en", "so")


def test_an_unknown_event_is_refused(record):
    with pytest.raises(ValueError):
        record.record("sms-a", "deleted", 1, "en")


@pytest.mark.parametrize("state, language, chosen, due", [
    (NoticeState(), "en", False, True),  # first contact
    (NoticeState(("en",)), "en", False, False),  # already told
    (NoticeState(("en",)), "pl", False, False),  # detection alone does not repeat it
    (NoticeState(("en",)), "pl", True, True),  # she chose Polish: told again, in Polish
    (NoticeState(("en", "pl")), "pl", True, False),
])
def test_when_the_notice_is_due(state, language, chosen, due):
    assert notice_due(state, language, chosen) is due
