"""Smoke test of `python -m bench`: the script runs end to end with a tiny load and writes sane JSON. It proves the
benchmark works, not how fast anything is (figures come from running the benchmark, never from assertions)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.conversations import FEEDBACK_TEXTS, build
from bench.layers import measure
from bot.paths import ROOT
from bot.safety.catalog import load_safety
from bot.settings import Settings


def test_conversations_mix_languages_menus_red_flags_and_feedback():
    conversations = build(50, seed=1)
    assert {c.kind for c in conversations} == {"topics", "red_flag", "feedback"}
    assert len({c.language for c in conversations}) >= 6
    assert {c.channel for c in conversations} == {"sms", "whatsapp"}
    assert all(c.turns for c in conversations) and build(50, seed=1) == conversations
    detector = load_safety().detector
    assert all(detector.detect(c.turns[2]).flagged for c in conversations if c.kind == "red_flag")
    assert not any(detector.detect(c.turns[0]).flagged for c in conversations)  # the red flag comes on purpose
    # Feedback words must not read as a red flag, or urgent advice would interrupt (pause) the feedback conversation.
    assert not any(detector.detect(text).flagged for text in FEEDBACK_TEXTS)


@pytest.mark.e2e
def test_the_bench_runs_against_the_product_and_reports(tmp_path):
    if not Settings.from_env({}).model_path.is_file():
        pytest.fail("no trained model: run `make test` (or `doula train`) first")
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "-n", "2", "-c", "2", "--warmup", "0", "--targets", "product",
               "--no-layers", "--capacity", "2", "--json", str(out)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert "p95 ms" in finished.stdout
    data = json.loads(out.read_text())
    product = data["runs"]["product"]
    assert product["messages"] == sum(len(c.turns) for c in build(2, seed=7))
    assert product["errors"] == 0, product["error_kinds"]
    assert product["p50_ms"] > 0 and product["throughput_msg_s"] > 0
    saturated = data["capacity_runs"]["product"]  # --capacity: two more conversations, on the same servers
    assert saturated["messages"] == sum(len(c.turns) for c in build(4, seed=7)[2:]) and saturated["errors"] == 0
    assert "at capacity" in finished.stdout


def test_own_layers_are_timed_per_message():
    texts = ["where can I give birth?", "czy mogę rodzić w domu?", "2", "I'm bleeding heavily"]
    costs = {c.name: c for c in measure(texts, list(FEEDBACK_TEXTS[:2]), repeats=1)}
    assert set(costs) == {"input cleaning", "language detection", "red-flag detection", "anonymiser (feedback text)"}
    assert all(c.calls and c.mean_us > 0 and c.p95_us >= 0 for c in costs.values())
    assert costs["anonymiser (feedback text)"].share == 0.5 and costs["language detection"].share == 1.0
