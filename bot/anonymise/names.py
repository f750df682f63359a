"""Is this word a name? The lists of `content/anonymise/names/`, with the forms a name takes in a sentence.

A word is looked up as it is, then without a possessive ('s), then without a letter written joined to it (Arabic
"وفاطمة" = "and Fatima", Bengali "রহিমার" = "Rahima's"), then through the case endings of Polish, Ukrainian and
Romanian ("z Anią", "з Оксаною", "Mariei"). The answer says how sure the list is, because many names are also words:

* KNOWN — a listed name, written as listed (accents included, or, in Latin and Cyrillic, no accents at all);
* INFLECTED — a listed name in another form, with other accents ("Olá" is not "Ola") or other letters ("عايشة",
  living, is not "عائشة", Aisha);
* AMBIGUOUS — a name that is also an ordinary word ("Hope", "Grace", "Amal" = hope), a common word of the
  anonymiser's list (a place, an acronym: "Lincoln", "NICU" beside the Romanian "Nicu") or a word of doula's own
  texts ("افضل" best, "vida" life);
* WORD_NAME — a listed name that is never taken as one on its own: a month ("May", "Jan"), a function word ("Will");
* WORD — never a name (drug names, "midwife", "Baby").

The person recognizer decides with the context (a cue word, a capital letter, a ward) what the list cannot.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from bot.anonymise.resources import Resources
from bot.anonymise.text import Word, lookup_form, written_form
from bot.safety.normalize import normalize

_POSSESSIVE = ("'s", "’s", "ʼs")
_FINAL_CLASS = {"ى": "maksura", "ي": "ya", "ی": "farsi"}


class Kind(enum.Enum):
    KNOWN = "known"
    INFLECTED = "inflected"
    AMBIGUOUS = "ambiguous"
    WORD_NAME = "word_name"
    WORD = "word"


@dataclass(frozen=True)
class Lookup:
    kind: Kind
    start: int  # the name's span: the word without a joined letter or possessive
    end: int


def _accents_stripped(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


class NameLexicon:
    def __init__(self, resources: Resources) -> None:
        self.names = resources.names
        self.final_letters = resources.final_letters
        self.exact = resources.names_exact
        self.ambiguous = resources.ambiguous
        self.not_names = resources.not_names
        self.common_words = resources.common_words
        self.vocabulary = resources.vocabulary
        self.name_prefixes = resources.name_prefixes
        self.name_suffixes = resources.name_suffixes
        rules = resources.languages.values()
        self.inflections = tuple(sorted({(normalize(a), normalize(b)) for r in rules for a, b in r.inflections},
                                        key=lambda rule: -len(rule[0])))
        self.proclitics = tuple(sorted({p for r in rules for p in r.proclitics}, key=len, reverse=True))
        self.suffixes = tuple(sorted({s for r in rules for s in r.suffixes}, key=len, reverse=True))

    def lookup(self, word: Word) -> Lookup | None:
        """What the lists say about `word`; None when it is in none of them."""
        text, start, end = word.text, word.start, word.end
        if text.casefold().endswith(_POSSESSIVE) and len(text) > 3:
            text, end = text[:-2], end - 2
        key, form = normalize(text), lookup_form(text)
        if key in self.names and not self._final_letter_fits(text, key):
            return None
        if form in self.not_names:
            return Lookup(Kind.WORD_NAME if key in self.names else Kind.WORD, start, end)
        if (form in self.ambiguous or form in self.common_words or form in self.vocabulary) and key in self.names:
            # "Hope", "Grace"; "Nicu" and "NICU", "Lincoln"; "افضل" (best), "vida" (life) in doula's own texts
            return Lookup(Kind.AMBIGUOUS, start, end)
        if key in self.names:
            written = written_form(text)
            # Latin and Cyrillic names are often typed without their accents ("Lucja"); other scripts' variants
            # are often other words ("عايشة" living, not "عائشة" Aisha).
            as_listed = written in self.exact or (word.cased and _accents_stripped(written) == written)
            return Lookup(Kind.KNOWN if as_listed else Kind.INFLECTED, start, end)
        return (self._joined(word, key, start, end) or self._inflected(key, start, end) or self._hyphenated(word)
                or self._shaped(key, start, end))

    def _shaped(self, key: str, start: int, end: int) -> Lookup | None:
        """ "عبدالرحيم", "Abdirahman", "Gurvinder", "ተስፋጋብር": a compound name by its beginning or ending
        (`name_shapes.txt`)."""
        if key in self.vocabulary or key in self.common_words:
            return None
        if (any(key.startswith(p) and len(key) >= len(p) + 3 for p in self.name_prefixes)
                or any(key.endswith(s) and len(key) >= len(s) + 3 for s in self.name_suffixes)):
            return Lookup(Kind.KNOWN, start, end)
        return None

    def _final_letter_fits(self, text: str, key: str) -> bool:
        """Arabic writes "على" (on) with a final ى and "علي" (Ali) with a ي; normalised, both are "علي". A word
        ending in ى is a name only if a listed spelling ends so too; one ending in ي, only if a listed spelling ends
        in ي or in the Persian ی (which serves for both)."""
        final = _FINAL_CLASS.get(text[-1:])
        if final is None or final == "farsi":
            return True
        listed = self.final_letters.get(key, frozenset())
        return final in listed or (final == "ya" and "farsi" in listed)

    def _hyphenated(self, word: Word) -> Lookup | None:
        """ "Anne-Marie", "Jean-Luc": every part a listed name, at least one of them plainly so."""
        parts = [p for p in word.text.replace("‐", "-").split("-") if p]
        if len(parts) < 2:
            return None
        kinds = []
        for part in parts:
            key = normalize(part)
            if key not in self.names:
                return None
            kinds.append(Kind.KNOWN if key not in self.ambiguous and key not in self.not_names else Kind.AMBIGUOUS)
        kind = Kind.KNOWN if Kind.KNOWN in kinds and (word.title or not word.cased) else Kind.AMBIGUOUS
        return Lookup(kind, word.start, word.end)

    def _joined(self, word: Word, key: str, start: int, end: int) -> Lookup | None:
        """A name with a letter written joined to it, in scripts that do (the span is the name alone)."""
        if word.cased or lookup_form(word.text) in self.vocabulary:
            return None  # "فلوسي" (my money) is a word of doula's own texts, not ف + "لوسي" (Lucy)
        shortest = 2 if all("\u1200" <= ch <= "\u137f" for ch in key) else 3  # an Ethiopic letter is a syllable
        written = word.text
        for proclitic in self.proclitics:
            # compared as written: Urdu "کرنا" is not the Arabic "ك" + "رنا", though both normalise alike
            if written.startswith(proclitic) and len(written) - len(proclitic) >= shortest:
                found = self._part(written[len(proclitic):])
                if found:
                    return Lookup(found, end - (len(written) - len(proclitic)), end)
        for suffix in self.suffixes:
            if written.endswith(suffix) and len(written) - len(suffix) >= shortest:
                found = self._part(written[:-len(suffix)])
                if found:
                    return Lookup(found, start, start + len(written) - len(suffix))
        # a letter joined on both sides: Tigrinya "ንፍረወይኒን" is ን (to) + ፍረወይኒ + ን (and)
        for proclitic in self.proclitics:
            if not written.startswith(proclitic):
                continue
            for suffix in self.suffixes:
                middle = len(written) - len(proclitic) - len(suffix)
                if written.endswith(suffix) and middle >= shortest:
                    found = self._part(written[len(proclitic):len(written) - len(suffix)])
                    if found:
                        return Lookup(found, start + len(proclitic), start + len(proclitic) + middle)
        return None

    def _part(self, text: str) -> Kind | None:
        """What the lists say of the name part of a joined word (None if it is not a listed name)."""
        form = lookup_form(text)
        if normalize(text) not in self.names or form in self.not_names:
            return None
        return Kind.AMBIGUOUS if form in self.ambiguous or written_form(text) not in self.exact else Kind.KNOWN

    def _inflected(self, key: str, start: int, end: int) -> Lookup | None:
        if key in self.vocabulary:  # "Home" is not "Homa" in another case: it is a word of doula's own texts
            return None
        for ending, listed_ending in self.inflections:
            stem = key[:-len(ending)] if ending else key
            if key.endswith(ending) and len(stem) >= 2:
                candidate = stem + listed_ending
                if candidate in self.names and candidate not in self.not_names:
                    return Lookup(Kind.INFLECTED, start, end)
        return None

