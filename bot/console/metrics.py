"""How well handoff requests are answered, per language and overall, over a period (the admin's Metrics page).

Definitions (also in docs/console.md), for requests *opened* in the period:

- requests: how many were opened; claimed: how many have been claimed (at any time since);
- time to claim: claimed_at - created_at (median and 90th percentile, nearest-rank), in minutes;
- time to first human reply: first_reply_at - created_at (median), in minutes;
- SLA breaches: claimed after due_at, or never claimed and still waiting past due_at (or closed unclaimed after it);
- escalations: requests escalated because nobody claimed them in time.

The period is a range of whole days in the deployment's time zone, both ends included. Nothing here reads message
text: only the request's times, language and status.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.handoff.desk import WAITING, Request

ALL = "all"
DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    start: datetime  # first day 00:00 local, as UTC
    end: datetime  # the day after `last`, 00:00 local (exclusive)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def period(first: date, last: date, zone: str) -> Period:
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return Period(first, last, start, end)


def parse_period(first: str | None, last: str | None, zone: str, today: date) -> Period:
    """`first`/`last` as YYYY-MM-DD (either may be empty: the last 30 days up to today). ValueError if malformed."""
    last_day = date.fromisoformat(last) if last else today
    first_day = date.fromisoformat(first) if first else last_day - timedelta(days=DEFAULT_DAYS - 1)
    if first_day > last_day:
        raise ValueError("the period starts after it ends")
    if (last_day - first_day).days > MAX_DAYS:
        raise ValueError("the period is longer than two years")
    return period(first_day, last_day, zone)


@dataclass(frozen=True)
class Row:
    language: str
    requests: int
    claimed: int
    median_minutes_to_claim: float | None
    p90_minutes_to_claim: float | None
    median_minutes_to_first_reply: float | None
    sla_breaches: int
    escalations: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _minutes(delta: timedelta) -> float:
    return max(0.0, delta.total_seconds() / 60)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (a value that occurred, not an interpolation): p90 of 10 values is the 9th."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def breached(request: Request, now: datetime) -> bool:
    """Not claimed by its due time: claimed late, or unclaimed past due (still waiting, or closed after due)."""
    if request.claimed_at is not None:
        return request.claimed_at > request.due_at
    if request.status == WAITING:
        return now > request.due_at
    return request.closed_at is not None and request.closed_at > request.due_at


def _row(language: str, requests: list[Request], now: datetime) -> Row:
    to_claim = [_minutes(r.claimed_at - r.created_at) for r in requests if r.claimed_at is not None]
    to_reply = [_minutes(r.first_reply_at - r.created_at) for r in requests if r.first_reply_at is not None]

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return Row(
        language=language,
        requests=len(requests),
        claimed=len(to_claim),
        median_minutes_to_claim=rounded(statistics.median(to_claim)) if to_claim else None,
        p90_minutes_to_claim=rounded(percentile(to_claim, 0.9)),
        median_minutes_to_first_reply=rounded(statistics.median(to_reply)) if to_reply else None,
        sla_breaches=sum(breached(r, now) for r in requests),
        escalations=sum(r.escalated_at is not None for r in requests),
    )


def compute(requests: Iterable[Request], within: Period, now: datetime) -> list[Row]:
    """One row per language that had requests in the period (by code), then the overall row (`language="all"`)."""
    chosen = [r for r in requests if within.contains(r.created_at)]
    by_language: dict[str, list[Request]] = {}
    for request in chosen:
        by_language.setdefault(request.language, []).append(request)
    rows = [_row(language, by_language[language], now) for language in sorted(by_language)]
    rows.append(_row(ALL, chosen, now))
    return rows


CSV_FIELDS = ("period_from", "period_to", "language", "language_name") + tuple(f.name for f in fields(Row)[1:])


def to_csv(rows: Iterable[Row], within: Period, names: Mapping[str, str]) -> str:
    """The rows as CSV with a header line; empty times are empty cells. Language names come from `names`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        values = row.as_dict()
        language = values.pop("language")
        writer.writerow([within.first.isoformat(), within.last.isoformat(), language, names.get(language, language)]
                        + ["" if value is None else value for value in values.values()])
    return out.getvalue()
