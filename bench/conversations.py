"""The benchmark's conversations: deterministic for a seed, built from the project's own training data and held-out
red-flag set, so they exercise what women really send (their language, menu numbers, free text, a red flag, feedback).

Every turn is expected to get at least one reply (no STOP, no handoff to a person, which would pause the bot).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import yaml

from bot.paths import DATA_DIR, ROOT
from bot.safety.catalog import load_safety
from bot.services.feedback.texts import load_feedback_texts

LANGUAGES = ("en", "pl", "ro", "ur", "ar", "so", "pt", "bn", "fa", "uk")
# Topics whose questions could open a handoff or count as a red flag: not plain "ask a question" turns.
AVOID_TOPICS = frozenset({"interpreters", "perinatal_mental_health", "raising_concerns", "rights_and_consent"})
RED_FLAG_CATEGORIES = ("bleeding", "reduced_movements", "preeclampsia_signs", "fever_infection")
# Free-text feedback with the personal details the anonymiser must remove (fictional). None may read as a red flag
# (urgent advice would end the feedback conversation). Found so: "I live in Leeds" flags bleeding (one edit from
# "bleeds") and "Sarah" flags a seizure (one edit from Arabizi "sara3").
FEEDBACK_TEXTS = (
    "The midwife Emma Thompson was very kind, you can call me on 07700 900123",
    "Lovely team at the birth centre, my NHS number is 943 476 5919 if you need it",
    "Dr Khan explained everything, email me at amina.begum@example.com",
    "Waited four hours at triage, I live at 12 High Street, Bradford BD1 1HY",
    "Położna Anna Kowalska była wspaniała, mój telefon 07700 900456",
)


@dataclass(frozen=True)
class Conversation:
    number: int
    language: str
    channel: str  # "sms" or "whatsapp" (the Twilio side); bare Rasa gets the same texts over REST
    kind: str  # "topics", "red_flag" or "feedback"
    turns: tuple[str, ...]


@cache
def topic_examples(language: str) -> dict[str, list[str]]:
    """Per topic, the plainest ways women ask it (the first examples of each training file, long enough to tell
    the language apart), without those the red-flag detector flags: urgent advice, then her menu number, would open
    a handoff and pause the bot ("جرح القيصرية ممكن ينفتح وقت الولادة", can the caesarean scar open, is one)."""
    detector = load_safety().detector
    found: dict[str, list[str]] = {}
    for path in sorted((DATA_DIR / "nlu" / language / "topics").glob("*.yml")):
        if path.stem in AVOID_TOPICS:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lines = [x.strip()[2:] for b in data["nlu"] for x in b["examples"].splitlines() if x.strip().startswith("- ")]
        lines = [line for line in lines[:8] if len(line) >= 15 and not detector.detect(line).flagged]
        if lines:
            found[path.stem] = lines
    return found


@cache
def red_flags(language: str) -> list[str]:
    """Held-out red-flag messages of `language` that the lexicon detector flags (so every run sees the same urgent
    path; recall itself is measured by `doula eval red-flags`, not here)."""
    path = ROOT / "eval" / "red_flags" / f"{language}.yml"
    if not path.is_file():
        return []
    alarms = yaml.safe_load(path.read_text(encoding="utf-8")).get("alarms") or {}
    detector = load_safety().detector
    texts = [t for c in RED_FLAG_CATEGORIES for t in alarms.get(c) or ()]
    return [t for t in texts if detector.detect(t).flagged]


def _question(rng: random.Random, language: str) -> str:
    examples = topic_examples(language)
    return rng.choice(examples[rng.choice(sorted(examples))])


def build(count: int, seed: int = 7) -> list[Conversation]:
    """`count` conversations in ten languages: about 60% topic questions and menus, 20% with a red flag, 20% with
    feedback; a third on WhatsApp."""
    rng = random.Random(seed)
    feedback_keyword = load_feedback_texts()
    conversations = []
    for number in range(count):
        language = LANGUAGES[(number // 5 + number % 5) % len(LANGUAGES)]  # every kind in every language
        channel = "whatsapp" if number % 3 == 2 else "sms"
        roll = number % 5
        first = _question(rng, language)
        if roll == 3 and red_flags(language):
            kind = "red_flag"
            # Mid-conversation, in a topic menu: urgent advice must come first whatever the state.
            turns = (first, "2", rng.choice(red_flags(language)), _question(rng, language))
        elif roll == 4:
            kind = "feedback"
            # From the main menu (0, then 7 "Give feedback") or by its keyword in her language; then a rating,
            # what went well in her words (with personal details to anonymise), and the rest by numbers or skipped.
            start = ("0", "7") if number % 2 else (feedback_keyword.text(language, "keyword"),)
            turns = (first, *start, "1", rng.choice(FEEDBACK_TEXTS), "0", "0", "0", "0", "1")
        else:
            kind = "topics"
            # Her question, a section by number, the main menu, a stage, a topic, a section, another question.
            turns = (first, str(rng.randint(1, 5)), "0", str(rng.randint(1, 3)), "1", str(rng.randint(1, 5)),
                     _question(rng, language))
        conversations.append(Conversation(number, language, channel, kind, turns))
    return conversations


def texts(conversations: list[Conversation]) -> list[str]:
    return [turn for c in conversations for turn in c.turns]
