"""The matching rules of the detector, on small lexicons written for each rule."""

import pytest

from bot.safety.detector import RedFlagDetector
from bot.safety.lexicon import Lexicon, Pattern

CATEGORIES = ("breathing_or_seizure", "bleeding", "reduced_movements", "itching")


def detector(triggers: dict, **extra) -> RedFlagDetector:
    data = {"language": "en", "categories": triggers, **extra}
    return RedFlagDetector([Lexicon.from_dict(data, CATEGORIES)], CATEGORIES)


def flags(d: RedFlagDetector, text: str) -> tuple[str, ...]:
    return d.detect(text).categories


def test_prefix_alternatives_and_short_gaps():
    d = detector({"reduced_movements": {"strong": ["baby|bump not|hasnt mov*"]}})
    assert flags(d, "baby not moving") == ("reduced_movements",)
    assert flags(d, "my bump hasn't really moved") == ("reduced_movements",)  # two words in between
    assert flags(d, "baby is definitely still not moving") == ()  # three words in between: too far


def test_long_gap_slot():
    d = detector({"bleeding": {"strong": ["water* ... green"]}})
    assert flags(d, "my waters broke and they are green") == ("bleeding",)


def test_patterns_never_cross_a_clause_break():
    d = detector({"reduced_movements": {"strong": ["baby not mov*"]}})
    assert flags(d, "baby. not moving to a new house") == ()


def test_one_typo_in_long_latin_words_only():
    d = detector({"bleeding": {"strong": ["bleeding", "clot*"]}})
    assert flags(d, "bleding") == ("bleeding",)
    assert flags(d, "blaeding") == ("bleeding",)
    assert flags(d, "bldng") == ()  # two edits


def test_negation_before_and_after_within_the_clause():
    d = detector(
        {"bleeding": {"strong": ["bleed*", "khoon"]}},
        negation={"before": ["no", "not"], "after": ["nahi"]},
        clause_breaks=["but"],
    )
    assert flags(d, "no bleeding") == ()
    assert flags(d, "I am not bleeding") == ()
    assert flags(d, "khoon nahi aa raha") == ()
    assert flags(d, "no pain but bleeding") == ("bleeding",)
    assert flags(d, "no pain, bleeding") == ("bleeding",)
    assert flags(d, "not sure why I am bleeding") == ("bleeding",)  # "not" is four words before


def test_negation_inside_a_pattern_is_part_of_it():
    d = detector({"reduced_movements": {"strong": ["baby not mov*"]}}, negation={"before": ["not", "no"]})
    assert flags(d, "baby not moving") == ("reduced_movements",)


def test_question_frames_silence_weak_triggers_only_in_their_sentence():
    d = detector(
        {"bleeding": {"strong": ["bleed* heav*"], "weak": ["bleed*"]}},
        question_frames=["risk* of"],
    )
    assert flags(d, "what is the risk of bleeding after a caesarean?") == ()
    assert flags(d, "is there a risk of bleeding heavily?") == ("bleeding",)  # strong
    assert flags(d, "what is the risk of induction? I'm bleeding") == ("bleeding",)  # another sentence


def test_most_urgent_category_first_and_vetoes_reported():
    d = detector(
        {"bleeding": {"strong": ["bleed*"]}, "breathing_or_seizure": {"strong": ["cant breathe"]},
         "itching": {"strong": ["itch*"]}},
        negation={"before": ["no"]},
    )
    finding = d.detect("bleeding and I cant breathe")
    assert finding.categories == ("breathing_or_seizure", "bleeding")
    assert finding.primary == "breathing_or_seizure"
    assert d.detect("no itching").vetoed == {"itching"}


def test_every_lexicon_runs_on_every_message():
    en = Lexicon.from_dict({"language": "en", "categories": {"bleeding": {"strong": ["bleed*"]}}}, CATEGORIES)
    pl = Lexicon.from_dict({"language": "pl", "categories": {"bleeding": {"strong": ["krwaw*"]}}}, CATEGORIES)
    d = RedFlagDetector([en, pl], CATEGORIES)
    assert d.detect("krwawię, bleeding").categories == ("bleeding",)
    assert {h.language for h in d.detect("krwawię, bleeding").hits} == {"en", "pl"}


def test_malformed_lexicons_are_refused():
    with pytest.raises(ValueError):
        Lexicon.from_dict({"language": "en", "categories": {"sadness": {"strong": ["sad"]}}}, CATEGORIES)
    with pytest.raises(ValueError):
        Lexicon.from_dict({"language": "en", "categories": {"bleeding": {"medium": ["x"]}}}, CATEGORIES)
    with pytest.raises(ValueError):
        Pattern.parse("bleed* |")


def test_a_negation_inside_the_gap_of_a_pattern_negates_it():
    d = detector({"bleeding": {"strong": ["khoon ... aa"]}}, negation={"after": ["nahi"]})
    assert flags(d, "khoon aa raha hai") == ("bleeding",)
    assert flags(d, "khoon nahi aa raha") == ()


def test_negative_concord_inside_a_negative_pattern_is_not_a_double_negation():
    d = detector({"reduced_movements": {"strong": ["nu simt ... miscar*"]}}, negation={"before": ["nu", "deloc"]})
    assert flags(d, "nu simt deloc mișcări") == ("reduced_movements",)


def test_negation_cues_never_match_with_a_typo():
    d = detector({"reduced_movements": {"strong": ["nora ... kom"]}}, negation={"before": ["chara"]})
    assert flags(d, "bacchar nora chora onek kom") == ("reduced_movements",)  # "chora" is not "chara"


def test_a_plea_after_a_comma_is_not_an_information_question():
    d = detector({"bleeding": {"weak": ["bleed*"]}}, question_frames=["what should"], negation={"before": ["no"]})
    assert d.detect("bleeding, what should I do?").categories == ("bleeding",)
    assert d.detect("no pain, bleeding").categories == ("bleeding",)  # the comma stops the negation


def test_strict_words_are_never_matched_with_a_typo():
    d = detector({"breathing_or_seizure": {"strong": ["dusze! sie"]}})
    assert flags(d, "dusze sie") == ("breathing_or_seizure",)
    assert flags(d, "musze sie") == ()


def test_a_non_english_lexicon_may_not_be_completed_by_english_words_alone():
    from bot.safety.lexicon import english_only_patterns, english_words

    en = Lexicon.from_dict({"language": "en", "categories": {"bleeding": {"weak": ["spotting", "bleed*"]}}},
                           CATEGORIES)
    ur = Lexicon.from_dict({"language": "ur", "categories": {"bleeding": {
        "weak": ["khoon|spotting", "bleeding ho*", "spotting"]}}}, CATEGORIES)
    assert english_only_patterns(ur, english_words(en)) == ["khoon|spotting", "spotting"]  # not "bleeding ho*"


# -- context: sentences that are not about a symptom she has now ---------------------------------------------------

CONTEXT = {
    "resolved": ["stopped", "went away"],
    "reported": ["last week|month", "sister|friend had|was"],
    "elsewhere": ["nose|gums"],
    "asking": ["for the future"],
    "ongoing": ["again", "still"],
}


def context_detector() -> RedFlagDetector:
    categories = (*CATEGORIES, "domestic_abuse")
    data = {
        "language": "en",
        "categories": {
            "bleeding": {"strong": ["clots"], "weak": ["bleed*"]},
            "reduced_movements": {"strong": ["moving less"]},
            "domestic_abuse": {"strong": ["hit me"]},
        },
        "negation": {"before": ["not", "hasnt", "no"]},
        "context": CONTEXT,
    }
    return RedFlagDetector([Lexicon.from_dict(data, categories)], categories)


def test_an_episode_that_is_over_still_alarms():
    # Hazard H20: a bleed that has stopped still needs a call to the midwife or maternity unit the same day.
    d = context_detector()
    assert flags(d, "I had some bleeding at 8 weeks but it stopped") == ("bleeding",)
    assert flags(d, "the bleeding hasnt stopped") == ("bleeding",)
    assert flags(d, "passing clots but it stopped") == ("bleeding",)


def test_a_past_episode_or_someone_elses_rules_out_physical_hits_but_not_bleeding():
    d = context_detector()
    assert flags(d, "my sister was moving less last week") == ()
    assert flags(d, "baby was moving less last month, now fine") == ()
    assert flags(d, "my sister had bleeding in pregnancy, is it hereditary?") == ("bleeding",)  # when in doubt
    assert flags(d, "I was bleeding last week") == ("bleeding",)  # not yet checked: she is told to call
    assert flags(d, "bleeding. I had a scan last week") == ("bleeding",)
    assert flags(d, "I was bleeding last month and baby is moving less") == ("bleeding", "reduced_movements")


def test_abuse_in_the_past_still_alarms():
    d = context_detector()
    assert flags(d, "he hit me last week") == ("domestic_abuse",)


def test_it_being_back_or_still_there_keeps_every_hit():
    d = context_detector()
    assert flags(d, "baby was moving less last week and it is back again") == ("reduced_movements",)
    # anywhere in the message, for every hit: when in doubt, alarm
    assert flags(d, "bleeding stopped but baby still moving less") == ("bleeding", "reduced_movements")


def test_another_part_of_the_body_in_the_same_clause():
    d = context_detector()
    assert flags(d, "my gums bleed when I brush") == ()
    assert flags(d, "my gums are fine, I am bleeding") == ("bleeding",)


def test_asking_for_later_rules_out_the_whole_message():
    d = context_detector()
    assert flags(d, "what do I do if baby is moving less? asking for the future") == ()


def test_context_cues_never_match_with_a_typo():
    d = context_detector()
    assert flags(d, "bleeding, it stoped") == ("bleeding",)  # a wrong cue would lose an alarm


def test_unknown_context_kinds_are_refused():
    with pytest.raises(ValueError):
        Lexicon.from_dict({"language": "en", "context": {"past": ["ago"]}}, CATEGORIES)


# -- added with the 2026-12 round: typos, slight symptoms, blood pressure readings, other languages' contexts -----

def test_a_typo_is_forgiven_only_after_a_correct_first_letter():
    d = detector({"bleeding": {"weak": ["bleed*"]}})
    assert flags(d, "bleedin a lot") == ("bleeding",)
    assert flags(d, "blèeding") == ("bleeding",)
    assert flags(d, "I live in Leeds") == ()  # a name one letter away, with another first letter


def test_a_slight_degree_rules_out_weak_pain_but_not_strong_pain_or_bleeding():
    categories = ("bleeding", "abdominal_pain")
    data = {
        "language": "en",
        "categories": {"bleeding": {"weak": ["bleed*"]},
                       "abdominal_pain": {"strong": ["severe pain"], "weak": ["pain|hurts"]}},
        "context": {"mild": ["a bit", "slight*"], "ongoing": ["still"]},
    }
    d = RedFlagDetector([Lexicon.from_dict(data, categories)], categories)
    assert flags(d, "my back hurts a bit after work") == ()
    assert flags(d, "slight pain when I stand up") == ()
    assert flags(d, "a bit of severe pain") == ("abdominal_pain",)  # strong
    assert flags(d, "a bit of bleeding") == ("bleeding",)  # never for bleeding
    assert flags(d, "a bit of pain, and it hurts so much now") == ("abdominal_pain",)  # another clause
    assert flags(d, "still a bit of pain") == ("abdominal_pain",)  # it is still there


def test_a_high_blood_pressure_reading_alarms_in_any_language():
    categories = ("bleeding", "preeclampsia_signs")
    d = RedFlagDetector([Lexicon.from_dict({"language": "en", "categories": {}}, categories)], categories)
    assert flags(d, "BP 158/105, is that bad?") == ("preeclampsia_signs",)
    assert flags(d, "тиск 145 / 85") == ("preeclampsia_signs",)
    assert flags(d, "الضغط ١٦٠/١١٠") == ("preeclampsia_signs",)  # Arabic-Indic digits
    assert flags(d, "bp 120/80 all good") == ()
    assert flags(d, "appointment on 14/10/2026") == ()  # a date
    assert flags(d, "scan at 12/09") == ()


def test_a_context_phrase_keeps_its_own_languages_clause():
    # "a" ends a clause in Polish but not in Romanian: a Polish word matching this Romanian sentence must still see
    # the Romanian "sora mea a avut" (my sister had) in its clause.
    categories = ("preeclampsia_signs",)
    pl = Lexicon.from_dict({"language": "pl", "categories": {"preeclampsia_signs": {"weak": ["preeklamps*"]}},
                            "clause_breaks": ["a"]}, categories)
    ro = Lexicon.from_dict({"language": "ro", "categories": {},
                            "context": {"reported": ["sora|mama ... avut"]}}, categories)
    d = RedFlagDetector([pl, ro], categories)
    assert flags(d, "sora mea a avut preeklampsie") == ()
    assert flags(d, "am preeklampsie") == ("preeclampsia_signs",)


def test_clitics_listed_as_skip_do_not_use_up_a_negations_reach():
    d = detector({"reduced_movements": {"weak": ["rupt apa"]}},
                 negation={"before": ["nu"], "skip": ["mi", "s", "a"]})
    assert flags(d, "inca nu mi s-a rupt apa") == ()  # "nu" is four words before, three of them clitics
    assert flags(d, "nu stiu de ce mi s-a rupt apa") == ("reduced_movements",)  # too far all the same


def test_a_plea_for_what_to_do_is_not_a_question_for_information():
    d = detector(
        {"bleeding": {"weak": ["bleed*", "spotting"]}},
        question_frames=["what should|do i", "when should i"],
        context={"plea": ["what should i do", "when should i call"], "conditional": ["if", "when"]},
    )
    assert flags(d, "bit of bleeding this morning what should i do") == ("bleeding",)  # no comma, still a plea
    assert flags(d, "spotting today when should i call someone") == ("bleeding",)
    assert flags(d, "what should i do if i start bleeding?") == ()  # hypothetical: "if" comes first
    assert flags(d, "when should i call if i have spotting") == ()


def test_a_negation_after_a_list_reaches_over_its_joining_word():
    d = detector({"bleeding": {"weak": ["кровотеч*"]}},
                 negation={"after": ["немає"], "joins": ["й", "і"]}, clause_breaks=["й", "і"])
    assert flags(d, "кровотечі й болю немає") == ()  # no bleeding and no pain
    assert flags(d, "кровотеча і немає сил") == ("bleeding",)  # bleeding, and no strength


def test_a_false_friend_matches_only_a_slot_that_spells_it_out():
    # Roman Urdu "puchna" (to ask) is not Polish puchn* (swelling), nor is "puchhna" one typo from it; Polish
    # "nogi puchna" (legs swell) still alarms, because that pattern spells the word out.
    categories = ("preeclampsia_signs",)
    pl = Lexicon.from_dict({"language": "pl", "categories": {"preeclampsia_signs": {
        "weak": ["puchn*", "nogi puchna|puchnie"]}}}, categories)
    ur = Lexicon.from_dict({"language": "ur", "categories": {}, "false_friends": ["puchna", "puchh*"]}, categories)
    d = RedFlagDetector([pl, ur], categories)
    assert flags(d, "mujhe kuch puchna hai") == ()
    assert flags(d, "mujhe puchhna tha") == ()  # one typo from puchn*, and a false friend by its stem
    assert flags(d, "nogi mi puchna") == ("preeclampsia_signs",)
    assert flags(d, "strasznie puchnie") == ("preeclampsia_signs",)  # not a false friend: the stem still reads it


def test_a_negation_word_in_an_exception_phrase_negates_nothing():
    # Arabic "ما زال" (still): "ما زال بيتحرك" is a baby still moving, "ما زال عندي نزيف" a bleed still there.
    d = detector({"reduced_movements": {"strong": ["ما|لا بيتحرك|يتحرك"]}, "bleeding": {"weak": ["نزيف"]}},
                 negation={"before": ["ما", "لا"], "except": ["ما|لا زال|يزال"]})
    assert flags(d, "ما زال بيتحرك") == ()
    assert flags(d, "لا يزال يتحرك") == ()
    assert flags(d, "ما زال ما بيتحرك") == ("reduced_movements",)  # still not moving
    assert flags(d, "ما زال عندي نزيف") == ("bleeding",)
    assert flags(d, "ما عندي نزيف") == ()


def test_a_hypothetical_with_a_plea_is_a_question_for_information():
    categories = ("bleeding", "domestic_abuse")
    lexicon = Lexicon.from_dict({
        "language": "en",
        "categories": {"bleeding": {"strong": ["bleed* heav*"], "weak": ["bleed*", "blood"]},
                       "domestic_abuse": {"strong": ["hits me"]}},
        "context": {"plea": ["what should i do", "who do i call"], "conditional": ["if", "when"],
                    "hypothetical": ["if ... start*|break|hits"], "ongoing": ["again", "still"]},
    }, categories)
    d = RedFlagDetector([lexicon], categories)
    assert flags(d, "what should i do if i start bleeding?") == ()
    assert flags(d, "if i start bleeding heavily, who do i call?") == ()  # strong, but imagined
    assert flags(d, "if i start bleeding heavily") == ("bleeding",)  # no question: when in doubt, alarm
    assert flags(d, "i'm bleeding, what should i do?") == ("bleeding",)
    assert flags(d, "when i wiped there was blood, what should i do?") == ("bleeding",)  # "when" is no hypothetical
    assert flags(d, "if the bleeding starts again what should i do") == ("bleeding",)  # it is back: ongoing
    assert flags(d, "what should i do if he hits me") == ("domestic_abuse",)  # never for abuse


def test_a_vaccine_in_the_clause_rules_out_weak_reactions_only():
    categories = ("bleeding", "fever_infection")
    lexicon = Lexicon.from_dict({"language": "en", "categories": {
        "fever_infection": {"strong": ["fever*"], "weak": ["temperature", "unwell"]},
        "bleeding": {"weak": ["bleed*"]}}, "context": {"vaccine": ["jab|vaccine*"]}}, categories)
    d = RedFlagDetector([lexicon], categories)
    assert flags(d, "does the rsv vaccine cause a temperature") == ()
    assert flags(d, "unwell after the jab") == ()
    assert flags(d, "fever since the jab") == ("fever_infection",)  # strong
    assert flags(d, "bleeding after the jab") == ("bleeding",)  # not a reaction it rules out
    assert flags(d, "unwell today. had the jab last week") == ("fever_infection",)  # another sentence
