"""Fuzzing with hypothesis: thousands of generated inputs against the parsers and renderers that see what arrives
from outside. No crash, no 5xx, nothing lost.

Example counts are fixed and the runs derandomised, so CI is deterministic and the folder stays under about a
minute; `DOULA_FUZZ_SCALE=10` multiplies every count for a longer hunt on a developer's machine (a failure found
that way prints the smallest input, to add to these tests as an explicit example).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = max(1, int(os.environ.get("DOULA_FUZZ_SCALE", "1")))


def fuzz(examples: int) -> settings:
    """Hypothesis settings for one fuzz target: `examples` inputs (times DOULA_FUZZ_SCALE), reproducible."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much, HealthCheck.data_too_large])


CHEAP = 2000  # pure functions of microseconds
MEDIUM = 500  # parsers that build objects, the renderer over every message
SLOW = 150  # the anonymiser (spaCy + Presidio, milliseconds per text) and HTTP round trips
