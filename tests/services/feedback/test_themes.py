"""Themes of feedback: the classifier on the real content (several languages and scripts, negation, mixed comments,
explanations), its matching rules on small made-up content, the content's completeness, and the evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.services.feedback import theme_evaluation as evaluation
from bot.services.feedback.themes import (
    NEGATED,
    POSITIVE_EXPERIENCE,
    Alternative,
    Classification,
    Cue,
    Grammar,
    Theme,
    ThemeClassifier,
    read_theme_content,
    theme_classifier,
)

LANGUAGES = ("en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk")
REQUIRED = ("communication", "information_choice", "consent", "interpreters_language",
            "respect_dignity_discrimination", "safety_concerns", "pain_relief", "staffing_waiting",
            "continuity_of_carer", "infant_feeding_support", "mental_health_support", "partner_family",
            "environment_facilities", "postnatal_care", "positive_experience")


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return theme_classifier()


def themes(result: Classification) -> dict[str, str]:
    return {m.theme: m.sentiment for m in result.themes}


# -- the real content --------------------------------------------------------------------------------------------
def test_taxonomy_has_every_required_theme_with_cues_in_every_language():
    content = read_theme_content()
    assert set(REQUIRED) <= {t.id for t in content.themes}
    assert set(content.grammar) == set(LANGUAGES)
    for theme in content.themes:
        assert theme.label and theme.description
        assert {c.language for c in content.theme_cues[theme.id]} == set(LANGUAGES), theme.id


@pytest.mark.parametrize(("text", "language", "theme"), [
    ("The interpreter on the phone was brilliant", "en", "interpreters_language"),
    ("Nie było tłumacza na wizycie", "pl", "interpreters_language"),
    ("Mi-au dat lapte praf copilului", "ro", "infant_feeding_support"),
    ("Pedi a epidural e demoraram horas", "pt", "pain_relief"),
    ("لم يكن هناك مترجم", "ar", "interpreters_language"),
    ("شوهرم اجازه نداشت شب بماند", "fa", "partner_family"),
    ("کمرہ صاف ستھرا تھا", "ur", "environment_facilities"),
    ("Saari maloomat English mein thi", "ur", "interpreters_language"),
    ("কেউ আমার কথা শোনেনি", "bn", "communication"),
    ("ਮੇਰੀ ਇਜਾਜ਼ਤ ਤੋਂ ਬਿਨਾਂ ਜਾਂਚ ਕੀਤੀ", "pa", "consent"),
    ("Turjubaan ma jirin", "so", "interpreters_language"),
    ("ተርጓሚ ኣይነበረን", "ti", "interpreters_language"),
    ("Після пологів у мене була депресія", "uk", "mental_health_support"),
])
def test_clear_examples_in_several_languages_and_scripts(classifier, text, language, theme):
    assert theme in themes(classifier.classify(text, language))


@pytest.mark.parametrize(("text", "language"), [
    ("They did not listen to me", "en"),
    ("Nobody listened", "en"),
    ("I was not listened to", "en"),
    ("Położna mnie nie słuchała", "pl"),
    ("Nu m-a ascultat nimeni", "ro"),
    ("Ninguém me ouviu", "pt"),
    ("هیچ‌کس به حرف من گوش نداد", "fa"),
    ("کسی نے میری بات نہیں سنی", "ur"),
    ("কেউ আমার কথা শোনেনি", "bn"),  # negation is part of the verb
    ("Cidna ima dhageysan", "so"),
    ("Ніхто мене не слухав", "uk"),
])
def test_negation_makes_a_theme_negative(classifier, text, language):
    assert themes(classifier.classify(text, language)).get("communication") == "negative"


def test_the_same_cue_without_negation_is_positive(classifier):
    assert themes(classifier.classify("The midwife really listened to me", "en"))["communication"] == "positive"


def test_negated_complaints_are_praise(classifier):
    result = classifier.classify("I never had to wait and the staff were not rude at all", "en")
    assert themes(result)["staffing_waiting"] == "positive"
    assert themes(result)["respect_dignity_discrimination"] == "positive"
    assert result.sentiment == "positive"


def test_a_negator_reaches_only_the_next_cue(classifier):
    # "nie" negates "słuchał", not "zbagatelizował" after it.
    result = classifier.classify("Lekarz mnie nie słuchał i zbagatelizował mój ból", "pl")
    assert themes(result)["communication"] == "negative"


def test_mixed_comment(classifier):
    result = classifier.classify("The midwives were lovely but I waited 5 hours in triage", "en")
    assert result.sentiment == "mixed"
    assert themes(result)["respect_dignity_discrimination"] == "positive"
    assert themes(result)["staffing_waiting"] == "negative"
    assert POSITIVE_EXPERIENCE not in themes(result)


def test_mixed_comment_in_another_script(classifier):
    result = classifier.classify("پرستاران مهربان بودند اما ترخیص خیلی طول کشید", "fa")
    assert result.sentiment == "mixed"
    assert themes(result)["respect_dignity_discrimination"] == "positive"
    assert themes(result)["postnatal_care"] == "negative"


def test_positive_experience_only_when_the_whole_comment_is_positive(classifier):
    result = classifier.classify("Thank you to everyone, it was a wonderful experience", "en")
    assert themes(result) == {POSITIVE_EXPERIENCE: "positive"}
    assert "thank*" in result.get(POSITIVE_EXPERIENCE).cues
    assert POSITIVE_EXPERIENCE not in themes(classifier.classify("Thank you, but nobody listened to me", "en"))


@pytest.mark.parametrize("text", ["ok", "OK.", "nothing to add", "n/a", "Nie mam uwag.", "لا شيء", "theek hai", ""])
def test_no_theme_for_answers_with_nothing_in_them(classifier, text):
    result = classifier.classify(text)
    assert result.themes == ()
    assert result.sentiment == "neutral"


def test_cues_are_reported(classifier):
    match = classifier.classify("No interpreter was booked for my appointment", "en").get("interpreters_language")
    assert match is not None and match.sentiment == "negative"
    assert match.cues == (NEGATED + "interpret*",)


def test_mixed_languages_in_one_comment(classifier):
    result = classifier.classify("Staff bohat kam hai, koi interpreter nahi tha", "ur")
    assert themes(result)["staffing_waiting"] == "negative"
    assert themes(result)["interpreters_language"] == "negative"  # Urdu negation on an English cue


def test_arabic_clitics_are_taken_off(classifier):
    assert themes(classifier.classify("وكان المترجم ممتازا", "ar"))["interpreters_language"] == "positive"


# -- matching rules, on made-up content ------------------------------------------------------------------------
def small(cues: dict[str, list[str]], positive=(), negative=(), before=(), after=(), breaks=()) -> ThemeClassifier:
    grammar = Grammar(frozenset(Alternative.parse(w) for w in before), frozenset(Alternative.parse(w) for w in after),
                      frozenset(breaks))
    return ThemeClassifier(
        [Theme(t, t, t) for t in cues] + [Theme(POSITIVE_EXPERIENCE, "", "")],
        {t: [Cue.parse(c, "en") for c in cs] for t, cs in cues.items()},
        [Cue.parse("+" + w, "en") for w in positive] + [Cue.parse("-" + w, "en") for w in negative],
        {"en": grammar},
    )


def test_prefix_suffix_infix_and_gaps():
    c = small({"a": ["bleed*"], "b": ["*ing"], "c": ["*ሰም*"], "d": ["short staff*"]})
    assert set(themes(c.classify("bleeds"))) == {"a"}
    assert set(themes(c.classify("walking"))) == {"b"}
    assert set(themes(c.classify("ዝሰምዓኒ"))) == {"c"}
    assert "d" in themes(c.classify("short of staff"))
    assert "d" not in themes(c.classify("short on all kinds of staff"))  # three words between
    assert "d" not in themes(c.classify("short, staffed"))  # never across a clause


def test_sentiment_goes_to_the_nearest_theme_of_its_clause():
    c = small({"food": ["food"], "staff": ["midwife"]}, positive=["kind"], negative=["cold"], breaks=["but"])
    result = c.classify("the midwife was kind but the food was cold")
    assert themes(result) == {"staff": "positive", "food": "negative"}
    assert result.sentiment == "mixed"


def test_polar_cues_and_negated_plain_cues():
    c = small({"wait": ["-wait*"], "interpreter": ["interpreter"]}, before=["no", "never"])
    assert themes(c.classify("we waited")) == {"wait": "negative"}
    assert themes(c.classify("never waited"))["wait"] == "positive"
    assert themes(c.classify("no interpreter")) == {"interpreter": "negative"}
    assert themes(c.classify("an interpreter")) == {"interpreter": "neutral"}


def test_negation_affix_inside_the_word():
    c = small({"listen": ["শোন*"]}, after=["*েনি"])
    assert themes(c.classify("শোনেনি")) == {"listen": "negative"}
    assert themes(c.classify("শোনেন")) == {"listen": "neutral"}


def test_bad_cues_are_refused():
    with pytest.raises(ValueError):
        Cue.parse("post-natal", "en")
    with pytest.raises(ValueError):
        Cue.parse("+", "en")


# -- evaluation ------------------------------------------------------------------------------------------------
TINY_EN = """
language: en
comments:
  - {text: "No interpreter was booked", themes: {interpreters_language: negative}, sentiment: negative}
  - {text: "The interpreter was great", themes: {interpreters_language: positive, positive_experience: positive},
     sentiment: positive}
  - {text: "ok", themes: {}, sentiment: neutral}
  - {text: "We waited six hours in triage", themes: {staffing_waiting: negative}, sentiment: negative}
"""
TINY_PL = """
language: pl
comments:
  - {text: "Nie było tłumacza", themes: {interpreters_language: negative}, sentiment: negative}
  - {text: "Czekałam pięć godzin", themes: {staffing_waiting: negative}, sentiment: negative}
"""


@pytest.fixture
def tiny_set(tmp_path: Path) -> Path:
    (tmp_path / "en.yml").write_text(TINY_EN, encoding="utf-8")
    (tmp_path / "pl.yml").write_text(TINY_PL, encoding="utf-8")
    return tmp_path


def test_evaluation_runs_on_a_tiny_set(classifier, tiny_set):
    comments = evaluation.load_comments(tiny_set)
    assert len(comments) == 6
    names = tuple(classifier.themes)

    def classify(text: str, language: str) -> evaluation.Prediction:
        found = classifier.classify(text, language)
        return evaluation.Prediction({m.theme: m.sentiment for m in found.themes}, found.sentiment)

    cues = evaluation.evaluate(classify, comments, names)
    assert cues.by_theme["interpreters_language"].recall == 1.0
    assert cues.by_theme["staffing_waiting"].support == 2
    baseline = evaluation.cross_validate_baseline(comments, names, folds=2)
    assert baseline.comments == 6 and baseline.theme_sentiment_accuracy is None
    table = evaluation.format_table({"cues": cues, "baseline": baseline}, ["en", "pl"])
    assert "interpreters_language" in table and "macro F1, pl" in table


def test_eval_themes_command(tiny_set, capsys):
    assert main(["eval", "themes", "--path", str(tiny_set), "--folds", "2", "--failures"]) == 0
    out = capsys.readouterr().out
    assert "doula (cues)" in out and "tf-idf+LR (2-fold)" in out and "macro F1 (all themes)" in out
