"""The anonymiser's word lists, read from `content/anonymise/`: one file per language, one name list per community.

A language is added by adding `languages/<code>.yml` (its cue words, street words, month names ...) and a community
by adding `names/<community>.txt`; no code changes. Every rule applies to every message, whatever language it is
said to be in: women mix languages ("my położna Ania"), and the English translation of her words is redacted under
her own language's code.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from bot.anonymise.text import lookup_form, words, written_form
from bot.paths import ROOT
from bot.safety.normalize import normalize

CONTENT_DIR = ROOT / "content" / "anonymise"

# Lists of a language file, by section; each item is a word or a phrase of a few words.
_PHRASE_LISTS = {
    "person": ("honorifics", "titles", "roles", "name_is", "name_nouns", "after_name", "thanks", "conjunctions",
               "person_predicates", "places_before",
               "places_after", "stopwords", "predicates", "common_words"),
    "address": ("street_after", "street_after_strong", "street_before", "units", "number_words", "time_words"),
    "date": ("joiners", "ordinals"),
    "hospital_number": ("cues",),
    "phone": ("cues",),
}


def phrase_key(phrase: str) -> tuple[str, ...]:
    """A phrase as the tuple of its words' keys, the way it is matched against a message."""
    return tuple(w.key for w in words(phrase))


@dataclass(frozen=True)
class PhraseSet:
    """Phrases of one or more words, matched on word keys (any case, accents, letter variants)."""

    phrases: frozenset[tuple[str, ...]]
    longest: int

    @classmethod
    def of(cls, items: Iterable[str]) -> PhraseSet:
        keys = frozenset(k for k in (phrase_key(item) for item in items) if k)
        return cls(keys, max((len(k) for k in keys), default=0))

    def __contains__(self, key: object) -> bool:
        return (key,) in self.phrases if isinstance(key, str) else key in self.phrases

    def ending_before(self, keys: list[str] | tuple[str, ...], index: int) -> int:
        """Length of the longest phrase made of the words just before `index` (0 if none)."""
        for length in range(min(self.longest, index), 0, -1):
            if tuple(keys[index - length:index]) in self.phrases:
                return length
        return 0

    def starting_at(self, keys: list[str] | tuple[str, ...], index: int) -> int:
        """Length of the longest phrase made of the words from `index` on (0 if none)."""
        for length in range(min(self.longest, len(keys) - index), 0, -1):
            if tuple(keys[index:index + length]) in self.phrases:
                return length
        return 0


@dataclass(frozen=True)
class LanguageRules:
    """One language file, as read (the lists keep the author's spelling)."""

    language: str
    lists: dict[str, dict[str, tuple[str, ...]]]
    months: tuple[str, ...]
    inflections: tuple[tuple[str, str], ...] = ()  # (ending in a message, ending of the listed name)
    proclitics: tuple[str, ...] = ()  # letters written joined before a name (Arabic و, Tigrinya ን ...)
    suffixes: tuple[str, ...] = ()  # endings written joined after a name (Bengali -র, -কে ...)
    verb_endings: tuple[str, ...] = ()  # endings of verbs, never of an unlisted name after a role (Arabic -تني)

    def get(self, section: str, name: str) -> tuple[str, ...]:
        return self.lists.get(section, {}).get(name, ())


@dataclass(frozen=True)
class Resources:
    languages: dict[str, LanguageRules]
    # Every word list holds lookup forms (bot.anonymise.text.lookup_form), except `names`, which holds normalised keys
    # (any letter variant), so that a variant spelling is still recognised, as such.
    names: frozenset[str] = field(repr=False)  # every listed name, all communities
    names_exact: frozenset[str] = field(repr=False)  # listed names as written (written_form)
    ambiguous: frozenset[str] = field(repr=False)  # names that are also ordinary words ("Hope", "Grace")
    not_names: frozenset[str] = field(repr=False)  # never a name on their own (months, drugs, "Will", "May")
    stopwords: frozenset[str] = field(repr=False)  # function words of the languages served (spaCy's lists)
    # Capitalised words that are not names (places, languages, days, drugs ...): an unlisted word is never taken as a
    # name by its shape alone when it is one of these (`common_words.txt` and each language's `common_words`).
    common_words: frozenset[str] = field(default_factory=frozenset, repr=False)
    # Shapes of surnames ("o'", "mc", "-ska", "-escu" ...): a word in lower case after a title is a name if it has one.
    surname_prefixes: tuple[str, ...] = ()
    surname_suffixes: tuple[str, ...] = ()
    # Beginnings that make a word a name anywhere ("عبدالرحيم", "Abdirahman"), as normalised keys.
    # The words of doula's own texts in the 12 languages (content/, but for these lists): ordinary words, so an
    # unlisted word among them is not taken as a name after a role word ("نرس دوائی", "ডাক্তার ইংরেজিতে").
    vocabulary: frozenset[str] = field(default_factory=frozenset, repr=False)
    name_prefixes: tuple[str, ...] = ()
    name_suffixes: tuple[str, ...] = ()
    # The last letter of the listed spellings of a name ending in a yeh: "maksura" (ى), "ya" (ي) or "farsi" (ی).
    final_letters: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def union(self, section: str, name: str) -> tuple[str, ...]:
        """One list, from every language."""
        return tuple(item for rules in self.languages.values() for item in rules.get(section, name))

    def phrases(self, section: str, name: str) -> PhraseSet:
        return PhraseSet.of(self.union(section, name))

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month for rules in self.languages.values() for month in rules.months)


def shape_form(text: str) -> str:
    """A word folded for its shape: no case, no accents, one kind of apostrophe ("O’Brien" -> "o'brien")."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("’", "'").replace("ʼ", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A word as `bot.anonymise.text.words` cuts it, for reading many texts fast.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]+(?:['’ʼ\-‐][\p{L}\p{M}]+)*")


def content_vocabulary(root: Path = ROOT / "content", skip: Path = CONTENT_DIR) -> frozenset[str]:
    """The lookup forms of every word (without digits) of the texts under `root`, except those under `skip`."""
    found: set[str] = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".md", ".txt") or skip in path.parents or not path.is_file():
            continue
        found.update(_WORD.findall(path.read_text(encoding="utf-8")))
    return frozenset(lookup_form(w) for w in found if not any(ch.isdigit() for ch in w))


def read_word_list(path: Path) -> list[str]:
    """One entry per line; `#` starts a comment; blank lines are ignored."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def read_language(path: Path) -> LanguageRules:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.BaseLoader) or {}  # strings only: "no" stays "no"
    lists = {
        section: {name: tuple(str(x) for x in (data.get(section) or {}).get(name) or ()) for name in names}
        for section, names in _PHRASE_LISTS.items()
    }
    person = data.get("person") or {}
    return LanguageRules(
        language=str(data["language"]),
        lists=lists,
        months=tuple(_flat(v for k, v in (data.get("date") or {}).items() if k.endswith("months"))),
        inflections=tuple((str(a), str(b)) for a, b in person.get("inflections") or ()),
        proclitics=tuple(str(p) for p in person.get("proclitics") or ()),
        suffixes=tuple(str(s) for s in person.get("suffixes") or ()),
        verb_endings=tuple(str(s) for s in person.get("verb_endings") or ()),
    )


def _flat(lists: Iterable[object]) -> list[str]:
    """Month lists may be a list of names, or a list of lists (the names of each month)."""
    out: list[str] = []
    for item in lists:
        if isinstance(item, list):
            out.extend(_flat(item))
        elif item:
            out.append(str(item))
    return out


def spacy_stopwords(languages: Iterable[str]) -> frozenset[str]:
    """spaCy's stop words of these languages (those it has), as keys."""
    found: set[str] = set()
    for language in languages:
        try:
            module = importlib.import_module(f"spacy.lang.{language}.stop_words")
        except ImportError:
            continue
        found.update(lookup_form(word) for word in module.STOP_WORDS)
    return frozenset(found)


def romanised_markers(path: Path = ROOT / "content" / "languages.yml") -> frozenset[str]:
    """The marker words of romanised Urdu, Punjabi, Bengali, Arabizi and Finglish (`romanised` in languages.yml):
    words of her language typed in Latin letters, such as "sara" (all) or "ana" (I), are not names there."""
    try:
        with path.open(encoding="utf-8") as handle:
            markers = (yaml.safe_load(handle) or {}).get("romanised") or {}
    except (OSError, yaml.YAMLError):
        return frozenset()
    return frozenset(lookup_form(str(w)) for words in markers.values() for w in words or ())


@lru_cache(maxsize=2)
def load_resources(directory: Path = CONTENT_DIR) -> Resources:
    languages = {r.language: r for r in (read_language(p) for p in sorted((directory / "languages").glob("*.yml")))}
    listed = [name for path in sorted((directory / "names").glob("*.txt")) for name in read_word_list(path)]
    stopwords = spacy_stopwords(languages) | romanised_markers() | {
        lookup_form(w) for r in languages.values() for w in r.get("person", "stopwords")}
    ambiguous = frozenset(lookup_form(w) for w in read_word_list(directory / "ambiguous_names.txt"))
    # Never a name on its own: month names, drug names, the words of a ward ... and a listed name that is also a
    # function word of a language served ("Will", "May"), found without anyone listing it, unless the ambiguous list
    # says it is common as a name ("Ali" is Portuguese "there", and one of the commonest names of the communities).
    not_names = frozenset(lookup_form(w) for w in read_word_list(directory / "not_names.txt")) | {
        lookup_form(m) for r in languages.values() for m in r.months} | (
        ({lookup_form(n) for n in listed} & stopwords) - ambiguous)
    shapes = read_word_list(directory / "surname_shapes.txt") if (directory / "surname_shapes.txt").exists() else []
    common = read_word_list(directory / "common_words.txt") if (directory / "common_words.txt").exists() else []
    prefixes = read_word_list(directory / "name_shapes.txt") if (directory / "name_shapes.txt").exists() else []
    return Resources(
        languages=languages,
        names=frozenset(normalize(name) for name in listed),
        names_exact=frozenset(written_form(name) for name in listed),
        ambiguous=ambiguous,
        not_names=not_names,
        stopwords=stopwords,
        common_words=frozenset(lookup_form(w) for w in common) | {
            lookup_form(w) for r in languages.values() for w in r.get("person", "common_words")},
        surname_prefixes=tuple(shape_form(s[:-1]) for s in shapes if s.endswith("*")),
        surname_suffixes=tuple(shape_form(s[1:]) for s in shapes if s.startswith("*")),
        vocabulary=content_vocabulary(directory.parent, directory) if directory == CONTENT_DIR else frozenset(),
        name_prefixes=tuple(normalize(p[:-1]) for p in prefixes if p.endswith("*")),
        name_suffixes=tuple(normalize(p[1:]) for p in prefixes if p.startswith("*")),
        final_letters=_final_letters(listed),
    )


def _final_letters(listed: Iterable[str]) -> dict[str, frozenset[str]]:
    classes = {"ى": "maksura", "ي": "ya", "ی": "farsi"}
    found: dict[str, set[str]] = {}
    for name in listed:
        if name[-1:] in classes:
            found.setdefault(normalize(name), set()).add(classes[name[-1]])
    return {key: frozenset(value) for key, value in found.items()}
