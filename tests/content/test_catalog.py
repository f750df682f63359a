from bot.content.check import run_checks
from bot.content.models import SECTIONS

FOUNDATION_TOPICS = {"place_of_birth", "induction_of_labour", "infant_feeding"}


def test_the_shipped_content_passes_every_check():
    assert run_checks() == []


def test_english_and_polish_are_curated(catalog):
    assert {"en", "pl"} <= set(catalog.curated_languages)
    assert catalog.default_language == "en"


def test_foundation_topics_are_complete_in_every_curated_language(catalog):
    assert FOUNDATION_TOPICS <= set(catalog.topics)
    for topic_id in FOUNDATION_TOPICS:
        topic = catalog.topics[topic_id]
        for language in catalog.curated_languages:
            assert set(topic.texts[language].sections) == set(SECTIONS)


def test_every_translation_records_its_status(catalog):
    for topic in catalog.topics.values():
        assert topic.texts["en"].status == "original"
        assert all(t.status in ("machine-drafted", "reviewed") for code, t in topic.texts.items() if code != "en")
    assert catalog.ui["pl"].translation_status in ("machine-drafted", "reviewed")


def test_topic_intents_follow_content_ids(catalog):
    assert catalog.topic_for_intent("topic_infant_feeding").id == "infant_feeding"
    assert catalog.topic_for_intent("greet") is None
    assert catalog.topic_for_intent("topic_unknown") is None
