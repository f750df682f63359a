"""Hospital numbers: a code after a cue word in any language served, or in the shapes trusts use."""

import pytest


@pytest.mark.parametrize(
    "text, code",
    [
        ("my hospital number is RX1234567", "RX1234567"),
        ("MRN: K0456712 - please check", "K0456712"),
        ("hospital no 7781234", "7781234"),
        ("patient number RX 123 4567 on the wristband", "RX 123 4567"),
        ("numer pacjentki: 7781234, proszę sprawdzić", "7781234"),
        ("número de processo H3344556", "H3344556"),
        ("numărul de pacient: 5567123", "5567123"),
        ("رقم الملف الطبي ٧٧٨١٢٣٤", "٧٧٨١٢٣٤"),
        ("شماره پرونده ۸۸۷۶۵۴۳", "۸۸۷۶۵۴۳"),
        ("میرا ہسپتال نمبر 1234567 ہے", "1234567"),
        ("হাসপাতাল নম্বর ১২৩৪৫৬৭", "১২৩৪৫৬৭"),
        ("ਹਸਪਤਾਲ ਨੰਬਰ ੧੨੩੪੫੬੭", "੧੨੩੪੫੬੭"),
        ("lambarka isbitaalka 1234567", "1234567"),
        ("ቁጽሪ ሆስፒታል 1234567 እዩ", "1234567"),
        ("номер пацієнта: 1234567", "1234567"),
    ],
)
def test_codes_after_a_cue(text, code, found):
    assert found(text) == [("HOSPITAL_NUMBER", code)]


@pytest.mark.parametrize("code", ["RX1234567", "K0456712", "abc12345678"])
def test_codes_in_the_trusts_shapes(code, found, redact):
    assert found(f"see {code} in my notes") == [("HOSPITAL_NUMBER", code)]
    assert redact(f"see {code} in my notes") == "see [HOSPITAL_NUMBER] in my notes"


@pytest.mark.parametrize("text", ["Vitamin B12 and Covid19 jabs", "hospital number, I never got one",
                                  "the hospital number is on the letter. 37 weeks", "Bay 4, Room 12"])
def test_not_hospital_numbers(text, found):
    assert found(text) == []
