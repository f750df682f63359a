from bot.services.language_choice import decide


def test_nothing_known_means_default_language_and_ask(catalog):
    decision = decide(catalog, None, False, None)
    assert decision.language == "en" and not decision.known


def test_detection_sets_the_language(catalog):
    decision = decide(catalog, None, False, "pl")
    assert decision.language == "pl" and decision.known and decision.changed


def test_an_uncurated_detection_keeps_the_current_language(catalog):
    # "xx" stands for any detected language without content of its own (e.g. Lithuanian).
    assert decide(catalog, "pl", False, "xx").language == "pl"


def test_her_choice_wins_over_detection(catalog):
    decision = decide(catalog, "pl", True, "en")
    assert decision.language == "pl" and not decision.changed


def test_short_replies_keep_the_language(catalog):
    assert decide(catalog, "pl", False, None).language == "pl"
