"""Prometheus metrics of every doula process, served together by `doula run` at `/metrics` (the ops port).

doula runs as several processes (Rasa workers, action server workers, the console), and a scrape must see them all:
each process keeps its own counts in a small JSON file in `DOULA_METRICS_DIR` (`<role>-<pid>.json`, replaced
atomically), and :func:`exposition` sums the files into the Prometheus text format. This is what
`prometheus_client`'s multiprocess mode does, in a hundred lines and without a dependency. `doula run` empties the
folder when it starts: counters then restart from zero, which Prometheus reads as a restart.

A running process writes its file at most once every :data:`FLUSH_EVERY_S` (and when it exits), from a timer thread:
writing it on every update cost about 2 ms of Rasa's event loop per count, several times per message. A scrape is
therefore up to a second behind, which is nothing beside Prometheus' own scrape interval.

Labels are closed vocabularies (channel, language code, red-flag category, reason, process): :func:`label` turns
anything else into `other`, so no id, phone number or message text can ever become a label.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.paths import ROOT

logger = logging.getLogger(__name__)

ROLE_ENV = "DOULA_METRICS_ROLE"  # set by `doula run` for each child: rasa | actions | console
FLUSH_EVERY_S = 1.0


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # counter | histogram
    help: str
    labels: tuple[str, ...] = ()


# Seconds: a reply within a second is the aim; a long tail means the model, the database or the action server.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

MESSAGES = Metric("doula_messages_received_total", "counter", "Messages from women handled by the bot, by channel and "
                  "the language they were detected in.", ("channel", "language"))
REPLIES = Metric("doula_replies_sent_total", "counter", "Messages the bot sent in reply, by channel.", ("channel",))
RED_FLAGS = Metric("doula_red_flags_total", "counter", "Messages in which a red-flag symptom was detected, by the "
                   "most urgent category.", ("category",))
HANDOFFS = Metric("doula_handoff_requests_total", "counter", "Handoff requests opened (a person asked for), by reason.",
                  ("reason",))
FEEDBACK = Metric("doula_feedback_saved_total", "counter", "Pieces of feedback saved, from the bot's conversation "
                  "or imported (`doula feedback import`).", ("source",))
ERRORS = Metric("doula_errors_total", "counter", "Errors logged, by process.", ("process",))
LATENCY = Metric("doula_message_seconds", "histogram", "Time from her message reaching Rasa to the bot's last reply "
                 "(understanding, policies, actions).")

METRICS: tuple[Metric, ...] = (MESSAGES, REPLIES, RED_FLAGS, HANDOFFS, FEEDBACK, ERRORS, LATENCY)

_LABEL_VALUE = re.compile(r"[a-z][a-z0-9_]{0,31}")


def label(value: object) -> str:
    """`value` if it is a short lower-case identifier (a channel, language code, category), else `other`."""
    text = str(value or "").lower().replace("-", "_")
    return text if _LABEL_VALUE.fullmatch(text) else "other"


def _key(labels: Mapping[str, str]) -> str:
    return ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))


class Recorder:
    """One process's counts, written to `<directory>/<role>-<pid>.json`: after every update when `flush_every` is 0,
    otherwise at most once every `flush_every` seconds (by a timer thread) and on :meth:`flush`."""

    def __init__(self, directory: Path, role: str, flush_every: float = 0.0) -> None:
        self.directory = directory
        self.role = label(role)
        self.pid = os.getpid()
        self.flush_every = flush_every
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._counters: dict[str, dict[str, float]] = {}
        self._histograms: dict[str, dict[str, list[float]]] = {}  # bucket counts ..., +Inf count, sum

    @property
    def path(self) -> Path:
        return self.directory / f"{self.role}-{self.pid}.json"

    def inc(self, metric: Metric, amount: float = 1.0, **labels: object) -> None:
        key = self._labels(metric, labels)
        with self._lock:
            series = self._counters.setdefault(metric.name, {})
            series[key] = series.get(key, 0.0) + amount
            self._changed()

    def observe(self, metric: Metric, value: float, **labels: object) -> None:
        key = self._labels(metric, labels)
        with self._lock:
            series = self._histograms.setdefault(metric.name, {})
            counts = series.setdefault(key, [0.0] * (len(LATENCY_BUCKETS) + 2))
            for i, bound in enumerate(LATENCY_BUCKETS):
                if value <= bound:
                    counts[i] += 1
            counts[len(LATENCY_BUCKETS)] += 1
            counts[-1] += value
            self._changed()

    @staticmethod
    def _labels(metric: Metric, labels: Mapping[str, object]) -> str:
        if set(labels) != set(metric.labels):
            raise ValueError(f"{metric.name} takes labels {metric.labels}, got {tuple(labels)}")
        return _key({k: label(v) for k, v in labels.items()})

    def _changed(self) -> None:
        """Called with the lock held, after an update: write now, or make sure a write is coming."""
        if self.flush_every <= 0:
            self._write(self._snapshot())
        elif self._timer is None:
            self._timer = threading.Timer(self.flush_every, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Write the file now (the timer calls this; so does the process at exit)."""
        if os.getpid() != self.pid:  # a forked worker's copy of its parent's recorder: not this process's counts
            return
        with self._lock:  # written under the lock, so an older snapshot can never replace a newer one
            self._timer = None
            self._write(self._snapshot())

    def _snapshot(self) -> str:
        return json.dumps({"counters": self._counters, "histograms": self._histograms})

    def _write(self, data: str) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.directory, suffix=".tmp", delete=False) as out:
                out.write(data)
            os.replace(out.name, self.path)
        except OSError as error:  # metrics must never break a conversation
            logger.warning("metrics not written: %s", error.__class__.__name__)


_recorder: Recorder | None = None
_recorder_lock = threading.Lock()


def recorder() -> Recorder:
    """This process's recorder. Its folder and role come from the environment `doula run` gives its children (not
    from full settings: counting must never fail on an unrelated setting)."""
    global _recorder
    with _recorder_lock:
        if _recorder is None or _recorder.pid != os.getpid():  # a forked worker starts its own file
            directory = ROOT / (os.environ.get("DOULA_METRICS_DIR") or "var/metrics")
            _recorder = Recorder(directory, os.environ.get(ROLE_ENV, "other"), flush_every=FLUSH_EVERY_S)
            atexit.register(_recorder.flush)
        return _recorder


def count(metric: Metric, amount: float = 1.0, **labels: object) -> None:
    """Add to a counter of this process: what other modules call (e.g. `count(HANDOFFS, reason=reason)`)."""
    recorder().inc(metric, amount, **labels)


class ErrorCounter(logging.Handler):
    """Counts ERROR (and worse) log records of a process: errors are logged everywhere, counted here once."""

    def __init__(self, role: str) -> None:
        super().__init__(level=logging.ERROR)
        self.role = role

    def emit(self, record: logging.LogRecord) -> None:
        recorder().inc(ERRORS, process=self.role)


def count_errors(role: str) -> None:
    """Install the error counter on the root logger of this process (once)."""
    root = logging.getLogger()
    if not any(isinstance(h, ErrorCounter) for h in root.handlers):
        root.addHandler(ErrorCounter(role))


def reset(directory: Path) -> None:
    """Forget every process's counts (when `doula run` starts: the processes that wrote them are gone)."""
    if directory.is_dir():
        for path in directory.glob("*.json"):
            path.unlink(missing_ok=True)


def _read(directory: Path) -> Iterable[dict]:
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else ():
        try:
            yield json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # being replaced right now: the next scrape reads it


def exposition(directory: Path) -> str:
    """Every process's counts, summed, in the Prometheus text format (version 0.0.4)."""
    counters: dict[str, dict[str, float]] = {}
    histograms: dict[str, dict[str, list[float]]] = {}
    for data in _read(directory):
        for name, series in data.get("counters", {}).items():
            for key, value in series.items():
                counters.setdefault(name, {})[key] = counters.get(name, {}).get(key, 0.0) + value
        for name, series in data.get("histograms", {}).items():
            for key, values in series.items():
                total = histograms.setdefault(name, {}).setdefault(key, [0.0] * len(values))
                histograms[name][key] = [a + b for a, b in zip(total, values, strict=True)]
    lines: list[str] = []
    for metric in METRICS:
        lines += [f"# HELP {metric.name} {metric.help}", f"# TYPE {metric.name} {metric.kind}"]
        if metric.kind == "counter":
            series = counters.get(metric.name) or ({"": 0.0} if not metric.labels else {})
            lines += [f"{metric.name}{_braces(key)} {_number(value)}" for key, value in sorted(series.items())]
            continue
        for key, values in sorted((histograms.get(metric.name) or {"": [0.0] * (len(LATENCY_BUCKETS) + 2)}).items()):
            for bound, value in zip((*map(_number, LATENCY_BUCKETS), "+Inf"), values, strict=False):
                le = f'le="{bound}"'
                lines.append(f"{metric.name}_bucket{_braces(_join(key, le))} {_number(value)}")
            lines.append(f"{metric.name}_count{_braces(key)} {_number(values[len(LATENCY_BUCKETS)])}")
            lines.append(f"{metric.name}_sum{_braces(key)} {_number(values[-1])}")
    return "\n".join(lines) + "\n"


def _braces(key: str) -> str:
    return f"{{{key}}}" if key else ""


def _join(key: str, more: str) -> str:
    return f"{key},{more}" if key else more


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
