"""Storing feedback and finding it again by month and site, with her consent respected (a real SQLite database)."""

from __future__ import annotations

import pytest

from bot.services.feedback.store import FeedbackStore
from tests.services.feedback.exports_support import database, record, theme


@pytest.fixture
def store(tmp_path) -> FeedbackStore:
    return FeedbackStore(database(tmp_path))  # add() checks the words with the real anonymiser


def test_stored_feedback_comes_back_as_it_was(store):
    original = record(month="2026-03", language="ar", site="City Hospital", stage="after_birth", rating="poor",
                      went_well=None, could_be_better="الانتظار طويل", could_be_better_en="The wait was long",
                      themes=[theme("staffing_waiting")], sentiment="negative", ethnic_group="other.arab",
                      age_band="30_34")
    new_id = store.add(original)
    (found,) = store.query("2026-03", "2026-03")
    assert found.id == new_id
    assert {**found.__dict__, "id": None} == {**original.__dict__, "id": None}


def test_words_that_still_identify_her_are_refused(store):
    with pytest.raises(ValueError):
        store.add(record(went_well="call me on 07700 900123"))
    assert store.query(consented_only=False) == []


def test_queries_by_month_site_and_consent(store):
    for month, site, consent in [("2026-01", "City Hospital", True), ("2026-02", "City Hospital", True),
                                 ("2026-02", "Riverside", True), ("2026-02", "City Hospital", False),
                                 ("2026-03", None, False), ("2026-04", "Riverside", True)]:
        store.add(record(month=month, site=site, consent_mvp=consent))
    assert [r.month for r in store.query("2026-02", "2026-03")] == ["2026-02", "2026-02"]
    assert len(store.query("2026-02", "2026-03", consented_only=False)) == 4
    assert [(r.month, r.site) for r in store.query(site="Riverside")] == [("2026-02", "Riverside"),
                                                                          ("2026-04", "Riverside")]
    assert all(r.consent_mvp for r in store.query())
    assert store.count_withheld("2026-01", "2026-04") == 2
    assert store.count_withheld("2026-02", "2026-02", "City Hospital") == 1
    assert store.count_withheld("2026-04", "2026-04") == 0
    assert store.sites() == ["City Hospital", "Riverside"]
