"""content/red_flags/: advice in all twelve languages, sources, the pre-written urgent message for other languages.
The general rules are `doula content check`'s (bot.content.check.check_red_flags); the clinical facts are here."""

from __future__ import annotations

from bot.content.catalog import load_catalog
from bot.content.check import check_red_flags
from bot.safety.catalog import load_safety

SAFETY = load_safety()
ENGLISH = SAFETY.advice["en"].messages


def test_the_content_check_finds_no_problem_in_urgent_advice():
    assert check_red_flags(load_catalog()) == []


def test_every_category_has_an_nhs_source():
    for category in SAFETY.categories:
        assert all(s.url.startswith("https://www.nhs.uk/") for s in SAFETY.sources[category]), category


def test_urgent_numbers_are_the_right_ones():
    assert "116 123" in ENGLISH["advice.mental_health_crisis"] and "option 2" in ENGLISH["advice.mental_health_crisis"]
    assert "0808 2000 247" in ENGLISH["advice.domestic_abuse"]
    assert "999" in ENGLISH["advice.breathing_or_seizure"]
    assert all("{triage}" in ENGLISH[f"advice.{c}"] for c in
               ("bleeding", "reduced_movements", "waters_early_or_coloured", "preeclampsia_signs", "abdominal_pain",
                "fever_infection", "itching"))


def test_the_check_catches_a_lost_number_and_a_missing_language(tmp_path):
    import shutil

    from bot.paths import CONTENT_DIR

    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    pl = copy / "red_flags" / "advice" / "pl.yml"
    pl.write_text(pl.read_text(encoding="utf-8").replace("116 123", "116"), encoding="utf-8")
    (copy / "red_flags" / "advice" / "so.yml").unlink()
    problems = check_red_flags(load_catalog(), copy)
    assert any("pl.yml" in p and "116 123" in p for p in problems)
    assert any("so.yml is missing" in p for p in problems)
