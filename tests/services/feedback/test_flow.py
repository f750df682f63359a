"""The feedback conversation, without Rasa: what she is asked, how she skips, and what is stored (a real SQLite
database). Her words are anonymised by an injected function here; the real anonymiser is tested in tests/anonymise."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from bot.content.catalog import load_catalog
from bot.content.render import Renderer
from bot.services.feedback.flow import FeedbackFlow
from bot.services.feedback.sessions import FeedbackSessions
from bot.services.feedback.store import FeedbackStore
from bot.services.feedback.texts import load_feedback_texts
from bot.storage.database import engine_for, feedback, feedback_sessions

SENDER = "sms-0123456789abcdef"


class Themes:
    def __init__(self, themes):
        self.themes, self.sentiment = themes, "mixed"


class Match:
    def __init__(self, theme):
        self.theme, self.sentiment, self.cues = theme, "negative", ("listened",)


@pytest.fixture
def engine(tmp_path):
    return engine_for(f"sqlite:///{tmp_path / 'doula.db'}")


@pytest.fixture
def flow(engine, monkeypatch):
    # The store's last guard calls the real anonymiser: these tests only store text without identifiers.
    return FeedbackFlow(load_feedback_texts(), FeedbackSessions(engine), FeedbackStore(engine),
                        sites=("St Mary's", "Riverside Birth Centre"),
                        anonymise=lambda text, language: re.sub(r"\bAnna\b", "[NAME]", text),
                        themes=lambda text, language: Themes([Match("communication")]),
                        translate=lambda text, language: f"(en) {text}")


def renderer(language="en"):
    return Renderer(load_catalog(), language)


def play(flow, answers, language="en"):
    """Start, then give each answer: (text, menu number). Returns every step."""
    steps = [flow.start(SENDER, language, renderer(language))]
    for text, choice in answers:
        steps.append(flow.answer(flow.active(SENDER), text, choice, renderer(language)))
    return steps


def play_to_the_end(flow, answers, language="en"):
    """`answers`, then 0 (skip) to every other question until the feedback is saved."""
    steps = play(flow, answers, language)
    while not steps[-1].finished and len(steps) < 20:
        steps.append(flow.answer(flow.active(SENDER), "0", 0, renderer(language)))
    return steps


def stored(engine):
    with engine.connect() as connection:
        return connection.execute(select(feedback)).mappings().all()


def test_a_whole_feedback_is_saved_with_coarse_fields_only(flow, engine):
    steps = play(flow, [("2", 2), ("The midwife Anna listened to me", None), ("Waiting for pain relief", None),
                        ("2", 2), ("1", 1), ("1", 1), ("2", 2), ("4", 4), ("1", 1)])
    first = steps[0].messages
    assert "Maternity Voices Partnership" in first[0].text and "1. Very good" in first[1].text
    assert "0. Skip this question" in first[1].text
    assert any("Care Quality Commission" in m.text for s in steps for m in s.messages)
    assert steps[-1].finished and "saved without your name" in steps[-1].messages[-1].text
    [row] = stored(engine)
    assert re.fullmatch(r"\d{4}-\d{2}", row["month"])
    assert (row["rating"], row["stage"], row["site"]) == ("good", "birth", "St Mary's")
    assert (row["ethnic_group"], row["age_band"], row["consent_mvp"]) == ("asian.pakistani", "30_34", True)
    assert row["went_well"] == "The midwife [NAME] listened to me"  # anonymised, never her raw words
    assert row["went_well_en"] is None  # English needs no translation
    assert json.loads(row["themes"])[0]["theme"] == "communication"
    assert "sender" not in row.keys()
    with engine.connect() as connection:  # the conversation state is gone
        assert connection.execute(select(feedback_sessions)).first() is None


def test_every_question_can_be_skipped_and_consent_no_is_kept(flow, engine):
    steps = play(flow, [("0", 0), ("0", 0), ("0", 0), ("0", 0), ("0", 0), ("0", 0), ("0", 0), ("2", 2)])
    assert steps[-1].finished
    assert not any("And which of these?" in m.text for s in steps for m in s.messages)  # no detail without a group
    [row] = stored(engine)
    assert row["rating"] is None and row["consent_mvp"] is False


def test_a_wrong_number_or_an_empty_answer_asks_again_without_losing_anything(flow):
    flow.start(SENDER, "en", renderer())
    again = flow.answer(flow.active(SENDER), "9", 9, renderer())
    assert "Please reply with one of the numbers shown" in again.messages[0].text
    assert flow.active(SENDER).step == "rating"
    flow.answer(flow.active(SENDER), "1", 1, renderer())
    again = flow.answer(flow.active(SENDER), "!!", None, renderer())
    assert "Please write a few words" in again.messages[0].text
    assert flow.active(SENDER).step == "went_well"


def test_she_is_told_what_was_removed_to_protect_her(flow):
    flow.start(SENDER, "en", renderer())
    flow.answer(flow.active(SENDER), "1", 1, renderer())
    step = flow.answer(flow.active(SENDER), "Call me on [PHONE]", None, renderer(), redacted=("PHONE",))
    assert step.messages[0].text == "To protect your privacy, I removed what looked like names or numbers."


def test_in_polish_the_questions_are_polish_and_the_english_translation_is_stored(flow, engine):
    steps = play(flow, [("1", 1), ("Położna była bardzo miła", None)], language="pl")
    assert load_feedback_texts().text("pl", "rating_question") in steps[0].messages[1].text
    for _ in range(6):
        session = flow.active(SENDER)
        flow.answer(session, "0", 0 if session.step != "consent" else 1, renderer("pl"))
    [row] = stored(engine)
    assert row["language"] == "pl" and row["went_well_en"] == "(en) Położna była bardzo miła"


def test_without_sites_the_site_question_is_not_asked(engine):
    flow = FeedbackFlow(load_feedback_texts(), FeedbackSessions(engine), FeedbackStore(engine))
    steps = play(flow, [("1", 1), ("0", 0), ("0", 0), ("1", 1)])
    assert "Where was your care?" not in "\n".join(m.text for m in steps[-1].messages)
    assert flow.active(SENDER).step == "ethnic_group"


def test_cancel_forgets_the_answers(flow, engine):
    play(flow, [("1", 1), ("lovely staff", None)])
    flow.cancel(SENDER)
    assert flow.active(SENDER) is None and stored(engine) == []


def test_feedback_about_something_unsafe_ends_with_the_offer_of_a_person_now(engine):
    """Hazard H19: the MVP reads feedback weeks later and cannot reply; she is told so, and offered a person now."""
    flow = FeedbackFlow(load_feedback_texts(), FeedbackSessions(engine), FeedbackStore(engine),
                        themes=lambda text, language: Themes([Match("safety_concerns")]))
    steps = play_to_the_end(flow, [("4", 4), ("0", 0), ("Nobody checked on me after the bleed", None)])
    assert steps[-1].finished
    closing = steps[-1].messages[-1].text
    assert "may have been unsafe" in closing and "PERSON" in closing
    [row] = stored(engine)
    assert json.loads(row["themes"])[0]["theme"] == "safety_concerns"


def test_other_feedback_ends_with_the_usual_thanks(flow):
    steps = play_to_the_end(flow, [("1", 1), ("Lovely midwives", None)])
    assert steps[-1].finished and "may have been unsafe" not in steps[-1].messages[-1].text


def test_urgent_advice_pauses_the_feedback_and_keeps_her_free_text_answer(flow, engine):
    play(flow, [("2", 2)])  # rating given; now "what went well?"
    note = flow.pause(flow.active(SENDER), "Anna was kind but I had heavy bleeding after")
    assert "write FEEDBACK to finish it" in note
    session = flow.active(SENDER)
    assert session.step == "could_be_better" and session.answers["went_well"].startswith("[NAME] was kind")
    resumed = flow.start(SENDER, "en", renderer())  # she writes FEEDBACK again
    assert "carry on with your feedback" in resumed.messages[0].text
    assert "could have been better" in " ".join(m.text for m in resumed.messages)
    steps = [resumed]
    while not steps[-1].finished and len(steps) < 20:
        steps.append(flow.answer(flow.active(SENDER), "0", 0, renderer()))
    [row] = stored(engine)
    assert row["rating"] == "good" and row["went_well"] == "[NAME] was kind but I had heavy bleeding after"


def test_a_pause_on_a_numbered_question_keeps_the_answers_so_far_and_asks_it_again(flow):
    play(flow, [("1", 1), ("Kind staff", None), ("0", 0)])  # now the stage question
    flow.pause(flow.active(SENDER), "I can't feel the baby move")
    assert flow.active(SENDER).step == "stage"
    resumed = flow.start(SENDER, "en", renderer())
    assert "carry on" in resumed.messages[0].text and flow.active(SENDER).answers["went_well"] == "Kind staff"
