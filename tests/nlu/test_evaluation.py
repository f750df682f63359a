"""The folds of `doula eval nlu`: every example is held out once, and every topic in every language is in every fold."""

from collections import Counter

from bot.nlu.evaluation import Scores, folds, read_examples, table


def test_folds_hold_out_every_example_once_stratified_by_topic_and_language():
    examples, shared = read_examples()
    parts = folds(examples, 3)
    assert sorted(map(id, (e for p in parts for e in p))) == sorted(map(id, examples))
    for part in parts:
        keys = Counter((e.intent, e.language) for e in part)
        assert ("topic_place_of_birth", "en") in keys and ("topic_place_of_birth", "pl") in keys
    assert any(block.get("intent") == "select_option" for block in shared)  # menus are always trained on


def test_the_table_shows_topic_accuracy_per_language_against_the_target():
    scores = {"en": Scores(), "pl": Scores()}
    for truth, predicted in [("topic_vbac", "topic_vbac"), ("topic_vbac", "topic_caesarean_birth"), ("greet", "greet")]:
        scores["en"].add(truth, predicted)
    scores["pl"].add("topic_vbac", "topic_vbac")
    printed = table(scores)
    assert "en" in printed and "0.500" in printed and "BELOW" in printed
    assert "vbac->caesarean_birth x1" in printed
