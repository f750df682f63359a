"""bot.safety.learned: the learned red-flag signal, fitted on a few labelled messages, as `doula train` fits it on all
of them (the held-out figure is `doula eval red-flags`, not a test)."""

from __future__ import annotations

import pickle

import pytest

from bot.safety.learned import NONE, LearnedRedFlags, words

EXAMPLES = [
    ("I'm bleeding a lot", "bleeding"), ("there is blood on my pad", "bleeding"), ("heavy bleeding now", "bleeding"),
    ("Krwawię mocno", "bleeding"), ("krew na podpasce", "bleeding"),
    ("baby hasn't moved today", "reduced_movements"), ("no kicks since last night", "reduced_movements"),
    ("dziecko się nie rusza", "reduced_movements"), ("she's very quiet today, hardly moving", "reduced_movements"),
    ("where can I give birth?", NONE), ("what is the anomaly scan", NONE), ("thank you", NONE),
    ("gdzie mogę urodzić", NONE), ("how do I count kicks?", NONE), ("can I have an epidural", NONE),
    ("what vaccines do I need", NONE), ("hello", NONE), ("tell me about breastfeeding", NONE),
]


@pytest.fixture(scope="module")
def learned() -> LearnedRedFlags:
    return LearnedRedFlags.fit(EXAMPLES)


def test_it_raises_the_category_of_a_message_like_its_alarms(learned):
    assert learned.score("I am bleeding heavily").category == "bleeding"
    assert learned.score("baby not moved since this morning").category == "reduced_movements"


def test_it_leaves_a_message_like_its_negatives_alone_and_still_names_its_best_guess(learned):
    finding = learned.score("where can I have my baby?")
    assert finding.category is None and finding.best in {"bleeding", "reduced_movements"} and finding.score < 0


def test_accents_and_case_do_not_matter(learned):
    assert learned.score("KRWAWIE BARDZO MOCNO").category == "bleeding"


def test_fewer_than_three_words_are_left_to_the_lexicons(learned):
    assert learned.score("krwawię mocno").category is None and learned.score("krwawię mocno").best == "bleeding"
    assert learned.score("nie").category is None


def test_placeholders_and_numbers_are_not_words(learned):
    assert words("[PERSON] call me [PHONE] 07700") == 2
    assert learned.score("[PERSON] heavy bleeding [PHONE]").category is None
    assert learned.score("[PERSON] heavy bleeding now").category == "bleeding"


def test_empty_text_is_no_alarm(learned):
    assert learned.score("").category is None and learned.score("   ").category is None
    assert learned.scores([]) == []


def test_the_threshold_decides(learned):
    text = "heavy bleeding now"
    score = learned.score(text).score
    strict = pickle.loads(pickle.dumps(learned))  # what the Rasa component stores and loads
    strict.threshold = score + 0.01
    assert learned.score(text).category == "bleeding" and strict.score(text).category is None


def test_it_needs_both_kinds_of_example():
    with pytest.raises(ValueError):
        LearnedRedFlags.fit([("I'm bleeding", "bleeding"), ("blood", "bleeding")])
