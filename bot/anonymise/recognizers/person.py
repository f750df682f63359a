"""Names of people: the name lists of the communities served (`content/anonymise/names/`), and the context around
a word that says it is a name ("my midwife Sarah", "Dr Okafor", "a midwife called Zdenka", "położna Ania", "اسمها").

Whether a word is a name is decided from what the lists say of it (see :mod:`bot.anonymise.names`) and its context:

* a listed name is a name, in any case and next to any punctuation ("thanks to sarah!");
* a name in another form or with other accents ("z Anią"), or that is also a word ("Hope", "Grace"), needs a capital
  letter, and a cue when it starts a sentence; in scripts without capitals a word-name ("أمل") needs a cue, and after
  a role word it must not end its clause or come before a copula ("ابني عمر ولد" is "my son Omar was born", "بچه
  سالم است" is "the baby is healthy");
* a listed name that is also a month or a function word ("May", "Will") needs a cue (and a capital letter);
* a word in no list is a name after an honorific ("Dr Okafor", "pani Zdenka", "ڈاکٹر رضیہ") or a "her name is" cue
  (a word or two back: "we called our son Zayn"), and, when capitalised, after a role word in lower case ("my
  midwife Zdenka"; not "Midwife Led Unit"), after thanks ("shout out to Bex") or before what only a person does
  ("Tobenna was lovely", even first in a sentence); in lower case only after a title with a surname's shape ("dr
  o'sullivan") or right after the word "name" ("ka naam anaya"); in scripts without capitals also after a role word
  ("شوهرم فرهود"), unless it ends its clause, looks like a verb ("القابلة سمعتني") or has the article ("بنتي الكبيرة");
* never, by context alone, a common word (`common_words.txt`, `common_words` of each language) or a word of doula's
  own texts in the 12 languages (`Resources.vocabulary`: "نرس دوائی", medicine), and in a message that capitalises
  every word a capital letter says nothing ("My Husband Had To Go Home");
* a compound name is a name by its shape anywhere (`name_shapes.txt`: "عبدالرحيم", "Gurvinder", "ተስፋጋብር");
* a listed name in lower case in another form ("дякую олені") or that is also a word needs a cue;
* names joined by "and" or a comma are names together ("Bex and Chanelle", "олені та тарасу", and in a message in
  lower case a listed name that is also a word: "simran and kiran");
* a listed name, written as listed, followed by a comma and a role word is a name ("Ola, położna środowiskowa");
* a compound name written in two words is one ("عبد الله"), and after a title without the Arabic article a word with
  it is a family name ("د. العمري");
* a name runs on over the capitalised words after it ("Sarah Okafor"), over listed names around it, and in Arabic
  script over a family name with the article ("مريم الصافي");
* nothing is a person in a place: after "St", "Queen", "Royal" ... or before "ward", "wing", "hospital", "period",
  "road" ... ("Hope ward", "St Mary's", "Rosie Hospital", "grace period", "Victoria Road").

Cue words are in each language's file (`content/anonymise/languages/<code>.yml`, section `person`).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.anonymise.entities import PERSON
from bot.anonymise.names import Kind, Lookup, NameLexicon
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources, shape_form
from bot.anonymise.text import SENTENCE_END, Word, lookup_form, words, written_form
from bot.safety.normalize import normalize

HONORIFIC, TITLE, NAME_IS, NAME_NOUN, ROLE, LOWER_ROLE, THANKS, AFTER, BEFORE, APPOSITION = (
    "honorific", "title", "name_is", "name_noun", "role", "lower_role", "thanks", "after", "before", "apposition")
STRONG = frozenset({HONORIFIC, TITLE, NAME_IS, NAME_NOUN, AFTER})  # cues that say by themselves that a name follows
WEAK = frozenset({ROLE, LOWER_ROLE, THANKS})  # cues after which a word may still be what the person is or did
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
        self.titles = resources.phrases("person", "titles")
        self.honorifics = resources.phrases("person", "honorifics")
        self.thanks = resources.phrases("person", "thanks")
        self.name_nouns = resources.phrases("person", "name_nouns")
        self.person_predicates = resources.phrases("person", "person_predicates")
        self.conjunctions = resources.phrases("person", "conjunctions")
        self.common_words = resources.common_words
        self.vocabulary = resources.vocabulary
        self.verb_endings = tuple(sorted({e for r in resources.languages.values() for e in r.verb_endings}))
        self.surname_prefixes = resources.surname_prefixes
        self.surname_suffixes = resources.surname_suffixes
        self.roles = resources.phrases("person", "roles")
        self.name_is = resources.phrases("person", "name_is")
        self.after_name = resources.phrases("person", "after_name")
        self.places_before = resources.phrases("person", "places_before")
        self.places_after = resources.phrases("person", "places_after")
        self.predicates = resources.phrases("person", "predicates")
        self.stopwords = resources.stopwords
        self.cue_words = frozenset(phrase[0] for phrases in (self.titles, self.honorifics, self.roles, self.name_is,
                                                             self.thanks) for phrase in phrases.phrases)
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        ws = words(text)
        keys = [w.key for w in ws]
        looks = [None if w.has_digit else self.lexicon.lookup(w) for w in ws]
        cue_keys = self._cue_keys(ws, keys)
        shouting = _title_case(ws, looks)
        marked: dict[int, tuple[int, int]] = {}
        for i, word in enumerate(ws):
            if word.has_digit:
                continue
            cue = self._cue(ws, cue_keys, i, looks)
            if cue == NAME_IS and self.name_nouns.ending_before(keys, i):
                cue = NAME_NOUN  # right after the word "name": any case ("ka naam anaya")
            if cue_keys[i] != keys[i]:  # a cue word with a letter joined to it ("والقابلة")
                continue
            predicate = self._predicate(ws, keys, i)
            if (predicate and cue in (ROLE, LOWER_ROLE) and self._thanked(ws, keys, i)
                    and not self.predicates.starting_at(keys, i + 1)):
                predicate = False  # "شكراً للدكتور سميث والقابلة أمل.": whom she thanks, not what the midwife was
            # "د. العمري", "دكتورة الحسيني": after a title not itself with the article, a word with it is a family name
            article = cue in (HONORIFIC, TITLE) and i > 0 and not cue_keys[i - 1].startswith("ال")
            if self._is_name(word, keys[i], looks[i], cue, predicate,
                             self._predicate(ws, keys, i, strict=True), shouting, article):
                look = looks[i]
                # after "her name is" or a title the whole word is the name: "اسمها وفاء" is Wafaa, not "and Faa"
                whole = look is None or (cue in STRONG and not word.cased)
                marked[i] = (word.start, word.end) if whole else (look.start, look.end)
        self._join_split_compounds(ws, marked)
        self._join_listed_neighbours(ws, looks, marked)
        self._join_coordinated(ws, keys, looks, marked, shouting)
        self._extend(ws, keys, looks, marked)
        for first, last in _runs(ws, marked):
            if not self._in_a_place(ws, keys, first, last):
                yield Span(marked[first][0], marked[last][1], 0.85)

    def _cue_keys(self, ws: tuple[Word, ...], keys: list[str]) -> list[str]:
        """The words' keys, with a cue word that has a letter written joined to it taken apart: Arabic "للدكتورة"
        (to the doctor) is ل + الدكتورة, "والقابلة" is و + القابلة."""
        out = list(keys)
        for j, word in enumerate(ws):
            if word.cased or keys[j] in self.cue_words:
                continue
            for proclitic in self.lexicon.proclitics:
                rest = word.text[len(proclitic):]
                if not word.text.startswith(proclitic) or len(rest) < 2:
                    continue
                # ل + ال is written لل: "للقابلة" is "to the midwife"
                found = next((k for k in (normalize(rest), normalize("ا" + rest)) if k in self.cue_words), None)
                if found:
                    out[j] = found
                    break
        return out

    def _cue(self, ws: tuple[Word, ...], keys: list[str], i: int, looks: list[Lookup | None]) -> str | None:
        """What just before (or, for "Sarah khanum", just after) the word says that it is a name. A title written
        after a name is not a cue for the word after it ("از نرگس خانم تشکر" is "thank Narges khanum")."""
        cue = self._cue_before(ws, keys, i, looks)
        if cue in (None, ROLE, LOWER_ROLE, THANKS) and self._name_is_over(ws, keys, i):
            return NAME_IS  # "we named our daughter ...": stronger than the role word just before
        if cue is None and i + 1 < len(ws) and _name_gap(ws[i + 1].gap) and self.after_name.starting_at(keys, i + 1):
            return AFTER
        if (cue is None and i + 1 < len(ws) and _cue_gap(ws[i + 1].gap) and "," not in ws[i + 1].gap
                and self.person_predicates.starting_at(keys, i + 1)):
            return BEFORE  # "Chanel was so kind", "ترگل کمکم کرد": what only a person does or is
        look = looks[i]
        # a name written as listed: not "Olá, a médica ..." (hello), which is "Ola" with an accent
        if (cue is None and look is not None and look.kind is not Kind.INFLECTED and i + 1 < len(ws)
                and written_form(ws[i].text) in self.lexicon.exact and ws[i + 1].gap.strip(" \t\u00a0") == ","):
            # "Ola, położna środowiskowa, ...", "Олексій, мій чоловік, ...": a role word said of her after a comma
            if self.roles.starting_at(keys, i + 1) or (
                    i + 2 < len(ws) and ws[i + 1].form in self.stopwords and _name_gap(ws[i + 2].gap)
                    and self.roles.starting_at(keys, i + 2)):
                return APPOSITION
        return cue

    def _cue_before(self, ws: tuple[Word, ...], keys: list[str], i: int, looks: list[Lookup | None]) -> str | None:
        if i > 0 and _cue_gap(ws[i].gap, abbreviation=True):
            for kind, phrases in ((TITLE, self.titles), (HONORIFIC, self.honorifics), (NAME_IS, self.name_is),
                                  (ROLE, self.roles), (THANKS, self.thanks)):
                length = phrases.ending_before(keys, i)
                abbreviation = kind in (TITLE, HONORIFIC) and len(ws[i - 1].text) <= 4
                if not length or not _cue_gap(ws[i].gap, abbreviation=abbreviation):
                    continue
                if kind == NAME_IS and ws[i].gap.strip(" \t\u00a0:\"'“”«»"):  # "name, phone number or address"
                    continue
                first = i - length
                if kind == HONORIFIC and keys[i - 1] in self.after_name and _after_a_name(ws, looks, first):
                    continue
                if all(_cue_gap(ws[k].gap, abbreviation=True) for k in range(i - length + 1, i)):
                    cue_word = ws[i - 1]
                    if kind == ROLE and not cue_word.title and not cue_word.upper:
                        return LOWER_ROLE
                    return kind
        return None

    def _name_is_over(self, ws: tuple[Word, ...], keys: list[str], i: int) -> bool:
        """ "her name is" a word or two before, over function or role words only: "we named her Inaaya", "we called
        our son Zayn", "سمينا ابنتنا لارين", "اسم دخترم را آوا"."""
        for skip in (1, 2):
            first = i - skip
            if first < 1 or not _cue_gap(ws[i].gap) or not all(_name_gap(ws[k].gap) for k in range(first, i)):
                return False
            if not all(ws[k].form in self.stopwords or self.roles.ending_before(keys, k + 1)
                       for k in range(first, i)):
                return False
            if self.name_is.ending_before(keys, first):
                return True
        return False

    def _unlisted_word(self, word: Word, key: str) -> bool:
        """Whether a word in no list may still be a name: not a function, common or cue word, nor an acronym."""
        return not (word.form in self.stopwords or word.form in self.common_words or len(key) < 2
                    or self._is_cue_word(key) or _acronym(word.text))

    def _ordinary(self, word: Word) -> bool:
        """Whether a word is one of doula's own texts (an ordinary word), as it is or without a letter joined to it
        ("ብእንግሊዝኛ" is ብ + "English", "জন্ডিসের" is "jaundice's")."""
        if word.form in self.vocabulary:
            return True
        if word.cased:
            return False
        text = word.text
        # without a letter joined before or after it (a preposition, a case ending); not any letters: "عنبرین"
        # (Anbarin) is not "عنبر" (amber) + "ین"
        stems = [text[len(p):] for p in self.lexicon.proclitics if text.startswith(p)]
        stems += [text[:-len(s)] for s in self.lexicon.suffixes if text.endswith(s)]
        shortest = 2 if all("\u1200" <= ch <= "\u137f" for ch in text) else 3  # an Ethiopic letter is a syllable
        return any(len(stem) >= shortest and lookup_form(stem) in self.vocabulary for stem in stems)

    def _surname_shape(self, word: Word) -> bool:
        """ "o'sullivan", "mcdonald", "kowalska", "ionescu": a word in lower case shaped like a surname."""
        form = shape_form(word.text)
        return (any(form.startswith(p) and len(form) > len(p) + 2 for p in self.surname_prefixes)
                or any(form.endswith(s) and len(form) > len(s) + 2 for s in self.surname_suffixes))

    def _is_name(self, word: Word, key: str, look: Lookup | None, cue: str | None, predicate: bool,
                 predicate_strict: bool = False, shouting: bool = False, article: bool = False) -> bool:
        """Whether the word is a name, from what the lists say of it (`look`), the cue before it, whether it is what
        the person was (`predicate`, `predicate_strict`: see `_predicate`) and whether the message capitalises
        every word (`shouting`: "My Husband Had To Go Home"), where a capital letter says nothing; `article`: the cue is
        a title without the Arabic article, after which a word with it is a family name ("د. العمري")."""
        if look is None:
            if not self._unlisted_word(word, key):
                return False
            if cue == BEFORE:  # "Tobenna was lovely" (even first in a sentence), not "Triage was lovely"
                if word.cased and (not word.title or shouting):
                    return False
                return not self._ordinary(word) and not word.text.startswith("ال") and len(key) >= 3
            if word.cased:
                if not word.title:  # "dr o'sullivan", "ka naam anaya", not "the dr explained", "called back"
                    # not "magaciisu wuxuu ahaa" (his name was): a word of doula's own texts
                    return ((cue == TITLE and self._surname_shape(word))
                            or (cue == NAME_NOUN and not self._ordinary(word)))
                if cue in (LOWER_ROLE, THANKS):  # "my partner Stayed", "thanks to Hypnobirthing"
                    return not shouting and not self._ordinary(word) and not word.text.endswith(self.verb_endings)
                return cue in (HONORIFIC, TITLE, NAME_IS, NAME_NOUN)
            # No capital letter to go by: a title or "her name is" says it ("ڈاکٹر رضیہ"), and so does a role word
            # used as a title ("ነርስ ኣብረሀት", "نرس شمیم بہت مہربان تھیں") unless the word is what she was or did
            # ("ਮਿਡਵਾਈਫ ਚੰਗੇ ਸਨ", "মিডওয়াইফ আসেনি।"). After another role word ("my husband") a word that ends
            # its clause or comes before a copula is what the person was; what they did is a common word ("ساعدتني").
            if cue in (TITLE, NAME_IS, NAME_NOUN):
                return True
            if self._ordinary(word):  # "نرس دوائی دینا بھول گئی": medicine, a word of doula's own texts
                return False
            if word.text.startswith("ال") and article and len(word.text) > 4 and not predicate_strict:
                return cue == HONORIFIC  # "د. العمري", "دكتورة الحسيني": a family name (a title has said it above)
            if word.text.endswith(self.verb_endings) or word.text.startswith("ال"):
                return False  # "القابلة سمعتني" (heard me), "بنتي الكبيرة" (the eldest): a verb, an adjective
            if len(word.text) <= 3 and "\u0600" <= word.text[0] <= "\u06ff":
                return False  # "ابني ولد" (was born): most short Arabic-script words are words; short names are listed
            if cue in (ROLE, LOWER_ROLE):  # "شوهرم فرهود", "ሰብኣየይ ተስፋጋብር"; not "الممرضة كانوا"
                return not predicate and len(key) >= 3
            return cue == HONORIFIC and not predicate_strict
        kind = look.kind
        if not word.cased and kind is Kind.INFLECTED:
            kind = Kind.AMBIGUOUS  # no capital letter to go by: as sure as a name that is also a word
        if kind is Kind.KNOWN:
            return True
        if not (cue == TITLE and word.title) and (
                self.places_after.starting_at((key,), 0) or self.places_before.starting_at((key,), 0)):
            return False  # "Home Farm Lane" is no "Lana" in another case; "Dr Hall" is a person
        # "are" is not "Ara" in another form; a name that is a word of another language ("Ali") is listed as such
        if kind is not Kind.WORD_NAME and word.form in self.stopwords and word.form not in self.lexicon.ambiguous:
            return False
        strong = cue in STRONG
        if not word.cased:
            if kind is Kind.AMBIGUOUS and cue == HONORIFIC and predicate_strict and self._ordinary(word):
                return False  # "ماما خوب بود": what she was
            if look.start != word.start and cue in (HONORIFIC, ROLE, LOWER_ROLE) and self._ordinary(word):
                return False  # "ሚድዋይፍ ብትዕግስቲ" (with patience): a preposition joined to a word, not to a name
            if kind is Kind.AMBIGUOUS:
                return strong or (cue in WEAK and not predicate) or cue in (BEFORE, APPOSITION)
            return kind is Kind.WORD_NAME and strong
        if kind in (Kind.INFLECTED, Kind.AMBIGUOUS):
            if not word.title or shouting:  # "дякую олені", "my midwife grace", "Go Home"
                return strong or (cue in WEAK and not predicate) or cue in (BEFORE, APPOSITION)
            return not word.sentence_start or cue is not None
        if kind is Kind.WORD_NAME:  # "In May, my husband ...": a month before a role word
            return word.title and cue not in (None, APPOSITION)
        return False

    def _predicate(self, ws: tuple[Word, ...], keys: list[str], i: int, strict: bool = False) -> bool:
        """Whether the word ends its clause or comes before a copula ("بچه سالم است", "القابلة لطيفة جدا"): after a role
        word it is then what the person is, not who. `strict`: only if the copula also ends the clause ("ਚੰਗੇ ਸਨ,"),
        since "very" also comes after a name ("شمیم بہت مہربان تھیں")."""
        if i + 1 >= len(ws) or any(ch in _CLAUSE_END for ch in ws[i + 1].gap):
            return True
        length = self.predicates.starting_at(keys, i + 1)
        if not strict or not length:
            return bool(length)
        after = i + 1 + length
        return after >= len(ws) or any(ch in _CLAUSE_END for ch in ws[after].gap)

    def _is_cue_word(self, key: str) -> bool:
        return any(key in phrases for phrases in (self.titles, self.honorifics, self.roles, self.name_is,
                                                   self.after_name, self.thanks))

    def _join_coordinated(self, ws: tuple[Word, ...], keys: list[str], looks: list[Lookup | None],
                          marked: dict[int, tuple[int, int]], shouting: bool = False) -> None:
        """A word joined to a name by "and" ("Bex and Chanelle", "олені та тарасу", "Anab iyo Muna") or, if it is
        listed, by a comma ("Ania, Ewie") is a name too, when it could be one: a listed name in any form, or an
        unlisted capitalised word inside a sentence that is no common word."""
        changed = True
        while changed:
            changed = False
            for i in sorted(marked):
                if self._in_a_place(ws, keys, i, i):  # "St Mary's and Queen Charlotte's"
                    continue
                for j, between in ((i + 2, i + 1), (i - 2, i - 1), (i + 1, None), (i - 1, None)):
                    if not 0 <= j < len(ws) or j in marked or ws[j].has_digit:
                        continue
                    if between is None:  # next to it, after a comma
                        later = ws[max(i, j)]
                        if later.gap.strip(" \t\u00a0") != "," or looks[j] is None:
                            continue
                    elif not (keys[between] in self.conjunctions and _name_gap(ws[between].gap)
                              and _name_gap(ws[between + 1].gap)):
                        continue
                    if (self.places_before.starting_at(keys, j) or self.places_after.starting_at(keys, j)
                            or self._in_a_place(ws, keys, j, j)):
                        continue
                    # in a message in lower case, "simran and kiran": no capital letter to ask of the other either
                    lower = ws[i].cased and not ws[i].title and not ws[i].upper
                    if self._coordinated_name(ws[j], keys[j], looks[j], shouting, lower):
                        look = looks[j]
                        marked[j] = (look.start, look.end) if look else (ws[j].start, ws[j].end)
                        changed = True

    def _coordinated_name(self, word: Word, key: str, look: Lookup | None, shouting: bool,
                          lower: bool = False) -> bool:
        if look is None:
            # first in a sentence a capital letter says nothing, but "and" next to a name does, unless a common word
            return (word.title and not shouting and self._unlisted_word(word, key)
                    and not self._ordinary(word))
        if look.kind in (Kind.WORD, Kind.WORD_NAME):
            return False
        if word.form in self.stopwords and word.form not in self.lexicon.ambiguous:
            return False
        return look.kind is not Kind.AMBIGUOUS or word.title or not word.cased or (lower and not word.upper)

    def _thanked(self, ws: tuple[Word, ...], keys: list[str], i: int) -> bool:
        """Whether a thanks phrase comes before the word in its sentence ("شكراً للدكتور سميث والقابلة أمل")."""
        for k in range(i, 0, -1):
            if self.thanks.ending_before(keys, k):
                return True
            if ws[k].sentence_start:
                return False
        return False

    def _join_split_compounds(self, ws: tuple[Word, ...], marked: dict[int, tuple[int, int]]) -> None:
        """A listed compound name written in two words, in scripts without capitals: "عبد الله" is عبدالله, "عبد
        الرحمن" is عبدالرحمن; both words are the name, whatever the context ("عبد" alone is servant)."""
        names, ambiguous = self.lexicon.names, self.lexicon.ambiguous
        for i in range(len(ws) - 1):
            first, second = ws[i], ws[i + 1]
            if first.cased or second.cased or first.has_digit or second.has_digit or not _name_gap(second.gap):
                continue
            if any(w.form in self.stopwords or w.form in self.common_words for w in (first, second)):
                continue  # "به من" (to me) is no بهمن (Bahman)
            joined = first.text + second.text
            if (normalize(joined) in names and lookup_form(joined) not in ambiguous
                    and lookup_form(joined) not in self.lexicon.not_names):
                marked.setdefault(i, (first.start, first.end))
                marked[i + 1] = (second.start, second.end)

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
                if self._family_name(word, keys[j], look):  # "مريم الصافي"
                    marked[j] = (word.start, word.end)
                    break
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

    def _family_name(self, word: Word, key: str, look: Lookup | None) -> bool:
        """In Arabic script, a family name with the article after a given name ("مريم الصافي", "أحمد الخطيب"):
        no capital letter says it, its "ال" and its place do, unless it is a word ("سارة الطيبة", "فاطمة الممرضة")."""
        return (look is None and not word.cased and word.text.startswith("ال") and len(word.text) > 4
                and self._unlisted_word(word, key) and not self.places_before.starting_at((key,), 0)
                and not self.places_after.starting_at((key,), 0))

    def _in_a_place(self, ws: tuple[Word, ...], keys: list[str], first: int, last: int) -> bool:
        if first > 0 and _cue_gap(ws[first].gap) and self.places_before.ending_before(keys, first):
            return True
        after = last + 1
        return after < len(ws) and _name_gap(ws[after].gap) and bool(self.places_after.starting_at(keys, after))


def _title_case(ws: tuple[Word, ...], looks: list[Lookup | None]) -> bool:
    """Whether the message capitalises (nearly) every word that is not a listed name, where a capital letter is no
    sign of a name ("My Husband Had To Go Home")."""
    cased_words = [w for w, look in zip(ws, looks, strict=True) if w.cased and not w.has_digit and look is None]
    capitals = sum(1 for w in cased_words if w.title or w.upper)
    return len(cased_words) >= 4 and capitals >= 0.7 * len(cased_words)


def _after_a_name(ws: tuple[Word, ...], looks: list[Lookup | None], index: int) -> bool:
    """Whether the word at `index` follows a listed name, or a placeholder (when a redacted text is checked)."""
    if ws[index].gap.rstrip(" \t\u00a0").endswith("]"):
        return True
    look = looks[index - 1] if index > 0 else None
    return look is not None and look.kind is not Kind.WORD


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
