"""LinearScorer gives the fitted pipeline's own scores (it only skips scikit-learn's per-call overhead)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bot.nlu.linear import build_pipeline
from bot.nlu.linear_scorer import LinearScorer
from bot.safety import learned

TEXTS = ["czy mogę dostać znieczulenie zewnątrzoponowe", "ból porodowy jakie znieczulenie",
         "gaz rozweselający przy porodzie", "kiedy jest usg połówkowe", "badanie usg w 20 tygodniu",
         "skan anomalii płodu", "هل يمكنني الحصول على مسكن للألم", "تخدير فوق الجافية أثناء الولادة",
         "متى يكون فحص السونار", "فحص الموجات فوق الصوتية في الأسبوع 20", "can I have an epidural please",
         "when is the 20 week scan", "gas and air in labour"]
LABELS = ["pain"] * 3 + ["scan"] * 3 + ["pain"] * 2 + ["scan"] * 2 + ["pain", "scan", "other"]
# Unseen text, text with no known n-gram, repeated words, other scripts, emoji, a long message.
PROBES = ["EPIDURAL epidural epidural??", "usg polowkowe kiedy", "مسکن للالم", "zzzz qqqq", "", "🤰🤰", " ",
          "ਮੈਨੂੰ ਦਰਦ ਹੈ", "scan " * 300, "Ból! porodowy... i USG", "x"]


@pytest.mark.parametrize("char_weight", [1.0, 2.0])
def test_it_gives_the_intent_pipelines_scores(char_weight):
    pipeline = build_pipeline(1.0, (1, 5), seed=42, char_weight=char_weight)
    pipeline.fit(TEXTS, LABELS)
    scorer = LinearScorer(pipeline)
    assert list(scorer.classes_) == list(pipeline.classes_)
    probes = TEXTS + PROBES
    assert np.allclose(scorer.decision_function(probes), pipeline.decision_function(probes), atol=1e-12)


def test_it_gives_the_learned_red_flag_pipelines_scores():
    pipeline = learned.build_pipeline()
    labels = ["bleeding" if i % 3 == 0 else learned.NONE for i in range(len(TEXTS))]
    pipeline.fit(TEXTS, labels)
    probes = TEXTS + PROBES
    scores, expected = LinearScorer(pipeline).decision_function(probes), pipeline.decision_function(probes)
    assert scores.shape == expected.shape == (len(probes),)  # a binary SVM: one score per text, as the pipeline gives
    assert np.allclose(scores, expected, atol=1e-12)


def test_a_single_vectorizer_with_default_preprocessing_is_scored_the_same():
    pipeline = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(2, 3), norm="l1"), LinearSVC(random_state=0))
    pipeline.fit(TEXTS, LABELS)
    probes = TEXTS + PROBES
    assert np.allclose(LinearScorer(pipeline).decision_function(probes), pipeline.decision_function(probes),
                       atol=1e-12)


def test_other_pipelines_are_refused_rather_than_scored_wrongly():
    pipeline = make_pipeline(TfidfVectorizer(binary=True), LinearSVC(random_state=0))
    pipeline.fit(TEXTS, LABELS)
    with pytest.raises(ValueError):
        LinearScorer(pipeline)


def test_the_learned_signal_pickles_without_its_scorer_and_rebuilds_it():
    model = learned.LearnedRedFlags.fit(
        [("bleeding a lot since this morning", "bleeding"), ("heavy bleeding and clots", "bleeding"),
         ("when is my scan", learned.NONE), ("thank you so much", learned.NONE)])
    blob = pickle.dumps(model)
    assert b"LinearScorer" not in blob
    again = pickle.loads(blob)  # noqa: S301 - our own object
    assert again.score("bleeding heavily now please help") == model.score("bleeding heavily now please help")
