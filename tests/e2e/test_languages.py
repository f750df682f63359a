"""Languages end to end, over the REST channel of a running bot:

* a conversation started in each of the 12 curated languages is answered in it, without asking, and continues in it
  through a menu number and a second question;
* one started in Lithuanian (no curated content) is machine-translated when a translator is configured (tier 2), and
  goes to an interpreter with the pre-written Lithuanian message when the translator fails (tier 3);
* switching language works at any point.
"""

from __future__ import annotations

import secrets

import pytest
import yaml

from bot.content.catalog import load_catalog
from bot.paths import DATA_DIR
from bot.safety.catalog import load_safety
from bot.services.machine_translation import read_notices

pytestmark = pytest.mark.e2e

CATALOG = load_catalog()
LANGUAGES = list(CATALOG.languages)
TOPICS = sorted(CATALOG.topics)


def longest_example(language: str, topic: str) -> str:
    """The longest of the first examples of `topic` in `language` (the plainest way women ask it, listed first),
    long enough to tell its language apart."""
    data = yaml.safe_load((DATA_DIR / "nlu" / language / "topics" / f"{topic}.yml").read_text(encoding="utf-8"))
    lines = [x.strip()[2:] for b in data["nlu"] for x in b["examples"].splitlines() if x.strip().startswith("- ")]
    return max(lines[:8], key=len)


def say(server, sender: str, text: str) -> str:
    status, replies = server.post("/webhooks/rest/webhook", {"sender": sender, "message": text})
    assert status == 200, replies
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize("index, language", list(enumerate(LANGUAGES)), ids=LANGUAGES)
def test_a_conversation_in_each_curated_language_stays_in_it(server, index, language):
    first, second = TOPICS[(3 * index) % len(TOPICS)], TOPICS[(3 * index + 7) % len(TOPICS)]
    ui = CATALOG.ui[language].messages
    sender = f"rest-lang-{language}-{secrets.token_hex(6)}"

    said = say(server, sender, longest_example(language, first))
    assert CATALOG.topics[first].texts[language].title in said, said
    assert ui["language_note"] in said and ui["language_menu"] not in said  # told how to change, never asked
    slots = server.tracker(sender)["slots"]
    assert (slots["language"], slots["topic"]) == (language, first)

    said = say(server, sender, "1")  # a menu number says nothing about language: she stays in hers
    assert ui["section.benefits"] in said, said

    said = say(server, sender, longest_example(language, second))
    assert CATALOG.topics[second].texts[language].title in said, said
    assert server.tracker(sender)["slots"]["language"] == language


LITHUANIAN = "Sveiki, norėčiau sužinoti, kur galiu gimdyti savo kūdikį"
LITHUANIAN_IN_ENGLISH = "I would like to know where I can give birth to my baby"


def test_lithuanian_is_answered_by_machine_translation_marked_as_such(server):
    server.translator.mode = "ok"
    server.translator.known[("en", LITHUANIAN)] = LITHUANIAN_IN_ENGLISH
    sender = f"rest-lt-{secrets.token_hex(6)}"
    said = say(server, sender, LITHUANIAN)
    # The English content, translated into Lithuanian by the (fake) provider: "[lt] ..." marks its output.
    title = CATALOG.topics["place_of_birth"].texts["en"].title
    assert "[lt]" in said and " ".join(reversed(title.split())) in said, said
    assert read_notices()["lt"] in said  # the pre-written Lithuanian notice: automatic translation, ask for INTERPRETER
    slots = server.tracker(sender)["slots"]
    assert (slots["language"], slots["topic"]) == ("lt", "place_of_birth")
    asked = [c for c in server.translator.calls if c.get("sl") == "lt"]
    assert asked and asked[-1]["tl"] == "en"

    said = say(server, sender, "2")  # a menu number: still Lithuanian, by machine translation
    assert "[lt]" in said and server.tracker(sender)["slots"]["language"] == "lt"

    said = say(server, sender, "where can I give birth?")  # she switches to English: the bot follows
    assert "[lt]" not in said and title in said
    assert server.tracker(sender)["slots"]["language"] == "en"


def test_lithuanian_goes_to_an_interpreter_when_the_translator_fails(server):
    server.translator.mode = "error"
    try:
        sender = f"rest-lt-{secrets.token_hex(6)}"
        said = say(server, sender, "Sveiki, man reikia pagalbos dėl gimdymo vietos pasirinkimo")
    finally:
        server.translator.mode = "ok"
    generic = load_safety().generic["lt"]
    assert "999" in said
    assert "[lt]" not in said
    from bot.services.handoff.texts import load_handoff_texts

    assert load_handoff_texts().generic_for("lt") in said or generic in said, said


def test_switching_language_works_from_inside_a_topic_menu(server):
    sender = f"rest-switch-{secrets.token_hex(6)}"
    say(server, sender, longest_example("en", "place_of_birth"))
    said = say(server, sender, "język")
    assert CATALOG.ui["en"].messages["language_menu"] in said or CATALOG.ui["pl"].messages["language_menu"] in said
    number = LANGUAGES.index("uk") + 1
    said = say(server, sender, str(number))
    assert CATALOG.ui["uk"].messages["language_set"] in said
    slots = server.tracker(sender)["slots"]
    assert slots["language"] == "uk" and slots["language_chosen"] is True
