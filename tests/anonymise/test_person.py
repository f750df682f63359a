"""Names: from the communities' lists and from the context, in any case and script; never a ward, a month, a verb,
a drug or a person's role."""

import pytest


@pytest.mark.parametrize(
    "text, names",
    [
        ("My midwife Sarah Jones was amazing.", ["Sarah Jones"]),
        ("thank you to sarah and priya on the night shift", ["sarah", "priya"]),
        ("Thanks to SARAH!", ["SARAH"]),
        ("(Fatima) was the best", ["Fatima"]),
        ("I loved Oluwaseun's humour", ["Oluwaseun"]),
        ("Anne-Marie stayed late", ["Anne-Marie"]),
        ("Grace Kowalski helped me", ["Grace Kowalski"]),
        ("Our baby Isla Rose was born", ["Isla Rose"]),
    ],
)
def test_listed_names(text, names, found):
    assert found(text) == [("PERSON", name) for name in names]


def test_the_placeholder_keeps_the_sentence(redact):
    assert redact("My midwife Sarah Jones was amazing.") == "My midwife [NAME] was amazing."
    assert redact("I loved Oluwaseun's humour") == "I loved [NAME]'s humour"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Dr Okafor explained everything", "Okafor"),
        ("Dr. Okafor explained everything", "Okafor"),
        ("the midwife called Zdenka stayed", "Zdenka"),
        ("my midwife Zdenka stayed", "Zdenka"),
        ("Mrs Brown the consultant", "Brown"),
        ("Sister Agnieszka on the ward", "Agnieszka"),
        ("Położna Ania była super", "Ania"),
        ("pani Zdzisława z recepcji", "Zdzisława"),
        ("położna miała na imię Justyna", "Justyna"),
        ("Акушерку звали Надія", "Надія"),
        ("مڈوائف کا نام کرن تھا", "کرن"),
        ("ماما بهار خیلی مهربان بود", "بهار"),
        ("ስማ ጸጋ እዩ", "ጸጋ"),
    ],
)
def test_cues(text, name, found):
    assert found(text) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "I gave birth in May on Hope ward",
        "there was no grace period for parking",
        "I will pay the bill",
        "Will they call me back?",
        "Hope you read this",
        "at week 37, Bay 4, Room 12",
        "They gave me paracetamol, labetalol and Syntocinon.",
        "The midwife and the doctor were lovely and the baby is well.",
        "Midwife Led Unit was calm",
        "Thanks to everyone at St Mary's and Queen Charlotte's",
        "the Rosie Hospital and the Victoria Road clinic",
        "Dr Who would have done better",
        "Ask your midwife. Writing your wishes down helps.",
        "tests for Edwards' syndrome and Down's syndrome",
        "para mim foi difícil, ela disse que sim",
        "طفلي على صدري",
        "بچه سالم است",
        "القابلة لطيفة جدا",
        "mujhe sara din dard tha",
    ],
)
def test_not_names(text, found):
    assert [kind for kind, _ in found(text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("rozmawiałam z Anią", "Anią"),
        ("Dziękuję Marcie", "Marcie"),
        ("pani Kowalskiej", "Kowalskiej"),
        ("дякую Оксані", "Оксані"),
        ("з Оксаною", "Оксаною"),
        ("Îi mulțumesc Mariei", "Mariei"),
    ],
)
def test_case_endings(text, name, found):
    assert found(text) == [("PERSON", name)]


def test_letters_written_joined_to_a_name_stay(redact, found):
    assert found("شكرا لزينب وخديجة") == [("PERSON", "زينب"), ("PERSON", "خديجة")]
    assert redact("شكرا لزينب وخديجة") == "شكرا ل[NAME] و[NAME]"
    assert redact("রহিমার ফোন") == "[NAME]র ফোন"
    assert found("የቐንየለይ ንሩት") == [("PERSON", "ሩት")]


def test_names_after_them_in_other_scripts(found):
    assert found("از نرگس خانم تشکر می‌کنم") == [("PERSON", "نرگس")]
    assert found("ਸਿਮਰਨ ਜੀ ਦਾ ਧੰਨਵਾਦ") == [("PERSON", "ਸਿਮਰਨ")]


def test_a_word_name_needs_a_title_in_scripts_without_capitals(found):
    assert found("كان عندي أمل كبير") == []
    assert found("السيدة أمل في الاستقبال") == [("PERSON", "أمل")]
    assert found("ابني عمر ولد في المستشفى") == [("PERSON", "عمر")]  # a role word, and the clause goes on


def test_a_name_in_an_email_or_address_is_hidden_by_it(found):
    assert found("sarah.jones@example.com") == [("EMAIL", "sarah.jones@example.com")]
    assert found("12 Victoria Road") == [("ADDRESS", "12 Victoria Road")]
