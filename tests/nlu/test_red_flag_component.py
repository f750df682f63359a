"""bot.nlu.red_flag.RedFlagClassifier on Rasa messages: lexicon and model signals, vetoes, and what actions see."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.red_flag import LEARNED_KEY, PARSE_KEY, RedFlagClassifier
from bot.safety.catalog import load_safety


def parse(text: str, intent: str = "greet", confidence: float = 0.9, ranking: list | None = None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": confidence}])
    RedFlagClassifier(load_safety()).process([message])
    return message


def test_lexicon_flag_overrides_any_intent_with_full_confidence():
    message = parse("I'm bleeding heavily", intent="topic_infant_feeding", confidence=0.97)
    assert message.get(INTENT) == {"name": "red_flag_bleeding", "confidence": 1.0}
    assert message.get(PARSE_KEY)["categories"] == ["bleeding"]
    assert message.get(PARSE_KEY)["source"] == "lexicon"
    assert message.get(PARSE_KEY)["model"] == {"intent": "topic_infant_feeding", "confidence": 0.97}


def test_the_model_alone_can_raise_a_flag():
    message = parse("something is really not right down there", intent="red_flag_bleeding", confidence=0.8)
    assert message.get(INTENT)["name"] == "red_flag_bleeding"
    assert message.get(PARSE_KEY)["source"] == "model"


def test_both_signals_and_the_most_urgent_leads():
    message = parse("I can't breathe", intent="red_flag_bleeding", confidence=0.9)
    assert message.get(PARSE_KEY)["categories"] == ["breathing_or_seizure", "bleeding"]
    assert message.get(PARSE_KEY)["source"] == "lexicon+model"


def test_a_negated_symptom_vetoes_the_model_and_its_next_guess_is_kept():
    ranking = [{"name": "red_flag_bleeding", "confidence": 0.7}, {"name": "topic_place_of_birth", "confidence": 0.2}]
    message = parse("no bleeding, where can I give birth", intent="red_flag_bleeding", confidence=0.7,
                    ranking=ranking)
    assert message.get(INTENT)["name"] == "topic_place_of_birth"
    assert message.get(PARSE_KEY)["categories"] == []


def test_an_unsure_model_flag_is_not_an_alarm():
    message = parse("hmm", intent="red_flag_itching", confidence=0.3,
                    ranking=[{"name": "red_flag_itching", "confidence": 0.3}])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_ordinary_messages_are_left_alone():
    message = parse("where can I give birth", intent="topic_place_of_birth", confidence=0.95)
    assert message.get(INTENT)["name"] == "topic_place_of_birth"
    assert message.get(PARSE_KEY) is None


def test_the_model_alone_does_not_alarm_on_an_information_question():
    message = parse("how do I count kicks?", intent="red_flag_reduced_movements", confidence=0.9,
                    ranking=[{"name": "red_flag_reduced_movements", "confidence": 0.9},
                             {"name": "out_of_scope", "confidence": 0.05}])
    assert message.get(INTENT)["name"] == "out_of_scope"


def _with_learned(text: str, category: str | None, intent: str = "greet", rule: str | None = None) -> Message:
    message = Message(data={TEXT: text})
    if rule:
        message.set("rule", rule)
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    message.set(LEARNED_KEY, {"category": category, "best": category or "bleeding", "score": 0.3 if category else -1})
    RedFlagClassifier(load_safety()).process([message])
    return message


def test_the_learned_signal_alone_raises_a_flag_even_on_a_question():
    message = _with_learned("something feels different with her today, is that ok?", "reduced_movements")
    assert message.get(INTENT) == {"name": "red_flag_reduced_movements", "confidence": 1.0}
    assert message.get(PARSE_KEY)["source"] == "model"


def test_the_learned_signal_is_overruled_when_the_lexicons_saw_its_category_negated():
    message = _with_learned("no bleeding at all, just asking about the scan", "bleeding", intent="topic_anomaly_scan")
    assert message.get(INTENT)["name"] == "topic_anomaly_scan"
    assert message.get(PARSE_KEY) is None


def test_a_learned_signal_below_its_threshold_changes_nothing():
    message = _with_learned("where can I give birth", None, intent="topic_place_of_birth")
    assert message.get(INTENT)["name"] == "topic_place_of_birth"


def test_a_message_a_rule_took_as_a_command_is_not_an_alarm_on_the_learned_signal_alone():
    message = _with_learned("stop sending me messages", "mental_health_crisis", intent="stop", rule="stop")
    assert message.get(INTENT)["name"] == "stop" and message.get(PARSE_KEY) is None


def test_the_lexicons_still_alarm_on_a_message_a_rule_matched():
    message = _with_learned("I'm bleeding heavily, a person please", "bleeding", intent="ask_person", rule="person")
    assert message.get(INTENT)["name"] == "red_flag_bleeding"
