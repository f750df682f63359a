"""The public API: typed placeholders in her text, entities in the original offsets, redacting twice changes nothing."""

import pytest

from bot.anonymise import ENTITY_TYPES, PLACEHOLDERS, Anonymiser, Entity, Redaction, anonymiser
from bot.anonymise.engine import merge


def test_one_anonymiser_per_process():
    assert anonymiser() is anonymiser()
    assert isinstance(anonymiser(), Anonymiser)


def test_each_type_has_its_placeholder(engine):
    text = ("Dr Khan (NHS 943 476 5919, tel 07700 900123, khan@example.com) saw me at 12 High Street, LS6 2QR "
            "on 12/03/1990; MRN RX1234567.")
    redaction = engine.redact(text, "en")
    assert redaction.text == ("Dr [NAME] (NHS [NHS_NUMBER], tel [PHONE], [EMAIL]) saw me at [ADDRESS], [POSTCODE] "
                              "on [DATE_OF_BIRTH]; MRN [HOSPITAL_NUMBER].")
    assert [e.type for e in redaction.entities] == ["PERSON", "NHS_NUMBER", "PHONE", "EMAIL", "ADDRESS", "POSTCODE",
                                                    "DATE_OF_BIRTH", "HOSPITAL_NUMBER"]
    assert set(PLACEHOLDERS) == set(ENTITY_TYPES)
    assert PLACEHOLDERS["PERSON"] == "[NAME]"


def test_entities_are_spans_of_the_original_text(engine):
    text = "القابلة فاطمة، رقمي ٠٧٧٠٠ ٩٠٠١٢٣"
    redaction = engine.redact(text, "ar")
    assert redaction == Redaction("القابلة [NAME]، رقمي [PHONE]",
                                  (Entity("PERSON", 8, 13), Entity("PHONE", 20, 32)))
    assert [text[e.start:e.end] for e in redaction.entities] == ["فاطمة", "٠٧٧٠٠ ٩٠٠١٢٣"]
    assert redaction.entities[0].to_dict() == {"type": "PERSON", "start": 8, "end": 13}


def test_the_language_is_only_a_hint(engine):
    text = "my położna Ania gave me 07700 900123"
    expected = engine.redact(text, "en")
    assert expected.text == "my położna [NAME] gave me [PHONE]"
    for language in (None, "pl", "ar", "so", "xx", "klingon"):
        assert engine.redact(text, language) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n", "ok", "👍"])
def test_nothing_to_redact(engine, text):
    assert engine.redact(text) == Redaction(text, ())


def test_redacting_twice_changes_nothing(engine):
    text = "Dr Sarah Okafor, 07700 900123, 12 High Street, 3 March 1990, RX1234567, NHS 9434765919"
    once = engine.redact(text)
    assert once.entities
    assert engine.redact(once.text) == Redaction(once.text, ())


def test_overlapping_findings_become_one_span_of_the_most_specific_type():
    from presidio_analyzer import RecognizerResult

    merged = merge([RecognizerResult("PHONE", 0, 12, 0.8), RecognizerResult("NHS_NUMBER", 2, 14, 1.0),
                    RecognizerResult("PERSON", 20, 25, 0.85)])
    assert merged == (Entity("NHS_NUMBER", 0, 14), Entity("PERSON", 20, 25))


def test_what_a_placeholder_uncovers_is_redacted_too(engine):
    # "Sarah12" is no word "Sarah" until the date next to it is replaced
    redaction = engine.redact("Sarah12/03/1990 came")
    assert redaction.text == "[NAME][DATE_OF_BIRTH] came"
    assert redaction.entities == (Entity("PERSON", 0, 5), Entity("DATE_OF_BIRTH", 5, 15))


def test_placeholders_in_the_text_are_not_cue_words(engine):
    assert engine.redact("[HOSPITAL_NUMBER] 07700 and [PHONE] 1234567").entities == ()
