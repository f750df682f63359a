"""The linear pipeline lets a message typed without diacritics or with the other Arabic-script letter variants meet
the examples written with them (the normalisation itself: tests/safety/test_normalize.py)."""

import pickle

import numpy as np

from bot.nlu.linear import build_pipeline, softmax


def _train() -> object:
    texts = ["czy mogę dostać znieczulenie zewnątrzoponowe", "ból porodowy jakie znieczulenie",
             "gaz rozweselający przy porodzie", "kiedy jest usg połówkowe", "badanie usg w 20 tygodniu",
             "skan anomalii płodu", "هل يمكنني الحصول على مسكن للألم", "تخدير فوق الجافية أثناء الولادة",
             "متى يكون فحص السونار", "فحص الموجات فوق الصوتية في الأسبوع 20"]
    labels = ["pain"] * 3 + ["scan"] * 3 + ["pain"] * 2 + ["scan"] * 2
    pipeline = build_pipeline(1.0, (1, 5), seed=42)
    pipeline.fit(texts, labels)
    return pipeline


def test_a_message_without_diacritics_or_with_persian_letters_finds_the_topic():
    pipeline = _train()
    assert list(pipeline.predict(["czy moge dostac znieczulenie", "usg polowkowe kiedy", "مسکن للالم"])) == [
        "pain", "scan", "pain"]


def test_the_trained_pipeline_pickles_and_gives_the_same_scores():
    pipeline = _train()
    again = pickle.loads(pickle.dumps(pipeline))  # noqa: S301 - our own object
    text = ["znieczulenie przy porodzie"]
    assert np.allclose(pipeline.decision_function(text), again.decision_function(text))


def test_softmax_is_a_distribution_that_sharpens_with_the_temperature():
    scores = np.array([1.0, 0.5, -1.0])
    soft, sharp = softmax(scores, 1.0), softmax(scores, 5.0)
    assert np.isclose(soft.sum(), 1.0) and np.isclose(sharp.sum(), 1.0)
    assert sharp[0] > soft[0] and soft.argmax() == sharp.argmax() == 0
