"""Street addresses in the order each language writes them; never a ward, a bay or a count of days."""

import pytest


@pytest.mark.parametrize(
    "address",
    [
        "12 High Street",
        "12 high street",
        "14 Elm Grove Road",
        "4a Mill Lane",
        "221B Baker St",
        "Flat 3",
        "Apartment 12",
        "Flat 3, 27 Stanley Street",
    ],
)
def test_english_addresses(address, found, redact):
    text = f"I live at {address} and the midwife never came"
    assert found(text) == [("ADDRESS", address)]
    assert redact(text) == "I live at [ADDRESS] and the midwife never came"


@pytest.mark.parametrize(
    "text, address",
    [
        ("Mieszkam przy ul. Długiej 5/3 od roku", "ul. Długiej 5/3"),
        ("Locuiesc pe strada Mihai Eminescu nr. 10 acum", "strada Mihai Eminescu nr. 10"),
        ("Moro na Rua das Flores, 25 em Lisboa", "Rua das Flores, 25"),
        ("Я жила на вул. Шевченка 12, кв. 5 раніше", "вул. Шевченка 12, кв. 5"),
        ("أسكن في شارع الملك فهد 12 قبل", "شارع الملك فهد 12"),
        ("در خیابان ولیعصر پلاک ۱۲ بودیم", "خیابان ولیعصر پلاک ۱۲"),
        ("مکان نمبر 14، گلی نمبر 5 میں", "مکان نمبر 14، گلی نمبر 5"),
        ("Waddada Wadnaha 7 ayaan ku noolaa", "Waddada Wadnaha 7"),
    ],
)
def test_other_languages(text, address, found):
    assert found(text) == [("ADDRESS", address)]


@pytest.mark.parametrize(
    "text",
    [
        "I was on Hope ward, Bay 4, Room 12, bed 3",
        "I felt flat 3 days after the birth",
        "2 of us on the road to the hospital",
        "12 weeks later at the Park",
        "the ul. was closed",
        "Rua sem saída",
    ],
)
def test_not_addresses(text, found):
    assert [kind for kind, _ in found(text) if kind == "ADDRESS"] == []
