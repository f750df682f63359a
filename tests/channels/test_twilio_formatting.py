from bot.channels.twilio.formatting import sms_parts, whatsapp_text
from bot.channels.twilio.opt_out import START, STOP, keyword
from bot.content.sms import segments


def test_sms_is_split_between_sentences_within_the_segment_limit():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    parts = sms_parts(text, 2)
    assert len(parts) > 1 and all(segments(p) <= 2 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(p.replace("\n", " ") for p in parts) == text


def test_non_latin_text_counts_ucs2_segments():
    arabic = "عندي نزيف شديد. " * 30
    parts = sms_parts(arabic, 1)
    assert all(segments(p) == 1 and len(p) <= 70 for p in parts)


def test_a_single_overlong_sentence_is_cut_between_words():
    parts = sms_parts("word " * 200, 1)
    assert all(segments(p) == 1 for p in parts) and len(parts) > 5


def test_whatsapp_bolds_a_short_heading_only():
    assert whatsapp_text("URGENT (automated message):\nCall 999 now.") == "*URGENT (automated message):*\nCall 999 now."
    assert whatsapp_text("Hello there, how are you today? I am fine.") == "Hello there, how are you today? I am fine."


def test_opt_out_keywords_only_when_alone():
    assert keyword("STOP") == STOP and keyword(" stop! ") == STOP and keyword("Koniec") == STOP
    assert keyword("стоп") == STOP and keyword("START") == START
    assert keyword("stop the bleeding") is None and keyword("") is None


def test_whatsapp_messages_stay_under_the_character_limit():
    from bot.channels.twilio.formatting import whatsapp_parts

    text = "\n".join(f"{i}. A menu option with some words" for i in range(200))
    parts = whatsapp_parts(text, 1600)
    assert len(parts) > 1 and all(len(p) <= 1600 for p in parts) and "\n".join(parts) == text
