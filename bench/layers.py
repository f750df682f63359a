"""The per-message cost of doula's own layers, in microseconds, measured in this process over the benchmark's own
message mix: input cleaning (`bot.gateway.inbound.clean`), language detection (the detector the NLU pipeline uses),
red-flag detection (`load_safety().detector.detect`), and the anonymiser on the feedback free-text answers (the only
messages it runs on). Each is warmed up first (models and caches load once per process, not per message)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.anonymise import anonymiser
from bot.content.catalog import load_catalog
from bot.gateway.inbound import clean
from bot.nlu.language import language_detector
from bot.safety.catalog import load_safety


@dataclass(frozen=True)
class LayerCost:
    name: str
    calls: int  # measured calls (texts x repeats)
    mean_us: float
    p95_us: float
    share: float  # fraction of the mix's messages this layer runs on

    @property
    def per_message_us(self) -> float:
        """Mean cost spread over every message of the mix."""
        return self.mean_us * self.share


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _time(name: str, function: Callable[[str], object], texts: list[str], repeats: int, share: float) -> LayerCost:
    for text in texts[:20]:
        function(text)  # warm-up: lazy models, lru caches
    samples = []
    for _ in range(repeats):
        for text in texts:
            started = time.perf_counter_ns()
            function(text)
            samples.append((time.perf_counter_ns() - started) / 1000)
    return LayerCost(name, len(samples), sum(samples) / len(samples), percentile(samples, 95), share)


def measure(messages: list[str], feedback_texts: list[str], repeats: int = 3) -> list[LayerCost]:
    detector = language_detector(load_catalog())
    red_flags = load_safety().detector
    redactor = anonymiser()
    share = len(feedback_texts) / len(messages) if messages else 0.0
    costs = [
        _time("input cleaning", lambda t: clean(t, 1000), messages, repeats, 1.0),
        _time("language detection", detector.detect, messages, repeats, 1.0),
        _time("red-flag detection", red_flags.detect, messages, repeats, 1.0),
    ]
    if feedback_texts:
        costs.append(_time("anonymiser (feedback text)", lambda t: redactor.redact(t, None), feedback_texts,
                           max(1, repeats), share))
    return costs
