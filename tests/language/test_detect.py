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


@pytest.fixture(scope="module")
def full():
    """The bot's own detector: the curated languages, the others women here write in, and romanised writing."""
    from bot.content.catalog import load_catalog
    from bot.nlu.language import language_detector

    return language_detector(load_catalog())


@pytest.mark.parametrize(
    "text, language",
    [
        # lingua fairly sure of a language without content, far ahead of the curated ones: not pulled into one
        ("mi bebé llora mucho por la noche", "es"),
        # Vietnamese and Albanian typed without their marks, French in plain letters
        ("em bi dau bung qua, co sao khong", "vi"),
        ("bebi nuk po fle naten fare", "sq"),
        ("je voudrais parler avec la sage femme", "fr"),
        # Cyrillic without Ukrainian or Russian letters, told apart by their words
        ("у меня болит живот уже два дня", "ru"),
        ("дякую, ви дуже допомогли", "uk"),
        # Chinese characters after English ones, with no space between
        ("midwife什么时候来", "zh"),
        # Arabic script: Urdu's own letters; Farsi without them is not Urdu; Pashto by its words
        ("مجھے بہت درد ہے", "ur"),
        ("من خیلی خسته هستم امروز", "fa"),
        ("زما ماشوم ناروغ دی", "ps"),
        # Amharic verb shapes, without the Amharic አ
        ("ባለቤቴ ሊመጣ ይችላል", "am"),
        # one Bengali word among English ones lingua cannot place
        ("kon hospital e delivery bhalo", "bn"),
        # Urdu words Punjabi shares, and a Punjabi word of its own
        ("mera bacha kinna ronda hai", "pa"),
        # English with a name that is also a marker word ("ana" is Arabizi for "I")
        ("Ana will come with me to the scan", "en"),
    ],
)
def test_detects_the_language_among_all_those_women_here_write_in(full, text, language):
    detection = full.detect(text)
    assert detection is not None and detection.language == language, detection


@pytest.mark.parametrize("text", ["1", "ok", "yes", "tak", "hi", "👍", "ok merci", "cam on"])
def test_short_replies_never_switch_language_with_every_language_known(full, text):
    assert full.detect(text) is None
