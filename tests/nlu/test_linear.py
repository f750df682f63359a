"""The classifier's text folding, and that the linear pipeline lets a message typed without diacritics or with the
other Arabic-script letter variants meet the examples written with them."""

import pickle

import numpy as np

from bot.nlu.linear import build_pipeline, softmax
from bot.nlu.normalise import fold, normalise


def test_normalise_unifies_arabic_script_variants_marks_digits_and_stretching_but_keeps_latin_accents():
    assert normalise("Ciąża") == "ciąża"
    assert normalise("زیادہ") == normalise("زياده")  # Urdu/Persian ی ہ against Arabic ي ه
    assert normalise("کمک") == normalise("كمك")
    assert normalise("مُرَاجَعَة") == normalise("مراجعه")  # harakat gone, ة -> ه
    assert normalise("شـــكرا") == normalise("شكرا")  # tatweel
    assert normalise("می\u200cخواهم") == normalise("میخواهم")  # the Persian half-space
    assert normalise("۲۰ هفته") == "20 هفته" and normalise("২০ সপ্তাহ") == "20 সপ্তাহ"
    assert normalise("pleeeease") == "pleease"


def test_fold_also_removes_latin_and_cyrillic_accents():
    assert fold("Ciąża, łożysko") == "ciaza, lozysko"
    assert fold("vacinação") == "vacinacao" and fold("sarcină") == "sarcina"
    assert fold("Її") == fold("іі")
    assert fold("ቤት") == "ቤት" and fold("ਦਰਦ") == "ਦਰਦ"  # abugidas are left as they are


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
