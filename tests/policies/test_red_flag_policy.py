"""RedFlagPolicy in Rasa's own prediction ensemble: urgent advice wins over rules, menus and active forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.policies.base import PRIORITY
from bot.policies.red_flag import ACTION_RED_FLAG, RedFlagPolicy

# A domain with a form, as the feedback and handoff features will have.
DOMAIN = Domain.from_dict({
    **Domain.load(ROOT / "domain.yml").as_dict(),
    "forms": {"feedback_form": {"required_slots": []}},
})


@pytest.fixture()
def policy(tmp_path: Path) -> RedFlagPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return RedFlagPolicy.create(RedFlagPolicy.get_default_config(), storage, Resource("red_flag"), context)


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("pseudonymous-id", [ActionExecuted(ACTION_LISTEN_NAME), *events])


def said(intent: str) -> list:
    return [UserUttered("...", intent={"name": intent, "confidence": 1.0}), ]


def predicted(prediction: PolicyPrediction) -> str:
    return DOMAIN.action_names_or_texts[prediction.probabilities.index(max(prediction.probabilities))]


def test_urgent_advice_right_after_a_red_flag_message(policy):
    prediction = policy.predict_action_probabilities(tracker(*said("red_flag_bleeding")), DOMAIN)
    assert predicted(prediction) == ACTION_RED_FLAG
    assert prediction.is_no_user_prediction and prediction.policy_priority == PRIORITY


def test_then_it_listens(policy):
    events = [*said("red_flag_bleeding"), ActionExecuted(ACTION_RED_FLAG)]
    assert predicted(policy.predict_action_probabilities(tracker(*events), DOMAIN)) == ACTION_LISTEN_NAME


def test_no_opinion_on_other_messages(policy):
    prediction = policy.predict_action_probabilities(tracker(*said("greet")), DOMAIN)
    assert max(prediction.probabilities) == 0.0


def test_it_beats_an_active_form_in_rasas_ensemble(policy):
    """RulePolicy predicts an active form as a 'no user' prediction, which overrules ordinary rules."""
    state = tracker(ActiveLoop("feedback_form"), ActionExecuted("feedback_form"), ActionExecuted(ACTION_LISTEN_NAME),
                    *said("red_flag_mental_health_crisis"))
    form = [0.0] * len(DOMAIN.action_names_or_texts)
    form[DOMAIN.index_for_action("feedback_form")] = 1.0
    rule_prediction = PolicyPrediction(form, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    ours = policy.predict_action_probabilities(state, DOMAIN)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([rule_prediction, ours])
    assert predicted(best) == ACTION_RED_FLAG


def test_it_beats_a_rule_for_a_menu_number(policy):
    state = tracker(*said("red_flag_reduced_movements"))
    menu = [0.0] * len(DOMAIN.action_names_or_texts)
    menu[DOMAIN.index_for_action("action_select_option")] = 1.0
    rule_prediction = PolicyPrediction(menu, "RulePolicy", policy_priority=6)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy(
        [rule_prediction, policy.predict_action_probabilities(state, DOMAIN)]
    )
    assert predicted(best) == ACTION_RED_FLAG
