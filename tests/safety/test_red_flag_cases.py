"""Every category triggers in every language, and hard negatives don't, through the real lexicons.

Cases: tests/safety/cases/<lang>.yml (the tuning set). The held-out set in eval/ is measured by
`doula eval red-flags`, not asserted here.
"""

from __future__ import annotations

import pytest

from bot.content.catalog import load_catalog
from bot.safety.catalog import load_safety
from bot.safety.evaluation import CASES_DIR, load_sets

SETS = {s.language: s for s in load_sets(CASES_DIR)}
CURATED = tuple(load_catalog().languages)  # the twelve languages of content/languages.yml


def alarm_cases():
    for language, labelled in SETS.items():
        for category, messages in labelled.alarms.items():
            for message in messages:
                yield pytest.param(category, message, id=f"{language}-{category}-{message[:30]}")


def negative_cases():
    for language, labelled in SETS.items():
        for message in labelled.not_alarms:
            yield pytest.param(message, id=f"{language}-{message[:30]}")


def test_every_category_has_cases_in_every_language():
    categories = set(load_safety().categories)
    for language in CURATED:
        assert language in SETS, f"no cases for {language}"
        missing = {c for c in categories if len(SETS[language].alarms.get(c, ())) < 5}
        assert not missing, f"{language}: fewer than five cases for {sorted(missing)}"
        assert len(SETS[language].not_alarms) >= 15, language


@pytest.mark.parametrize(("category", "message"), alarm_cases())
def test_alarm_raises_its_category(category, message):
    finding = load_safety().detector.detect(message)
    assert category in finding.categories, f"{message!r} -> {finding.categories} {finding.hits}"


@pytest.mark.parametrize("message", negative_cases())
def test_hard_negative_is_not_an_alarm(message):
    finding = load_safety().detector.detect(message)
    assert not finding.flagged, f"{message!r} -> {finding.categories} {[h for h in finding.hits if h.counts]}"
