"""Working hours of the people who answer handoff requests, and the SLA deadline they imply.

`DOULA_HANDOFF_HOURS` is a comma-separated list of ranges such as ``Mon-Fri 09:00-17:00, Sat 10:00-14:00`` in the
deployment's time zone (`DOULA_TIMEZONE`), or ``always``. The SLA counts *working* minutes: a request made at 16:50
with a 30-minute SLA and hours ending at 17:00 is due at 09:20 the next working day, so out-of-hours requests are not
escalated at night to people who are not there, and she is told truthfully when someone will reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+(?P<t1>\d{1,2}:\d{2})-(?P<t2>\d{1,2}:\d{2})$")


class HoursError(ValueError):
    """DOULA_HANDOFF_HOURS cannot be read; the message shows the expected form."""


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


@dataclass(frozen=True)
class Window:
    day: int  # 0 = Monday
    start: time
    end: time


class WorkingHours:
    """When staff answer. Build with :meth:`parse`; all methods take and return aware datetimes."""

    def __init__(self, windows: tuple[Window, ...], zone: ZoneInfo, always: bool = False) -> None:
        self.windows = windows
        self.zone = zone
        self.always = always

    @classmethod
    def parse(cls, spec: str, zone_name: str = "Europe/London") -> WorkingHours:
        zone = ZoneInfo(zone_name)
        spec = spec.strip().lower()
        if spec in ("always", "24/7"):
            return cls((), zone, always=True)
        windows = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            match = _RANGE.match(part)
            if not match or match["d1"] not in DAYS or (match["d2"] and match["d2"] not in DAYS):
                raise HoursError(f"cannot read {part!r}: write ranges like 'Mon-Fri 09:00-17:00' or 'always'")
            first = DAYS.index(match["d1"])
            last = DAYS.index(match["d2"]) if match["d2"] else first
            try:
                start, end = _clock(match["t1"]), _clock(match["t2"])
            except ValueError as exc:
                raise HoursError(f"cannot read the times in {part!r}") from exc
            if end <= start:
                raise HoursError(f"{part!r} ends before it starts")
            day = first
            while True:
                windows.append(Window(day, start, end))
                if day == last:
                    break
                day = (day + 1) % 7
        if not windows:
            raise HoursError("DOULA_HANDOFF_HOURS is empty: write 'Mon-Fri 09:00-17:00' or 'always'")
        return cls(tuple(windows), zone)

    def _window_at(self, local: datetime) -> Window | None:
        for window in self.windows:
            if window.day == local.weekday() and window.start <= local.time() < window.end:
                return window
        return None

    def is_open(self, at: datetime) -> bool:
        return self.always or self._window_at(at.astimezone(self.zone)) is not None

    def next_open(self, at: datetime) -> datetime:
        """`at` itself when open, otherwise the start of the next window."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.zone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            starts = sorted(w.start for w in self.windows if w.day == day.weekday())
            for start in starts:
                candidate = datetime.combine(day, start, tzinfo=self.zone)
                if candidate > local:
                    return candidate.astimezone(timezone.utc)
        raise AssertionError("a week always holds a window")  # parse() refuses empty hours

    def add_working_minutes(self, at: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time after `at`."""
        if self.always:
            return at + timedelta(minutes=minutes)
        remaining = timedelta(minutes=minutes)
        current = self.next_open(at)
        while True:
            local = current.astimezone(self.zone)
            window = self._window_at(local)
            assert window is not None
            end = datetime.combine(local.date(), window.end, tzinfo=self.zone)
            available = end - local
            if remaining <= available:
                return (local + remaining).astimezone(timezone.utc)
            remaining -= available
            current = self.next_open(end.astimezone(timezone.utc) + timedelta(microseconds=1))

    def describe(self, day_names: list[str]) -> str:
        """The hours in words, with `day_names` (Monday first) of her language: "Mon–Fri 09:00–17:00; Sat 10:00–14:00".
        Empty for `always` (say so with a message of its own)."""
        if self.always:
            return ""
        by_times: dict[tuple[time, time], list[int]] = {}
        for window in self.windows:
            by_times.setdefault((window.start, window.end), []).append(window.day)
        parts = []
        for (start, end), days in by_times.items():
            days = sorted(set(days))
            runs: list[list[int]] = []
            for day in days:
                if runs and day == runs[-1][-1] + 1:
                    runs[-1].append(day)
                else:
                    runs.append([day])
            named = ", ".join(day_names[r[0]] if len(r) == 1 else f"{day_names[r[0]]}–{day_names[r[-1]]}" for r in runs)
            clock = "24:00" if end == time.max else end.strftime("%H:%M")
            parts.append(f"{named} {start.strftime('%H:%M')}–{clock}")
        return "; ".join(parts)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)
