"""Phone numbers: UK and international shapes, two in a row, cue words for numbers without a prefix."""

import pytest


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "020 7946 0321",
        "0113 496 0789",
        "+44 7700 900456",
        "+44 (0)7700 900456",
        "0044 20 7946 0958",
        "+48 601 234 567",
        "+351 912 345 678",
        "+380 67 123 4567",
    ],
)
def test_numbers_are_found_whole(number, found, redact):
    text = f"You can call me on {number} any time."
    assert found(text) == [("PHONE", number)]
    assert redact(text) == "You can call me on [PHONE] any time."


def test_two_numbers_one_after_the_other_are_two(found):
    assert found("07700 900123 07700 900456") == [("PHONE", "07700 900123"), ("PHONE", "07700 900456")]


def test_a_count_after_the_number_is_not_part_of_it(found):
    assert found("ring 07700 900123 2 days after") == [("PHONE", "07700 900123")]


@pytest.mark.parametrize(
    "text, number",
    [
        ("Mój telefon: 601 234 567, proszę pisać po polsku.", "601 234 567"),
        ("tel. 912 345 678", "912 345 678"),
        ("mobile 7700900123", "7700900123"),
    ],
)
def test_after_a_phone_cue_the_prefix_may_be_missing(text, number, found):
    assert found(text) == [("PHONE", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Call 111 or 999 if you are worried.",
        "I was 37 weeks, she weighed 3400 grams.",
        "the reference 601 234 567 on the leaflet",  # no cue, no prefix: too short for a UK number
        "BP was 140/90 and then 150/100",
        "labour lasted 12 hours 30 minutes",
    ],
)
def test_not_phone_numbers(text, found):
    assert [kind for kind, _ in found(text)] == []


def test_digits_of_other_scripts(found):
    assert found("ফোন ০৭৭০০ ৯০০১২৩") == [("PHONE", "০৭৭০০ ৯০০১২৩")]
    assert found("شماره تلفنم ۰۷۷۰۰۹۰۰۸۹۰ است") == [("PHONE", "۰۷۷۰۰۹۰۰۸۹۰")]
    assert found("ਫ਼ੋਨ ੦੭੭੦੦ ੯੦੦੭੭੮") == [("PHONE", "੦੭੭੦੦ ੯੦੦੭੭੮")]


def test_a_date_is_a_date_not_a_phone(found):
    assert found("seen on 01.02.1990") == [("DATE_OF_BIRTH", "01.02.1990")]
