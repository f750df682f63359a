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


def test_a_machine_translated_message_makes_its_language_hers(catalog):
    decision = decide(catalog, None, False, "en", translated_from="lt")
    assert (decision.language, decision.known, decision.changed, decision.machine) == ("lt", True, True, True)


def test_a_menu_number_keeps_a_machine_translated_language(catalog):
    decision = decide(catalog, "lt", False, None)
    assert decision.language == "lt" and decision.machine and not decision.changed


def test_writing_in_a_curated_language_leaves_machine_translation(catalog):
    decision = decide(catalog, "lt", False, "en")
    assert decision.language == "en" and not decision.machine
