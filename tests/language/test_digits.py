import pytest

from bot.language.digits import menu_choice, to_ascii_digits


@pytest.mark.parametrize(
    "typed, number",
    [
        ("2", 2), (" 2 ", 2), ("2.", 2), ("(3)", 3), ("10", 10),
        ("٢", 2),  # Arabic-Indic
        ("۳", 3),  # Persian
        ("২", 2),  # Bengali
        ("੨", 2),  # Gurmukhi
        ("२", 2),  # Devanagari
        ("１", 1),  # full-width
    ],
)
def test_a_number_in_any_script_is_a_menu_choice(typed, number):
    assert menu_choice(typed) == number


@pytest.mark.parametrize("typed", ["two", "2 3", "I want 2", "", "123", "-1", "2a"])
def test_text_around_a_number_is_not_a_bare_menu_choice(typed):
    assert menu_choice(typed) is None


def test_other_characters_are_kept():
    assert to_ascii_digits("week ٣٧ تقريباً") == "week 37 تقريباً"
