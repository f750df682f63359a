"""HandoffPolicy in Rasa's own prediction ensemble: while a person has her conversation, the bot only relays."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.handoff import ACTION_HANDOFF_RELAY, HandoffPolicy
from bot.policies.red_flag import ACTION_RED_FLAG, RedFlagPolicy
from tests.policies.test_red_flag_policy import DOMAIN, predicted


def make(policy_class, tmp_path: Path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return policy_class.create(policy_class.get_default_config(), storage, Resource(policy_class.__name__), context)


@pytest.fixture()
def policy(tmp_path: Path) -> HandoffPolicy:
    return make(HandoffPolicy, tmp_path)


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("pseudonymous-id", [ActionExecuted(ACTION_LISTEN_NAME), *events])


def said(intent: str, handoff: int | None = 12) -> UserUttered:
    return UserUttered("...", intent={"name": intent, "confidence": 1.0},
                       metadata={"handoff": handoff} if handoff else None)


def test_a_message_during_a_handoff_is_relayed_then_the_bot_listens(policy):
    prediction = policy.predict_action_probabilities(tracker(said("greet")), DOMAIN)
    assert predicted(prediction) == ACTION_HANDOFF_RELAY and prediction.is_no_user_prediction
    after = tracker(said("greet"), ActionExecuted(ACTION_HANDOFF_RELAY))
    assert predicted(policy.predict_action_probabilities(after, DOMAIN)) == ACTION_LISTEN_NAME


def test_no_opinion_without_a_handoff(policy):
    prediction = policy.predict_action_probabilities(tracker(said("greet", handoff=None)), DOMAIN)
    assert max(prediction.probabilities) == 0.0


def test_a_red_flag_during_a_handoff_is_left_to_the_red_flag_policy(policy, tmp_path):
    state = tracker(said("red_flag_bleeding"))
    assert max(policy.predict_action_probabilities(state, DOMAIN).probabilities) == 0.0
    red = make(RedFlagPolicy, tmp_path / "red")
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([
        policy.predict_action_probabilities(state, DOMAIN), red.predict_action_probabilities(state, DOMAIN)])
    assert predicted(best) == ACTION_RED_FLAG


@pytest.mark.parametrize("rule_action", ["action_select_option", "feedback_form"])
def test_it_beats_rules_and_active_forms(policy, rule_action):
    state = tracker(ActiveLoop("feedback_form"), ActionExecuted("feedback_form"), ActionExecuted(ACTION_LISTEN_NAME),
                    said("select_option"))
    rule = [0.0] * len(DOMAIN.action_names_or_texts)
    rule[DOMAIN.index_for_action(rule_action)] = 1.0
    rule_prediction = PolicyPrediction(rule, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy(
        [rule_prediction, policy.predict_action_probabilities(state, DOMAIN)])
    assert predicted(best) == ACTION_HANDOFF_RELAY
