"""Counting the NLU examples of other intents that raise an alarm (a false-alarm measure on realistic questions)."""

from pathlib import Path

from bot.safety.evaluation import format_example_alarms, nlu_example_alarms


def test_examples_of_other_intents_that_raise_an_alarm_are_counted(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "topics.yml").write_text(
        'version: "3.1"\nnlu:\n'
        "- intent: red_flag_bleeding\n  examples: |\n    - i am bleeding\n"
        "- intent: topic_waters_breaking\n  examples: |\n    - what happens when my waters break\n"
        "    - bleeding after a sweep, is that normal\n",
        encoding="utf-8",
    )

    def detect(text: str) -> tuple[str, ...]:
        return ("bleeding",) if "bleeding" in text else ()

    total, alarms = nlu_example_alarms(detect, tmp_path)
    assert total == 2  # red_flag_* examples are the alarms themselves, not counted
    assert [(a.language, a.intent, a.raised) for a in alarms] == [("en", "topic_waters_breaking", ("bleeding",))]
    assert format_example_alarms(total, alarms).startswith("1 of 2 NLU examples")
