from bot.safety.normalize import BREAK, fuzzy_script, normalize, tokens


def test_case_accents_and_polish_l_are_ignored():
    assert normalize("KRWAWIĘ Łóżko") == normalize("krwawie lozko")


def test_cyrillic_case_and_marks():
    assert normalize("Кровотеча") == "кровотеча"
    assert normalize("її") == normalize("іі")


def test_arabic_letter_variants_and_diacritics():
    assert normalize("نَزِيفٌ") == normalize("نزيف")
    assert normalize("أنا") == normalize("انا")
    assert normalize("حامل ی ک ة") == normalize("حامل ي ك ه")


def test_persian_zero_width_joiner_and_digits():
    assert normalize("می\u200cخواهم") == normalize("میخواهم")
    assert normalize("۳۲ هفته") == "32 هفته"


def test_stretched_letters_and_apostrophes():
    assert normalize("bleeeeeding") == "bleeding"
    assert normalize("can't") == "cant"


def test_indic_vowel_signs_are_kept():
    assert normalize("রক্ত") == "রক্ত"
    assert tokens("ਖੂਨ ਵਗ ਰਿਹਾ") == ["ਖੂਨ", "ਵਗ", "ਰਿਹਾ"]


def test_tokens_mark_clause_breaks_and_drop_emoji():
    assert tokens("no pain. bleeding 😢!") == ["no", "pain", BREAK, "bleeding", BREAK]
    assert tokens("3andi 7arara") == ["3andi", "7arara"]  # Arabizi digits stay inside words


def test_typos_are_forgiven_only_in_alphabets_and_long_words():
    assert fuzzy_script("bleeding") and fuzzy_script("кровотеча") and fuzzy_script("نزيفها")
    assert not fuzzy_script("pain")
    assert not fuzzy_script("রক্তপাত")


def test_commas_end_a_clause_and_full_stops_a_sentence():
    from bot.safety.normalize import CLAUSE

    assert tokens("no pain, bleeding.") == ["no", "pain", CLAUSE, "bleeding", BREAK]


def test_what_the_classifiers_also_rely_on_harakat_tatweel_direction_marks_and_urdu_letters():
    assert normalize("مُرَاجَعَة") == normalize("مراجعه")  # harakat gone, ة -> ه
    assert normalize("شـــكرا") == normalize("شكرا")  # tatweel
    assert normalize("زیادہ") == normalize("زياده") and normalize("صلوٰۃ") == normalize("صلوه")
    assert normalize("\u200fمرحبا\u200e") == normalize("مرحبا")  # right-to-left and left-to-right marks
    assert normalize("vacinação") == "vacinacao" and normalize("sarcină") == "sarcina"
    assert normalize("ቤት") == "ቤት" and normalize("ਦਰਦ") == "ਦਰਦ"  # abugidas are left as they are
