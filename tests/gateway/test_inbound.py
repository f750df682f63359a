from bot.gateway.inbound import clean


def test_control_characters_and_bidi_overrides_are_removed():
    assert clean("hel\x00lo\x07 \u202ewor\u202cld", 100).text == "hello world"


def test_persian_zero_width_non_joiner_is_kept():
    assert clean("می\u200cخواهم", 100).text == "می\u200cخواهم"


def test_a_leading_slash_cannot_inject_a_rasa_command():
    # "/greet" would otherwise skip understanding (and every safety check) in Rasa.
    assert clean("/stop", 100).text == "stop"
    assert clean("  //topic_place_of_birth{\"x\":1}", 100).text.startswith("topic_place_of_birth")


def test_whitespace_is_tidied_but_line_breaks_survive():
    assert clean("a\r\n\r\n\r\n\r\nb\t\tc", 100).text == "a\n\nb c"


def test_huge_text_is_cut_at_a_word_and_flagged():
    result = clean("word " * 1000, 100)
    assert result.truncated and len(result.text) <= 100 and result.text.endswith("word")


def test_empty_and_missing_text_become_empty():
    assert clean(None, 100).text == "" and clean("", 100).text == ""
    assert not clean("hello", 100).truncated


def test_a_red_flag_at_the_end_of_a_huge_message_is_not_cut_off():
    essay = "I have a question about my scan appointment and the parking. " * 40
    result = clean(essay + "Also my baby has stopped moving since this morning.", 1000)
    assert result.truncated and len(result.text) <= 1000
    assert result.text.endswith("Also my baby has stopped moving since this morning.")
