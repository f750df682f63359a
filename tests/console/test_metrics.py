"""Metrics on hand-built requests: counts, median and p90 time to claim, first reply, SLA breaches, escalations."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.console.metrics import breached, compute, parse_period, percentile, period, to_csv
from bot.services.handoff.desk import Request

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
MARCH = period(date(2026, 3, 1), date(2026, 3, 31), "Europe/London")


def made(number: int, language: str, claim_after: float | None = None, reply_after: float | None = None,
         status: str | None = None, escalated: bool = False, sla: float = 30, opened: datetime = T0,
         closed_after: float | None = None) -> Request:
    minute = timedelta(minutes=1)
    claimed = opened + claim_after * minute if claim_after is not None else None
    return Request(
        id=number, sender_id=f"test-sender-{number}", channel="webchat", language=language, reason="asked_for_person",
        summary="", status=status or ("claimed" if claimed else "waiting"), created_at=opened,
        due_at=opened + sla * minute, claimed_at=claimed, claimed_by=1 if claimed else None,
        first_reply_at=opened + reply_after * minute if reply_after is not None else None,
        closed_at=opened + closed_after * minute if closed_after is not None else None,
        escalated_at=opened + sla * minute if escalated else None,
    )


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([float(v) for v in range(1, 11)], 0.9) == 9.0
    assert percentile([float(v) for v in range(1, 12)], 0.9) == 10.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def test_rows_per_language_and_overall() -> None:
    requests = [
        made(1, "so", claim_after=10, reply_after=12),
        made(2, "so", claim_after=20, reply_after=30),
        made(3, "so", claim_after=40, reply_after=45, escalated=True),  # claimed late: breach
        made(4, "so"),  # still waiting, long past due: breach
        made(5, "pl", claim_after=5),
        made(6, "pl", status="closed", closed_after=10),  # closed unclaimed before due: no breach
        made(7, "pl", status="closed", closed_after=90, escalated=True),  # closed unclaimed after due: breach
    ]
    rows = {row.language: row for row in compute(requests, MARCH, NOW)}
    assert list(rows) == ["pl", "so", "all"]
    so, pl, everything = rows["so"], rows["pl"], rows["all"]
    assert (so.requests, so.claimed, so.sla_breaches, so.escalations) == (4, 3, 2, 1)
    assert (so.median_minutes_to_claim, so.p90_minutes_to_claim, so.median_minutes_to_first_reply) == (20.0, 40.0,
                                                                                                       30.0)
    assert (pl.requests, pl.claimed, pl.sla_breaches, pl.escalations) == (3, 1, 1, 1)
    assert (pl.median_minutes_to_claim, pl.p90_minutes_to_claim, pl.median_minutes_to_first_reply) == (5.0, 5.0, None)
    assert (everything.requests, everything.claimed, everything.sla_breaches, everything.escalations) == (7, 4, 3, 2)
    assert everything.median_minutes_to_claim == 15.0  # median of 5, 10, 20, 40
    assert everything.p90_minutes_to_claim == 40.0


def test_waiting_request_not_yet_due_is_no_breach() -> None:
    fresh = made(1, "so", opened=NOW - timedelta(minutes=5))
    assert not breached(fresh, NOW)
    assert breached(fresh, NOW + timedelta(minutes=26))


def test_only_requests_opened_in_the_period_count() -> None:
    before = made(1, "so", opened=datetime(2026, 2, 28, 23, 59, tzinfo=timezone.utc))
    # 00:30 on 1 April in London (BST, UTC+1) is still 31 March in UTC: outside the local period.
    after = made(2, "so", opened=datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))
    inside = made(3, "so", opened=datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc))
    rows = compute([before, after, inside], MARCH, NOW)
    assert [(row.language, row.requests) for row in rows] == [("so", 1), ("all", 1)]


def test_empty_period_has_an_overall_row() -> None:
    rows = compute([], MARCH, NOW)
    assert len(rows) == 1 and rows[0].language == "all" and rows[0].requests == 0
    assert rows[0].median_minutes_to_claim is None


def test_parse_period() -> None:
    today = date(2026, 3, 10)
    default = parse_period(None, None, "Europe/London", today)
    assert (default.first, default.last) == (date(2026, 2, 9), today)
    given = parse_period("2026-03-01", "2026-03-31", "Europe/London", today)
    assert given.start == datetime(2026, 3, 1, 0, 0, tzinfo=timezone.utc)
    assert given.end == datetime(2026, 3, 31, 23, 0, tzinfo=timezone.utc)  # 1 April 00:00 BST
    for first, last in (("2026-03-31", "2026-03-01"), ("yesterday", None), ("2020-01-01", "2026-01-01")):
        with pytest.raises(ValueError):
            parse_period(first, last, "Europe/London", today)


def test_csv_export() -> None:
    rows = compute([made(1, "so", claim_after=10, reply_after=12), made(2, "pl")], MARCH, NOW)
    text = to_csv(rows, MARCH, {"so": "Somali", "pl": "Polish"})
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["language"] for r in table] == ["pl", "so", "all"]
    somali = table[1]
    assert somali["language_name"] == "Somali" and somali["period_from"] == "2026-03-01"
    assert somali["period_to"] == "2026-03-31"
    assert (somali["requests"], somali["median_minutes_to_claim"], somali["median_minutes_to_first_reply"]) == (
        "1", "10.0", "12.0")
    assert table[0]["median_minutes_to_claim"] == "" and table[0]["sla_breaches"] == "1"
    assert table[2]["language_name"] == "all"
