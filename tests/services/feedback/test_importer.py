"""Importing feedback from other sources: checked whole before anything is stored, anonymised and themed like the
bot's (the real anonymiser and theme classifier), and the raw text never stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.anonymise import anonymiser as real_anonymiser
from bot.services.feedback.importer import ImportRefused, import_csv
from bot.services.feedback.labels import load_wording
from bot.services.feedback.store import FeedbackStore
from bot.services.feedback.themes import theme_classifier
from bot.storage.database import feedback
from tests.services.feedback.exports_support import database

TODAY = date(2026, 4, 2)
HEADER = "text,date,rating,stage,site,language\n"


@pytest.fixture(scope="module")
def anonymiser():
    return real_anonymiser()  # the bot's own (the store's last guard uses it too)


@pytest.fixture
def engine(tmp_path):
    return database(tmp_path)


def run(tmp_path, engine, anonymiser, content: str, **kwargs):
    path = tmp_path / "other.csv"
    path.write_text(content, encoding=kwargs.pop("encoding", "utf-8"))
    kwargs.setdefault("detector", None)
    return import_csv(path, FeedbackStore(engine), anonymiser=anonymiser, classifier=theme_classifier(),
                      wording=load_wording(), today=TODAY, **kwargs)


def stored(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(feedback).order_by(feedback.c.id)).mappings()]


def test_names_and_phone_numbers_never_reach_the_database(tmp_path, engine, anonymiser):
    content = HEADER + ('"My name is Sarah Jones, call me on 07700 900123. I waited 6 hours",2026-03-14,poor,birth,'
                        'City Hospital,en\n'
                        '"The midwife Anna was kind",14/02/2026,Very good,Labour and birth,,en\n')
    result = run(tmp_path, engine, anonymiser, content, consent_mvp=True)
    assert (result.imported, result.redacted_rows, dict(result.removed)) == (2, 2, {"PHONE": 1, "PERSON": 2})
    rows = stored(engine)
    everything = repr(rows)
    for secret in ("Sarah", "Jones", "07700", "900123", "Anna"):
        assert secret not in everything
    first, second = rows
    assert first["could_be_better"] == "My name is [NAME], call me on [PHONE]. I waited 6 hours"
    assert (first["month"], first["rating"], first["stage"], first["site"], first["source"]) == \
        ("2026-03", "poor", "birth", "City Hospital", "import")
    assert '"staffing_waiting"' in first["themes"] and first["consent_mvp"]
    assert second["went_well"] == "The midwife [NAME] was kind", "a positive comment is what went well"
    assert (second["month"], second["rating"], second["stage"], second["site"]) == \
        ("2026-02", "very_good", "birth", None)


def test_unknown_answers_are_refused_by_line_without_quoting_anything(tmp_path, engine, anonymiser):
    content = HEADER + ("fine,2026-01-05,good,birth,,en\n"
                        '"private words, line two\nstill line two",2026-01-05,brilliant,birth,,en\n'
                        "more private words,2026-01-05,good,the ward,,en\n"
                        "and more,31/02/2026,,,,en\n"
                        "in Klingon,,,,,tlh\n")
    with pytest.raises(ImportRefused) as refused:
        run(tmp_path, engine, anonymiser, content)
    problems = refused.value.problems
    assert problems == [
        "line 3: unknown rating (use one of: very_good, good, neither, poor, very_poor, dont_know)",
        "line 5: unknown stage (use one of: pregnancy, birth, after_birth)",
        "line 6: the date is not a date written YYYY-MM-DD or DD/MM/YYYY",
        "line 7: unknown language (use one of: en, pl, ro, pt, ar, fa, ur, bn, pa, so, ti, uk)",
    ]
    for quoted in ("private", "brilliant", "the ward", "Klingon", "tlh"):
        assert quoted not in repr(problems)
    assert stored(engine) == [], "nothing is imported when anything is wrong"


def test_a_file_without_a_text_column_is_refused(tmp_path, engine, anonymiser):
    with pytest.raises(ImportRefused, match="text"):
        run(tmp_path, engine, anonymiser, "comment,rating\nhello,good\n")


def test_defaults_numbers_excel_files_and_empty_rows(tmp_path, engine, anonymiser):
    content = "Text;Month;Rating\r\nBardzo miła położna;2026-01;1\r\n;2026-01;2\r\nNo date here;;6\r\n"
    result = run(tmp_path, engine, anonymiser, content, language="pl", site="Riverside", encoding="utf-8-sig")
    assert (result.imported, result.empty, result.undated) == (2, 1, 1)
    first, second = stored(engine)
    assert (first["language"], first["site"], first["rating"], first["month"]) == ("pl", "Riverside", "very_good",
                                                                                   "2026-01")
    assert (second["rating"], second["month"], second["consent_mvp"]) == ("dont_know", "2026-04", False)


def test_windows_csv_is_read(tmp_path, engine, anonymiser):
    result = run(tmp_path, engine, anonymiser, "text\nCafé was closed – I waited\n", encoding="cp1252",
                 language="en")
    assert result.imported == 1 and stored(engine)[0]["could_be_better"] == "Café was closed – I waited"


def test_the_language_is_detected_when_not_given(tmp_path, engine, anonymiser):
    from bot.language.detect import detector_for

    detector = detector_for(tuple(load_wording().languages))
    content = "text\nCzekałam bardzo długo na znieczulenie, nikt mi nie pomógł\nThe staff were kind and helpful\n"
    result = run(tmp_path, engine, anonymiser, content, detector=detector)
    assert dict(result.languages) == {"pl": 1, "en": 1}
    assert [row["language"] for row in stored(engine)] == ["pl", "en"]


def test_translations_are_anonymised_too(tmp_path, engine, anonymiser):
    class Translator:
        def translate(self, text, source, target):
            assert (source, target) == ("pl", "en")
            return "I waited; midwife Kasia was kind, 07700 900123"

    run(tmp_path, engine, anonymiser, "text\nCzekałam\n", language="pl", translator=Translator())
    row = stored(engine)[0]
    assert row["could_be_better"] == "Czekałam"
    assert row["could_be_better_en"] == "I waited; midwife [NAME] was kind, [PHONE]"
