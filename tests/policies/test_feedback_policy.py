"""FeedbackPolicy in Rasa's own prediction ensemble: while she answers feedback questions, her messages are answers
(whatever the NLU made of them), red flags excepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.policies.feedback import ACTION_FEEDBACK, FeedbackPolicy
from bot.policies.red_flag import ACTION_RED_FLAG, RedFlagPolicy
from tests.policies.test_handoff_policy import make, tracker
from tests.policies.test_red_flag_policy import DOMAIN, predicted


@pytest.fixture()
def policy(tmp_path: Path) -> FeedbackPolicy:
    return make(FeedbackPolicy, tmp_path)


def answered(intent: str, step: str | None = "went_well") -> UserUttered:
    return UserUttered("the midwife listened", intent={"name": intent, "confidence": 1.0},
                       metadata={"feedback": {"step": step}} if step else None)


@pytest.mark.parametrize("intent", ["greet", "topic_pain_relief", "out_of_scope", "nlu_fallback"])
def test_an_answer_goes_to_the_feedback_action_whatever_its_intent_then_the_bot_listens(policy, intent):
    prediction = policy.predict_action_probabilities(tracker(answered(intent)), DOMAIN)
    assert predicted(prediction) == ACTION_FEEDBACK and prediction.is_no_user_prediction
    after = tracker(answered(intent), ActionExecuted(ACTION_FEEDBACK))
    assert predicted(policy.predict_action_probabilities(after, DOMAIN)) == ACTION_LISTEN_NAME


def test_no_opinion_outside_feedback(policy):
    assert max(policy.predict_action_probabilities(tracker(answered("greet", None)), DOMAIN).probabilities) == 0.0


def test_a_red_flag_while_giving_feedback_is_answered_first(policy, tmp_path):
    state = tracker(answered("red_flag_bleeding"))
    red = make(RedFlagPolicy, tmp_path / "red")
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([
        policy.predict_action_probabilities(state, DOMAIN), red.predict_action_probabilities(state, DOMAIN)])
    assert predicted(best) == ACTION_RED_FLAG


def test_it_beats_the_rule_for_the_intent_the_model_saw(policy):
    rule = [0.0] * len(DOMAIN.action_names_or_texts)
    rule[DOMAIN.index_for_action("action_explain_topic")] = 1.0
    rule_prediction = PolicyPrediction(rule, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    state = tracker(answered("topic_pain_relief"))
    best = DefaultPolicyPredictionEnsemble._pick_best_policy(
        [rule_prediction, policy.predict_action_probabilities(state, DOMAIN)])
    assert predicted(best) == ACTION_FEEDBACK
