"""The domain, rules and content agree: what one names, the others have."""

import yaml

from bot.paths import ROOT
from bot.services import conversation


def load(path):
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def test_slots_the_services_set_are_in_the_domain():
    slots = load("domain.yml")["slots"]
    for name in (conversation.SLOT_LANGUAGE, conversation.SLOT_LANGUAGE_CHOSEN, conversation.SLOT_MENU,
                 conversation.SLOT_TOPIC, conversation.SLOT_INTRODUCED, "red_flag"):
        assert name in slots


def test_the_domain_holds_no_user_facing_text():
    assert not load("domain.yml").get("responses")


def test_every_topic_has_an_intent_and_a_rule(catalog):
    intents = set(load("domain.yml")["intents"])
    rule = load("data/rules/topics.yml")["rules"][0]
    ruled = {step["intent"] for step in rule["steps"][0]["or"]}
    for topic in catalog.topics.values():
        assert topic.intent in intents and topic.intent in ruled
