from datetime import datetime, timezone

import pytest

from bot.services.handoff.hours import HoursError, WorkingHours


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


HOURS = WorkingHours.parse("Mon-Fri 09:00-17:00", "Europe/London")


def test_open_and_closed_times_follow_the_local_clock():
    assert HOURS.is_open(at("2026-11-26 10:00"))  # Thursday (GMT = UTC in November)
    assert not HOURS.is_open(at("2026-11-26 17:00"))
    assert not HOURS.is_open(at("2026-11-28 12:00"))  # Saturday
    assert HOURS.is_open(at("2026-07-02 08:30"))  # 09:30 BST in summer


def test_the_sla_counts_working_minutes_only():
    assert HOURS.add_working_minutes(at("2026-11-26 10:00"), 30) == at("2026-11-26 10:30")
    # 10 minutes on Friday evening, 20 more on Monday morning.
    assert HOURS.add_working_minutes(at("2026-11-27 16:50"), 30) == at("2026-11-30 09:20")
    assert HOURS.add_working_minutes(at("2026-11-28 03:00"), 30) == at("2026-11-30 09:30")


def test_next_opening_is_now_when_open_else_the_next_window():
    assert HOURS.next_open(at("2026-11-26 10:00")) == at("2026-11-26 10:00")
    assert HOURS.next_open(at("2026-11-26 18:00")) == at("2026-11-27 09:00")


def test_always_and_several_ranges():
    always = WorkingHours.parse("always")
    assert always.is_open(at("2026-11-28 03:00"))
    assert always.add_working_minutes(at("2026-11-28 03:00"), 30) == at("2026-11-28 03:30")
    weekend = WorkingHours.parse("Mon-Fri 08:00-20:00, Sat-Sun 10:00-14:00")
    assert weekend.is_open(at("2026-11-29 11:00")) and not weekend.is_open(at("2026-11-29 15:00"))
    overnight_week = WorkingHours.parse("Fri-Mon 09:00-10:00")  # a range may wrap round the week
    assert overnight_week.is_open(at("2026-11-29 09:30")) and not overnight_week.is_open(at("2026-11-25 09:30"))


@pytest.mark.parametrize("spec", ["", "weekdays", "Mon-Fri 9-5", "Mon-Fri 17:00-09:00", "Xyz 09:00-10:00"])
def test_unreadable_hours_are_explained(spec):
    with pytest.raises(HoursError):
        WorkingHours.parse(spec)


def test_hours_are_described_with_the_day_names_given():
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert HOURS.describe(days) == "Mon–Fri 09:00–17:00"
    hours = WorkingHours.parse("Mon-Fri 08:00-20:00, Sat 10:00-14:00, Sun 10:00-14:00, Wed 21:00-24:00")
    assert hours.describe(days) == "Mon–Fri 08:00–20:00; Sat–Sun 10:00–14:00; Wed 21:00–24:00"
    assert WorkingHours.parse("always").describe(days) == ""
