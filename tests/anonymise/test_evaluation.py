"""`doula eval anonymise`: labelled sets, what counts as recalled and as a false positive, and the table."""

from pathlib import Path

import pytest

from bot.anonymise.entities import Entity
from bot.anonymise.evaluation import (
    EVAL_DIR,
    Sample,
    doula_detector,
    evaluate,
    format_reports,
    load_samples,
    load_set,
    meets_targets,
    presidio_baseline,
)

LANGUAGES = {"en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk"}


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "xx.yml"
    path.write_text("language: xx\nmessages:\n" + body, encoding="utf-8")
    return path


def test_entities_are_marked_by_substring_and_occurrence(tmp_path):
    path = write(tmp_path, '  - text: "Ana and Ana, 07700 900123"\n'
                           '    entities: [[PERSON, Ana], [PERSON, Ana], [PHONE, 07700 900123]]\n')
    (sample,) = load_set(path)
    assert sample.entities == (Entity("PERSON", 0, 3), Entity("PERSON", 8, 11), Entity("PHONE", 13, 25))


def test_held_out_messages_are_marked(tmp_path):
    path = write(tmp_path, '  - text: "Ana"\n    entities: [[PERSON, Ana]]\n'
                           'held_out:\n  - text: "Hope ward"\n    entities: []\n')
    assert [(s.text, s.held_out) for s in load_set(path)] == [("Ana", False), ("Hope ward", True)]


@pytest.mark.parametrize("entities, problem", [("[[PERSON, Bob]]", "not in the text"),
                                               ("[[NAME, Ana]]", "unknown entity type")])
def test_mistakes_in_a_set_are_refused(tmp_path, entities, problem):
    path = write(tmp_path, f'  - text: "Ana"\n    entities: {entities}\n')
    with pytest.raises(ValueError, match=problem):
        load_set(path)


def test_half_a_name_is_a_miss_and_a_finding_on_nothing_is_a_false_positive():
    samples = [Sample("en", "Sarah Jones came", (Entity("PERSON", 0, 11),)),
               Sample("en", "Hope ward", ())]
    answers = {"Sarah Jones came": [Entity("PERSON", 0, 5)], "Hope ward": [Entity("PERSON", 0, 4)]}
    report = evaluate(samples, lambda text, language: answers[text])
    names = report.by_type["PERSON"]
    assert (names.entities, names.recalled, names.findings, names.correct) == (1, 0, 2, 1)
    assert names.recall == 0.0 and names.precision == 0.5
    assert names.misses == [("Sarah Jones", "Sarah Jones came")]
    assert names.false == [("Hope", "Hope ward")]
    assert report.names_by_language["en"].entities == 1
    assert not meets_targets(report)


def test_a_whole_entity_inside_a_finding_of_another_type_is_hidden_but_not_recalled():
    samples = [Sample("en", "07700 900123", (Entity("PHONE", 0, 12),))]
    report = evaluate(samples, lambda text, language: [Entity("NHS_NUMBER", 0, 12)])
    assert report.by_type["PHONE"].recalled == 0
    assert report.hidden == 1


def test_the_labelled_sets_cover_every_language_with_hard_negatives():
    samples = load_samples(EVAL_DIR)
    by_language = {language: [s for s in samples if s.language == language] for language in LANGUAGES}
    for language, messages in by_language.items():
        assert len(messages) >= 25, language
        assert sum(1 for s in messages if not s.entities) >= 4, f"{language}: hard negatives"
    types = {e.type for s in samples for e in s.entities}
    assert types == {"PERSON", "NHS_NUMBER", "PHONE", "EMAIL", "POSTCODE", "DATE_OF_BIRTH", "HOSPITAL_NUMBER",
                     "ADDRESS"}


def test_the_table_puts_both_detectors_side_by_side():
    samples = load_samples(EVAL_DIR, ["en"])
    reports = {"doula": evaluate(samples, doula_detector()),
               "Presidio predefined": evaluate(samples, presidio_baseline())}
    table = format_reports(reports)
    assert "doula" in table.splitlines()[0] and "Presidio predefined" in table.splitlines()[0]
    assert any(line.startswith("NHS_NUMBER") for line in table.splitlines())
    assert any(line.strip().startswith("en ") for line in table.splitlines())
    assert "µs/message" in table
    # Presidio's predefined recognizers find no names without a trained spaCy model
    assert reports["Presidio predefined"].by_type["PERSON"].recalled == 0
    assert reports["doula"].by_type["NHS_NUMBER"].recall == 1.0
