"""PrivacyPolicy in Rasa's own prediction ensemble: after the gateway erased her data, the confirmation comes next,
whatever the NLU made of the (empty) message, and it beats the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.policies.privacy import ACTION_PRIVACY_ERASED, PRIVACY_METADATA, PrivacyPolicy
from tests.policies.test_handoff_policy import make, tracker
from tests.policies.test_red_flag_policy import DOMAIN, predicted


@pytest.fixture()
def policy(tmp_path: Path) -> PrivacyPolicy:
    return make(PrivacyPolicy, tmp_path)


def erased(intent: str = "no_text", marked: bool = True) -> UserUttered:
    return UserUttered("", intent={"name": intent, "confidence": 1.0},
                       metadata={PRIVACY_METADATA: {"erased": True, "language": "pl"}} if marked else None)


def test_the_confirmation_comes_next_then_the_bot_listens(policy):
    prediction = policy.predict_action_probabilities(tracker(erased()), DOMAIN)
    assert predicted(prediction) == ACTION_PRIVACY_ERASED and prediction.is_no_user_prediction
    after = tracker(erased(), ActionExecuted(ACTION_PRIVACY_ERASED))
    assert predicted(policy.predict_action_probabilities(after, DOMAIN)) == ACTION_LISTEN_NAME


def test_no_opinion_on_an_ordinary_message(policy):
    assert max(policy.predict_action_probabilities(tracker(erased("greet", marked=False)), DOMAIN).probabilities) == 0


def test_it_beats_the_rule_for_an_empty_message(policy):
    rule = [0.0] * len(DOMAIN.action_names_or_texts)
    rule[DOMAIN.index_for_action("action_no_text")] = 1.0
    rule_prediction = PolicyPrediction(rule, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy(
        [rule_prediction, policy.predict_action_probabilities(tracker(erased()), DOMAIN)])
    assert predicted(best) == ACTION_PRIVACY_ERASED
