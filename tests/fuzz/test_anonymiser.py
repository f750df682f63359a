"""The anonymiser (`bot.anonymise`) on generated text: it never fails, returns a str that is never much longer than
what she wrote (each replaced span becomes one short placeholder), keeps every word that identifies nobody, and
removes each identifier planted among those words. (tests/anonymise/test_properties.py checks that its spans are
sound and that the result is a fixed point.)"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.anonymise import PLACEHOLDERS, anonymiser
from tests.fuzz.conftest import SLOW, fuzz

# Ordinary words of feedback in several languages: none is a name, a number or an address.
PLAIN = ["the", "midwife", "was", "very", "kind", "and", "helpful", "but", "waited", "too", "long", "at", "night",
         "położna", "była", "bardzo", "miła", "القابلة", "كانت", "جيدة", "ধাত্রী", "ভালো", "ছিল", "dhakhtarka",
         "wuu", "fiicnaa", "акушерка", "була", "добра", "the", "food", "room", "clean", "thank", "you", "!", ",", "?"]
IDENTIFIERS = {"07700 900123": "[PHONE]", "943 476 5919": "[NHS_NUMBER]", "sarah.jones@example.com": "[EMAIL]",
               "SW1A 1AA": "[POSTCODE]", "12/03/1990": "[DATE_OF_BIRTH]"}
LONGEST_PLACEHOLDER = max(len(p) for p in PLACEHOLDERS.values())


@fuzz(SLOW)
@given(text=st.text(max_size=200), language=st.sampled_from([None, "en", "pl", "ar", "bn", "so", "uk", "xx"]))
@example(text="[NAME] [PHONE] ]][[", language="en")
@example(text="\x00\u202e07700\u200b900123", language=None)
def test_any_text_is_redacted_without_failing_or_growing(text: str, language: str | None) -> None:
    redaction = anonymiser().redact(text, language)
    assert isinstance(redaction.text, str)
    assert len(redaction.text) <= len(text) + LONGEST_PLACEHOLDER * len(redaction.entities)


@fuzz(SLOW)
@given(words=st.lists(st.sampled_from(PLAIN), min_size=1, max_size=25))
def test_words_that_identify_nobody_are_kept(words: list[str]) -> None:
    text = " ".join(words)
    assert anonymiser().redact(text, "en").text == text


@fuzz(SLOW)
@given(before=st.lists(st.sampled_from(PLAIN), max_size=8), after=st.lists(st.sampled_from(PLAIN), max_size=8),
       identifier=st.sampled_from(sorted(IDENTIFIERS)))
def test_a_planted_identifier_is_replaced_and_the_rest_kept(before: list[str], after: list[str],
                                                            identifier: str) -> None:
    text = " ".join([*before, identifier, *after])
    out = anonymiser().redact(text, "en").text
    assert identifier not in out and IDENTIFIERS[identifier] in out
    assert out == " ".join([*before, IDENTIFIERS[identifier], *after])
