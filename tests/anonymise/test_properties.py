"""Whatever she types, redaction does not fail, its spans are sound, no valid NHS number survives it, and redacting
the result again finds nothing (the feedback store relies on that as its last guard)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.anonymise.recognizers import nhs_check_digit_ok
from bot.language.digits import to_ascii_digits

PIECES = [
    "Sarah", "sarah", "Dr", "Dr.", "midwife", "Hope", "ward", "May", "will", "Grace", "Kowalska", "Anią", "فاطمة",
    "و", "على", "রহিমা", "র", "ਸਿਮਰਨ", "ሰላም", "ን", "Оксана", "12", "High", "Street", "Flat", "ul.", "nr",
    "07700", "900123", "+44", "943", "476", "5919", "9434765919", "٩٤٣", "৪৭৬", "۵۹۱۹", "RX1234567", "MRN",
    "SW1A", "1AA", "3", "March", "1990", "12/03/1990", "@", "example.com", "-", ".", ",", "(", ")", "'s", "\n",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=14).map(
    lambda parts: "".join(p + (" " if i % 3 else "") for i, p in enumerate(parts)))
NHS_SHAPED = re.compile(r"(?<!\d)(?=(\d{3})([ -]?)(\d{3})\2(\d{4})(?!\d))")


def valid_nhs_numbers(text: str) -> list[str]:
    text = to_ascii_digits(text)
    return [m.group(1) + m.group(3) + m.group(4) for m in NHS_SHAPED.finditer(text)
            if nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, language=st.sampled_from([None, "en", "ar", "pl", "bn", "xx"]))
def test_redaction_is_sound_on_any_text(engine, text, language):
    redaction = engine.redact(text, language)
    previous_end = 0
    for entity in redaction.entities:
        assert previous_end <= entity.start < entity.end <= len(text)  # in bounds, in order, never overlapping
        previous_end = entity.end
    assert not valid_nhs_numbers(redaction.text)
    assert engine.redact(redaction.text, language).entities == ()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(min_value=100_000_000, max_value=999_999_999), separator=st.sampled_from(["", " ", "-"]),
       script=st.sampled_from(["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "০১২৩৪৫৬৭৮৯", "੦੧੨੩੪੫੬੭੮੯"]))
def test_every_valid_nhs_number_is_redacted_in_any_script(engine, digits, separator, script):
    prefix = str(digits)
    for check in "0123456789":
        number = prefix + check
        if nhs_check_digit_ok(number):
            written = separator.join((number[:3], number[3:6], number[6:])).translate(str.maketrans("0123456789",
                                                                                                    script))
            assert engine.redact(f"my number {written}.").text == "my number [NHS_NUMBER]."
