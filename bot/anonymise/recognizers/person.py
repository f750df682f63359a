"""Names of people: the name lists of the communities served (`content/anonymise/names/`), and the context around
a word that says it is a name ("my midwife Sarah", "Dr Okafor", "a midwife called Zdenka", "położna Ania", "اسمها").

Whether a word is a name is decided from what the lists say of it (see :mod:`bot.anonymise.names`) and its context:

* a listed name is a name, in any case and next to any punctuation ("thanks to sarah!");
* a name in another form or with other accents ("z Anią"), or that is also a word ("Hope", "Grace"), needs a capital
  letter, and a cue when it starts a sentence; in scripts without capitals a word-name ("أمل") needs a cue, and after
  a role word it must not end its clause or come before a copula ("ابني عمر ولد" is "my son Omar was born", "بچه
  سالم است" is "the baby is healthy");
* a listed name that is also a month or a function word ("May", "Will") needs a cue (and a capital letter);
* a word in no list is a name after an honorific ("Dr Okafor", "pani Zdenka") or a "her name is" cue, and, when
  capitalised, after a role word in lower case ("my midwife Zdenka"; not "Midwife Led Unit");
* a name runs on over the capitalised words after it ("Sarah Okafor") and over listed names around it;
* nothing is a person in a place: after "St", "Queen", "Royal" ... or before "ward", "wing", "hospital", "period",
  "road" ... ("Hope ward", "St Mary's", "Rosie Hospital", "grace period", "Victoria Road").

Cue words are in each language's file (`content/anonymise/languages/<code>.yml`, section `person`).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.anonymise.entities import PERSON
from bot.anonymise.names import Kind, Lookup, NameLexicon
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources
from bot.anonymise.text import SENTENCE_END, Word, words

HONORIFIC, NAME_IS, ROLE, LOWER_ROLE, AFTER = "honorific", "name_is", "role", "lower_role", "after"
_CLAUSE_END = SENTENCE_END | frozenset(",;:،؛፣")
_CUE_GAP = frozenset(" \t\u00a0,:.-–—(\"'“”‘’«»")
EXTEND = 2  # capitalised words after a name taken as part of it


def _cue_gap(gap: str, abbreviation: bool = False) -> bool:
    """Between a cue and a name: spacing, a comma, a bracket ... and a full stop only after an abbreviated title
    ("Dr.", "Sra."), not after a sentence ("... ask your midwife. Writing it down helps")."""
    if not (0 < len(gap) <= 4 and all(ch in _CUE_GAP for ch in gap)):
        return False
    return "." not in gap or (gap.count(".") == 1 and abbreviation)


def _acronym(text: str) -> bool:
    """ "GP-gaaga", "NHS-ka": a word built on an acronym is not a name."""
    return any(len(part) > 1 and part.isupper() for part in text.split("-"))


def _name_gap(gap: str) -> bool:
    """Between two words of one name: spacing or a hyphen only."""
    return 0 < len(gap) <= 2 and all(ch in " \t\u00a0-" for ch in gap)


class PersonRecognizer(Recognizer):
    ENTITY = PERSON

    def __init__(self, resources: Resources) -> None:
        self.lexicon = NameLexicon(resources)
        self.honorifics = resources.phrases("person", "honorifics")
        self.roles = resources.phrases("person", "roles")
        self.name_is = resources.phrases("person", "name_is")
        self.after_name = resources.phrases("person", "after_name")
        self.places_before = resources.phrases("person", "places_before")
        self.places_after = resources.phrases("person", "places_after")
        self.predicates = resources.phrases("person", "predicates")
        self.stopwords = resources.stopwords
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        ws = words(text)
        keys = [w.key for w in ws]
        looks = [None if w.has_digit else self.lexicon.lookup(w) for w in ws]
        marked: dict[int, tuple[int, int]] = {}
        for i, word in enumerate(ws):
            if word.has_digit:
                continue
            cue = self._cue(ws, keys, i)
            if self._is_name(word, keys[i], looks[i], cue, self._predicate(ws, keys, i)):
                look = looks[i]
                marked[i] = (look.start, look.end) if look else (word.start, word.end)
        self._join_listed_neighbours(ws, looks, marked)
        self._extend(ws, keys, looks, marked)
        for first, last in _runs(ws, marked):
            if not self._in_a_place(ws, keys, first, last):
                yield Span(marked[first][0], marked[last][1], 0.85)

    def _cue(self, ws: tuple[Word, ...], keys: list[str], i: int) -> str | None:
        """What just before (or, for "Sarah khanum", just after) the word says that it is a name."""
        if i > 0 and _cue_gap(ws[i].gap, abbreviation=True):
            for kind, phrases in ((HONORIFIC, self.honorifics), (NAME_IS, self.name_is), (ROLE, self.roles)):
                length = phrases.ending_before(keys, i)
                if not length or not _cue_gap(ws[i].gap, abbreviation=kind == HONORIFIC and len(ws[i - 1].text) <= 4):
                    continue
                if kind == NAME_IS and ws[i].gap.strip(" \t\u00a0:\"'“”«»"):  # "name, phone number or address"
                    continue
                if all(_cue_gap(ws[k].gap, abbreviation=True) for k in range(i - length + 1, i)):
                    cue_word = ws[i - 1]
                    return LOWER_ROLE if kind == ROLE and not cue_word.title and not cue_word.upper else kind
        if i + 1 < len(ws) and _name_gap(ws[i + 1].gap) and self.after_name.starting_at(keys, i + 1):
            return AFTER
        return None

    def _is_name(self, word: Word, key: str, look: Lookup | None, cue: str | None, predicate: bool) -> bool:
        if look is None:
            if word.form in self.stopwords or len(key) < 2 or self._is_cue_word(key) or _acronym(word.text):
                return False
            if word.cased:
                return word.title and cue in (HONORIFIC, NAME_IS, LOWER_ROLE)
            return cue == NAME_IS
        kind = look.kind
        if not word.cased and kind is Kind.INFLECTED:
            kind = Kind.AMBIGUOUS  # no capital letter to go by: as sure as a name that is also a word
        if kind is Kind.KNOWN:
            return True
        if kind is not Kind.WORD_NAME and word.form in self.stopwords:  # "are" is not "Ara" in another form
            return False
        strong = cue in (HONORIFIC, NAME_IS, AFTER)
        if not word.cased:
            if kind is Kind.AMBIGUOUS:
                return strong or (cue in (ROLE, LOWER_ROLE) and not predicate)
            return kind is Kind.WORD_NAME and strong
        if kind in (Kind.INFLECTED, Kind.AMBIGUOUS):
            return word.title and (not word.sentence_start or cue is not None)
        if kind is Kind.WORD_NAME:
            return word.title and cue is not None
        return False

    def _predicate(self, ws: tuple[Word, ...], keys: list[str], i: int) -> bool:
        """Whether the word ends its clause or comes before a copula ("بچه سالم است", "القابلة لطيفة جدا"): after a role
        word it is then what the person is, not who."""
        if i + 1 >= len(ws) or any(ch in _CLAUSE_END for ch in ws[i + 1].gap):
            return True
        return bool(self.predicates.starting_at(keys, i + 1))

    def _is_cue_word(self, key: str) -> bool:
        return any(key in phrases for phrases in (self.honorifics, self.roles, self.name_is, self.after_name))

    def _join_listed_neighbours(self, ws: tuple[Word, ...], looks: list[Lookup | None],
                                marked: dict[int, tuple[int, int]]) -> None:
        """A listed name that is also a word, next to a name, is part of it ("Grace Kowalski", "Jan Nowak")."""
        changed = True
        while changed:
            changed = False
            for i, look in enumerate(looks):
                if i in marked or look is None or look.kind not in (Kind.AMBIGUOUS, Kind.WORD_NAME):
                    continue
                if ws[i].cased and not ws[i].title and not ws[i].upper:
                    continue
                before = i - 1 in marked and _name_gap(ws[i].gap)
                after = i + 1 in marked and _name_gap(ws[i + 1].gap)
                if before or after:
                    marked[i] = (look.start, look.end)
                    changed = True

    def _extend(self, ws: tuple[Word, ...], keys: list[str], looks: list[Lookup | None],
                marked: dict[int, tuple[int, int]]) -> None:
        """Capitalised words after a name are its other names ("Sarah Okafor", "Dr Sarah Jane Okafor")."""
        for i in sorted(marked):
            j = i + 1
            while j <= i + EXTEND and j < len(ws) and j not in marked and _name_gap(ws[j].gap):
                word, look = ws[j], looks[j]
                if not word.title or word.has_digit or word.form in self.stopwords or self._is_cue_word(keys[j]):
                    break
                if _acronym(word.text):
                    break
                if look is not None and look.kind in (Kind.WORD, Kind.WORD_NAME):
                    break
                if self.places_after.starting_at(keys, j):
                    break
                marked[j] = (look.start, look.end) if look else (word.start, word.end)
                j += 1

    def _in_a_place(self, ws: tuple[Word, ...], keys: list[str], first: int, last: int) -> bool:
        if first > 0 and _cue_gap(ws[first].gap) and self.places_before.ending_before(keys, first):
            return True
        after = last + 1
        return after < len(ws) and _name_gap(ws[after].gap) and bool(self.places_after.starting_at(keys, after))


def _runs(ws: tuple[Word, ...], marked: dict[int, tuple[int, int]]) -> Iterable[tuple[int, int]]:
    """Consecutive marked words separated by spacing or a hyphen: one name each."""
    first = last = None
    for i in sorted(marked):
        joined = marked[last][1] == ws[last].end and marked[i][0] == ws[i].start if last is not None else False
        if last is not None and i == last + 1 and _name_gap(ws[i].gap) and joined:
            last = i
            continue
        if first is not None:
            yield first, last
        first = last = i
    if first is not None:
        yield first, last
