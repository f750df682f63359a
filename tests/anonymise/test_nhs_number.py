"""NHS numbers: ten digits in the usual groupings, and only when the modulus 11 check digit is right."""

import pytest

from bot.anonymise.recognizers import nhs_check_digit_ok


@pytest.mark.parametrize("digits", ["9434765919", "4010232137", "4434640976", "4202466330"])
def test_valid_check_digits(digits):
    assert nhs_check_digit_ok(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "9434765918",  # last digit off by one
        "4010232138",
        "1234567890",
        "0000000001",
        "943476591",  # nine digits
        "94347659190",  # eleven
        "943476591a",
        "٩٤٣٤٧٦٥٩١٩",  # the caller converts other scripts first
    ],
)
def test_invalid_numbers(digits):
    assert not nhs_check_digit_ok(digits)


def test_a_remainder_giving_ten_means_no_valid_number():
    # weights 10..2 on 000000001 give 2; 11 - 2 = 9 ... find a prefix whose check digit would be 10
    prefix = next(p for p in (f"{n:09d}" for n in range(1, 1000))
                  if 11 - sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 10)
    assert not any(nhs_check_digit_ok(prefix + d) for d in "0123456789")


@pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", "9434765919"])
def test_groupings_are_found_and_replaced(written, redact, found):
    text = f"My NHS number is {written}, it was wrong on my letter."
    assert found(text) == [("NHS_NUMBER", written)]
    assert redact(text) == "My NHS number is [NHS_NUMBER], it was wrong on my letter."


def test_a_number_failing_the_check_is_not_an_nhs_number(found):
    assert found("my NHS number 943 476 5918 was typed wrong") == []


def test_a_ten_digit_number_failing_the_check_may_still_be_a_phone(found):
    assert found("call 0123456788 after six") == [("PHONE", "0123456788")]


def test_digits_of_other_scripts(found, redact):
    text = "رقمي في NHS هو ٩٤٣ ٤٧٦ ٥٩١٩"
    assert found(text) == [("NHS_NUMBER", "٩٤٣ ٤٧٦ ٥٩١٩")]
    assert redact(text) == "رقمي في NHS هو [NHS_NUMBER]"
    assert found("আমার NHS নম্বর ৯৪৩৪৭৬৫৯১৯") == [("NHS_NUMBER", "৯৪৩৪৭৬৫৯১৯")]


def test_offsets_are_in_the_original_text(engine):
    text = "NHS: ۹۴۳۴۷۶۵۹۱۹ (Persian digits)"
    (entity,) = engine.redact(text).entities
    assert text[entity.start:entity.end] == "۹۴۳۴۷۶۵۹۱۹"


def test_a_valid_number_inside_a_longer_run_of_digits_is_not_one(found):
    assert ("NHS_NUMBER", "9434765919") not in found("reference 94347659190")
