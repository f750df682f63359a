"""Full dates (day, month, year) in figures and in words, in every language served; nothing less than a full date."""

import pytest


@pytest.mark.parametrize(
    "date",
    [
        "12/03/1990",
        "12-03-1990",
        "12.03.90",
        "3/4/1988",
        "03/25/1990",  # month first
        "1990-03-12",
        "3 March 1990",
        "3rd March 1990",
        "3rd of March 1990",
        "March 3, 1990",
        "March 3rd 1990",
        "3 Mar 1990",
        "21 listopada 2022",
        "3 marca 2023",
        "3 martie 2023",
        "3 de março de 2023",
        "3 de marco de 2023",
        "3 березня 2023",
        "3 марта 1990",
        "3 مارس 2023",
        "3 آذار 2023",
        "14 كانون الثاني 2022",
        "۱۲ اسفند ۱۳۶۸",
        "3 مارچ 2023",
        "৩ মার্চ ২০২৩",
        "੩ ਮਾਰਚ ੨੦੨੩",
        "3 Maarso 2023",
        "3 መጋቢት 2023",
    ],
)
def test_full_dates(date, found, redact):
    text = f"born {date}, at night"
    assert found(text) == [("DATE_OF_BIRTH", date)]
    assert redact(text) == "born [DATE_OF_BIRTH], at night"


@pytest.mark.parametrize(
    "text",
    [
        "I gave birth in May",
        "3 March, a Sunday",
        "at week 37 they said 37+4 was fine",
        "37 weeks and 3 days",
        "BP 140/90",
        "the scan at 12/40 and again at 20/40",
        "version 2.5.1 of the app",
        "in 2023 I had my first baby",
        "13/13/2023",  # no such month or day
        "between 10.30 and 11.15",
    ],
)
def test_not_full_dates(text, found):
    assert [kind for kind, _ in found(text)] == []
