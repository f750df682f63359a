from bot.content.sms import length, segments


def test_plain_english_is_gsm7():
    assert length("Hello, how are you?") == ("GSM-7", 19)


def test_extended_characters_cost_two():
    assert length("€") == ("GSM-7", 2)


def test_polish_letters_need_ucs2():
    assert length("Dzień")[0] == "UCS-2"


def test_segment_boundaries():
    assert [segments("a" * n) for n in (160, 161, 306, 307)] == [1, 2, 2, 3]
    assert segments("ą" * 70) == 1 and segments("ą" * 71) == 2
