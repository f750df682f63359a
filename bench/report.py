"""The benchmark's printed tables and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench.layers import LayerCost, percentile
from bench.load import Result

TARGETS = {"p95_ms_at_20": 300.0, "throughput_ratio": 1.5, "own_layers_ms": 5.0, "training_s": 300.0}


def summary(result: Result) -> dict:
    lat = result.latencies_ms
    return {
        "conversations": result.conversations,
        "messages": result.messages,
        # Answered messages only: a turn that failed or timed out is not throughput.
        "throughput_msg_s": len(lat) / result.seconds if result.seconds else 0.0,
        "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95), "p99_ms": percentile(lat, 99),
        "errors": sum(result.errors.values()),
        "error_kinds": dict(result.errors),
        "replies": result.replies,
        "late_replies": result.late_replies,
        "abandoned_turns": result.abandoned,
        "failed_turns": result.failed,
        "seconds": result.seconds,
    }


def table(rows: dict[str, dict]) -> str:
    head = f"{'':<12}{'conv':>6}{'msgs':>7}{'msg/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    lines = [head, "-" * len(head)]
    for name, s in rows.items():
        lines.append(f"{name:<12}{s['conversations']:>6}{s['messages']:>7}{s['throughput_msg_s']:>9.2f}"
                     f"{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}{s['p99_ms']:>9.0f}{s['errors']:>8}")
    return "\n".join(lines)


def layers_table(costs: list[LayerCost]) -> str:
    head = f"{'own layer':<28}{'calls':>7}{'mean us':>10}{'p95 us':>10}{'runs on':>9}{'us/msg':>9}"
    lines = [head, "-" * len(head)]
    for c in costs:
        lines.append(f"{c.name:<28}{c.calls:>7}{c.mean_us:>10.0f}{c.p95_us:>10.0f}{c.share:>8.0%} "
                     f"{c.per_message_us:>9.0f}")
    total = sum(c.per_message_us for c in costs)
    lines.append(f"{'total per message (mean)':<64}{total:>9.0f}")
    return "\n".join(lines)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
