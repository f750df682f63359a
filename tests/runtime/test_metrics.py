"""Counters and histograms of several processes, summed into one Prometheus exposition; labels never carry an id."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time

import pytest

from bot.runtime import metrics
from bot.runtime.metrics import ERRORS, HANDOFFS, LATENCY, MESSAGES, Recorder, exposition, label


def sample(text: str, name: str) -> float:
    """The value of one sample line (`name` with its labels, exactly as exposed), 0 when absent."""
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_processes_are_summed(tmp_path):
    one, two = Recorder(tmp_path, "rasa"), Recorder(tmp_path, "rasa")
    two.pid = one.pid + 1  # another worker
    one.inc(MESSAGES, channel="webchat", language="pl")
    two.inc(MESSAGES, channel="webchat", language="pl")
    two.inc(MESSAGES, channel="twilio", language="so")
    text = exposition(tmp_path)
    assert sample(text, 'doula_messages_received_total{channel="webchat",language="pl"}') == 2
    assert sample(text, 'doula_messages_received_total{channel="twilio",language="so"}') == 1
    assert "# TYPE doula_messages_received_total counter" in text


def test_latency_histogram_buckets_are_cumulative(tmp_path):
    recorder = Recorder(tmp_path, "rasa")
    for seconds in (0.03, 0.4, 7.0):
        recorder.observe(LATENCY, seconds)
    text = exposition(tmp_path)
    assert sample(text, 'doula_message_seconds_bucket{le="0.05"}') == 1
    assert sample(text, 'doula_message_seconds_bucket{le="0.5"}') == 2
    assert sample(text, 'doula_message_seconds_bucket{le="10"}') == 3
    assert sample(text, 'doula_message_seconds_bucket{le="+Inf"}') == 3
    assert sample(text, "doula_message_seconds_count") == 3
    assert sample(text, "doula_message_seconds_sum") == pytest.approx(7.43)


def test_an_empty_folder_still_exposes_every_metric(tmp_path):
    text = exposition(tmp_path / "none")
    for metric in metrics.METRICS:
        assert f"# TYPE {metric.name} {metric.kind}" in text
    assert sample(text, "doula_message_seconds_count") == 0


@pytest.mark.parametrize(("value", "expected"), [
    ("webchat", "webchat"), ("pl", "pl"), ("heavy_bleeding", "heavy_bleeding"), ("not_understood", "not_understood"),
    ("+447700900123", "other"), ("a3f9c2" * 10, "other"), ("I am bleeding", "other"), ('x"} 1\nevil', "other"),
    (None, "other"),
])
def test_labels_are_closed_identifiers(value, expected):
    assert label(value) == expected


def test_wrong_labels_are_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="takes labels"):
        Recorder(tmp_path, "rasa").inc(HANDOFFS, sender="abc")


def test_errors_logged_are_counted_for_the_process(tmp_path, monkeypatch):
    recorder = Recorder(tmp_path, "actions")
    monkeypatch.setattr(metrics, "_recorder", recorder)
    handler = metrics.ErrorCounter("actions")
    log = logging.getLogger("tests.metrics")
    log.addHandler(handler)
    try:
        log.warning("not counted")
        log.error("counted")
    finally:
        log.removeHandler(handler)
    assert sample(exposition(tmp_path), 'doula_errors_total{process="actions"}') == 1
    assert ERRORS.labels == ("process",)


def test_each_process_writes_its_own_file_and_reset_forgets_them(tmp_path):
    code = ("from bot.runtime import metrics; metrics.count(metrics.HANDOFFS, reason='interpreter')")
    env = {**os.environ, "DOULA_METRICS_DIR": str(tmp_path), metrics.ROLE_ENV: "actions"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    files = sorted(tmp_path.glob("actions-*.json"))
    assert len(files) == 2 and all(json.loads(f.read_text())["counters"] for f in files)
    assert sample(exposition(tmp_path), 'doula_handoff_requests_total{reason="interpreter"}') == 2
    metrics.reset(tmp_path)
    assert sample(exposition(tmp_path), 'doula_handoff_requests_total{reason="interpreter"}') == 0


def test_a_new_handoff_request_is_counted_once_by_reason(tmp_path, monkeypatch):
    from bot.services.handoff.desk import HandoffDesk
    from bot.services.handoff.hours import WorkingHours
    from bot.storage.database import engine_for

    monkeypatch.setattr(metrics, "_recorder", Recorder(tmp_path / "metrics", "actions"))
    desk = HandoffDesk(engine_for(f"sqlite:///{tmp_path / 'doula.db'}"), "test-contact-key",
                       WorkingHours.parse("always", "Europe/London"), sla_minutes=30)
    desk.open("s" * 64, "webchat", "so", "interpreter")
    desk.open("s" * 64, "webchat", "so", "interpreter")  # her open request, found again: not a new one
    text = exposition(tmp_path / "metrics")
    assert sample(text, 'doula_handoff_requests_total{reason="interpreter"}') == 1


def test_a_running_process_writes_behind_at_most_once_per_interval(tmp_path):
    recorder = Recorder(tmp_path, "rasa", flush_every=0.2)
    for _ in range(50):
        recorder.inc(MESSAGES, channel="twilio", language="so")
    name = 'doula_messages_received_total{channel="twilio",language="so"}'
    assert sample(exposition(tmp_path), name) == 0  # nothing written on the message's path
    deadline = time.monotonic() + 5
    while sample(exposition(tmp_path), name) != 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sample(exposition(tmp_path), name) == 50
    recorder.inc(MESSAGES, channel="twilio", language="so")
    recorder.flush()  # as at exit
    assert sample(exposition(tmp_path), name) == 51


def test_a_forked_workers_copy_of_its_parents_recorder_writes_nothing(tmp_path):
    recorder = Recorder(tmp_path, "rasa", flush_every=60)
    recorder.inc(MESSAGES, channel="twilio", language="so")
    recorder.pid += 1  # as seen from a forked child
    recorder.flush()
    assert not list(tmp_path.glob("*.json"))
