"""The reading-level measure shown to reviewers in the content export."""

from bot.content.readability import measure, syllables


def test_syllables_of_common_words():
    assert [syllables(w) for w in ("baby", "midwife", "induction", "the", "epidural")] == [2, 2, 3, 1, 4]


def test_plain_sentences_read_easier_than_clinical_ones():
    plain = measure("You can choose where to have your baby. Talk to your midwife. She will help you.")
    clinical = measure("Intrapartum cardiotocographic surveillance facilitates identification of fetal "
                       "hypoxaemia, necessitating obstetric intervention.")
    assert plain.reading_ease > 80 > 20 > clinical.reading_ease
    assert plain.grade < 4 < 14 < clinical.grade


def test_empty_text_is_not_an_error():
    assert measure("").words == 0 and measure("").grade == 0.0
