import pytest

from bot.language.detect import detector_for

ALL = ("en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk")


@pytest.fixture(scope="module")
def detector():
    return detector_for(ALL)


@pytest.mark.parametrize(
    "text, language",
    [
        ("where can I give birth", "en"),
        ("gdzie mogę urodzić?", "pl"),
        ("Dzień dobry", "pl"),
        ("Aş vrea să nasc acasă", "ro"),
        ("Quero saber sobre a indução", "pt"),
        ("أنا حامل وأريد أن أعرف", "ar"),
        ("من باردار هستم", "fa"),
        ("میں حاملہ ہوں", "ur"),
        ("আমি গর্ভবতী", "bn"),
        ("ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", "pa"),
        ("Waxaan rabaa inaan wax ka ogaado", "so"),
        ("ሰላም ከመይ ኣለኺ", "ti"),
        ("Я вагітна, де народжувати?", "uk"),
    ],
)
def test_detects_the_language_of_a_short_message(detector, text, language):
    detection = detector.detect(text)
    assert detection is not None and detection.language == language


@pytest.mark.parametrize("text", ["1", "ok", "yes", "tak", "hi", "👍", "", "  "])
def test_short_replies_are_never_detected_so_they_never_switch_language(detector, text):
    assert detector.detect(text) is None


def test_a_language_outside_the_set_is_not_reported(detector):
    detection = detector_for(("en", "pl")).detect("Aş vrea să nasc acasă, vă rog frumos")
    assert detection is None or detection.language in ("en", "pl")
