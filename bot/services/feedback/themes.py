"""What feedback is about: an explainable multi-label theme classifier with sentiment, in the 12 languages.

MVP coordinators need to see what women talk about, and must be able to check why a comment was put under a theme,
so this is a lexicon, not a model: `content/feedback/themes.yml` lists the themes and, per language, the *cues* that
name each one; `content/feedback/sentiment.yml` lists, per language, the positive and negative words, the negators
and the words that end a clause. Every language's cues run on every comment (women mix languages: "staff bohat kam
hai"); the grammar of a language (negators, clause breaks) applies to its own cues and, for the language the comment
was written in, to every cue.

A cue is written as she would write it (the red-flag lexicons use the same format, see bot/safety/lexicon.py):

* ``listen*`` any word starting with "listen"; ``*েনি`` any word ending so; ``*ሰም*`` any word containing it (for
  languages that put prefixes on words, such as Tigrinya); ``rude`` exactly that word; ``rude|rudely`` alternatives;
* ``short staff*`` several words in order, with up to :data:`MAX_GAP` other words between two of them, or up to
  :data:`LONG_GAP` after ``...``; never across the end of a clause;
* ``-ignored`` / ``+listened`` a cue that says by itself that things went badly or well; a negated cue means the
  opposite ("never felt rushed"), and a negated plain cue is a complaint ("no interpreter", "nobody explained");
* case, accents, Arabic letter variants and stretched letters do not matter (bot/safety/normalize.py), and Arabic
  clitics (``وال``, ``بال`` ...) are taken off the front of a word before it is matched.

Sentiment is read per clause: each positive or negative word (flipped by a negator up to :data:`NEGATION_REACH`
words before it, or after it for the languages that negate after the verb) counts for the nearest theme cue of its
clause; a negator that negates no cue is a complaint about the nearest theme ("they did not give me the epidural");
a theme with no word of judgement takes its clause's sentiment, or else the comment's, when that is one-sided.
`positive_experience` is not a topic but the verdict on the whole comment: it is added when the comment is positive
with nothing negative in it, with the praise that showed it as its cues. docs/feedback.md ("Themes") has the rules
and the figures.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.catalog import ContentError
from bot.paths import CONTENT_DIR
from bot.safety.normalize import BREAKS, normalize, tokens

MAX_GAP = 2
LONG_GAP = 6
NEGATION_REACH = 3
SENTIMENTS = ("positive", "negative", "mixed", "neutral")
POSITIVE_EXPERIENCE = "positive_experience"
NEGATED = "¬"  # marks, in ThemeMatch.cues, a cue that was negated ("¬listen*": "nobody listened")
MIN_STEM = 2  # what must be left of a word once a clitic or a negation affix is taken off


# -- results ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThemeMatch:
    """One theme of a comment: what she said about it, and the cues that showed it (theme cues first, then the
    sentiment words counted for it; a negated one is prefixed with :data:`NEGATED`)."""

    theme: str
    sentiment: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    themes: tuple[ThemeMatch, ...]
    sentiment: str  # of the whole comment: positive | negative | mixed | neutral

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(m.theme for m in self.themes)

    def get(self, theme: str) -> ThemeMatch | None:
        return next((m for m in self.themes if m.theme == theme), None)


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str


# -- cues ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Alternative:
    """One way of writing one word of a cue: the word exactly, or a prefix, suffix or part of it."""

    kind: str  # exact | prefix | suffix | infix
    text: str

    @classmethod
    def parse(cls, raw: str) -> Alternative:
        word = normalize(raw.strip())
        core = word.strip("*")
        if not core or not all(unicodedata.category(ch)[0] in "LMN" for ch in core):
            raise ValueError(f"{raw!r} is not one word (write 'post natal', not 'post-natal')")
        head, tail = word.startswith("*"), word.endswith("*")
        kind = "infix" if head and tail else "suffix" if head else "prefix" if tail else "exact"
        return cls(kind, core)

    def matches(self, token: str) -> bool:
        if self.kind == "exact":
            return token == self.text
        if self.kind == "prefix":
            return token.startswith(self.text)
        if self.kind == "suffix":
            return token.endswith(self.text) and len(token) > len(self.text)
        return self.text in token

    def __str__(self) -> str:
        return {"exact": "{}", "prefix": "{}*", "suffix": "*{}", "infix": "*{}*"}[self.kind].format(self.text)


Slot = frozenset  # of Alternative: one word position of a cue


def parse_slot(text: str) -> frozenset[Alternative]:
    return frozenset(Alternative.parse(a) for a in text.split("|"))


@dataclass(frozen=True)
class Cue:
    text: str  # as written in the content, for explanations
    language: str
    slots: tuple[frozenset[Alternative], ...]
    gaps: tuple[int, ...]  # gaps[i]: how many other words may come before slots[i] (gaps[0] unused)
    polarity: int = 0  # +1 / -1 for a cue that says by itself how things went

    @classmethod
    def parse(cls, raw: str, language: str) -> Cue:
        text = str(raw).strip()
        polarity = {"+": 1, "-": -1}.get(text[:1], 0)
        body = text[1:].strip() if polarity else text
        slots, gaps, gap = [], [], MAX_GAP
        for part in body.split():
            if part == "...":
                gap = LONG_GAP
                continue
            slots.append(parse_slot(part))
            gaps.append(gap)
            gap = MAX_GAP
        if not slots:
            raise ValueError(f"empty cue {raw!r}")
        return cls(body, language, tuple(slots), tuple(gaps), polarity)


@dataclass(frozen=True)
class Grammar:
    """The words of one language that change how cues are read."""

    negation_before: frozenset[Alternative] = frozenset()
    negation_after: frozenset[Alternative] = frozenset()
    clause_breaks: frozenset[str] = frozenset()
    clitics: tuple[str, ...] = ()  # prefixes taken off a word before matching (Arabic: و, ال, بال ...)

    @property
    def affixes(self) -> tuple[Alternative, ...]:
        """Negators that are part of the negated word (Bengali "শোনেনি", Tigrinya "ኣይሰምዑን")."""
        return tuple(a for a in self.negation_before | self.negation_after if a.kind in ("prefix", "suffix"))


@dataclass(frozen=True)
class _Hit:
    """A cue found in a clause. kind: a theme id, or "" for a sentiment word."""

    kind: str
    cue: Cue
    positions: tuple[int, ...]
    languages: frozenset[str]
    negated: bool = False

    @property
    def label(self) -> str:
        return (NEGATED if self.negated else "") + self.cue.text

    @property
    def contribution(self) -> int:
        """What the hit says about how things went: its polarity, flipped when negated; a negated plain theme cue
        ("no interpreter") is a complaint."""
        if self.cue.polarity:
            return -self.cue.polarity if self.negated else self.cue.polarity
        return -1 if self.negated else 0


# -- the classifier --------------------------------------------------------------------------------------------------
class ThemeClassifier:
    """Built once from the content (:func:`theme_classifier`); :meth:`classify` is pure."""

    def __init__(self, themes: Iterable[Theme], theme_cues: dict[str, list[Cue]], sentiment_cues: list[Cue],
                 grammar: dict[str, Grammar]) -> None:
        self.themes = {t.id: t for t in themes}
        self.grammar = grammar
        self.languages = tuple(grammar)
        self._cues: list[tuple[str, Cue]] = [(theme, c) for theme, cs in theme_cues.items() for c in cs]
        self._cues += [("", c) for c in sentiment_cues]
        exact: dict[str, set[Alternative]] = defaultdict(set)
        prefixes: dict[str, set[Alternative]] = defaultdict(set)
        suffixes: dict[str, set[Alternative]] = defaultdict(set)
        infixes: set[Alternative] = set()
        self._by_first: dict[Alternative, list[tuple[str, Cue]]] = defaultdict(list)
        for kind, cue in self._cues:
            for slot in cue.slots:
                for alternative in slot:
                    if alternative.kind == "exact":
                        exact[alternative.text].add(alternative)
                    elif alternative.kind == "prefix":
                        prefixes[alternative.text].add(alternative)
                    elif alternative.kind == "suffix":
                        suffixes[alternative.text].add(alternative)
                    else:
                        infixes.add(alternative)
            for alternative in cue.slots[0]:
                self._by_first[alternative].append((kind, cue))
        self._exact, self._prefixes, self._suffixes, self._infixes = exact, prefixes, suffixes, tuple(infixes)
        self._clitics = tuple(sorted({c for g in grammar.values() for c in g.clitics}, key=len, reverse=True))
        self._matches = lru_cache(maxsize=65536)(self._alternatives)

    # -- matching words --------------------------------------------------------------------------------------------
    def _variants(self, token: str) -> tuple[str, ...]:
        """The word, and the word without each clitic it starts with ("والمترجم" -> "مترجم")."""
        found = [token]
        for clitic in self._clitics:
            if token.startswith(clitic) and len(token) - len(clitic) >= MIN_STEM:
                found.append(token[len(clitic):])
        return tuple(found)

    def _alternatives(self, token: str) -> frozenset[Alternative]:
        """Every cue alternative that matches `token` (or a variant of it without a clitic)."""
        found: set[Alternative] = set()
        for word in self._variants(token):
            found |= self._exact.get(word, set())
            for end in range(1, len(word) + 1):
                found |= self._prefixes.get(word[:end], set())
            for start in range(1, len(word)):
                found |= self._suffixes.get(word[start:], set())
            found.update(a for a in self._infixes if a.text in word)
        return frozenset(found)

    @staticmethod
    def _match_from(cue: Cue, index: int, start: int, words: list[frozenset]) -> list[int] | None:
        if index == len(cue.slots):
            return []
        for position in range(start, min(start + cue.gaps[index] + 1, len(words))):
            if not cue.slots[index].isdisjoint(words[position]):
                rest = ThemeClassifier._match_from(cue, index + 1, position + 1, words)
                if rest is not None:
                    return [position] + rest
        return None

    def _find(self, clause: list[str]) -> list[_Hit]:
        """Every cue found in `clause` (a list of words), the longest first where two of a kind overlap."""
        words = [self._matches(w) for w in clause]
        candidates: dict[int, tuple[str, Cue]] = {}
        for matched in words:
            for alternative in matched:
                for kind, cue in self._by_first.get(alternative, ()):
                    candidates[id(cue)] = (kind, cue)
        found: dict[tuple[str, str, tuple[int, ...], int], set[str]] = defaultdict(set)
        cues: dict[tuple[str, str, tuple[int, ...], int], Cue] = {}
        for kind, cue in candidates.values():
            for start, matched in enumerate(words):
                if cue.slots[0].isdisjoint(matched):
                    continue
                rest = self._match_from(cue, 1, start + 1, words)
                if rest is not None:
                    key = (kind, cue.text, (start, *rest), cue.polarity)
                    found[key].add(cue.language)
                    cues.setdefault(key, cue)
        hits = [_Hit(key[0], cues[key], key[2], frozenset(languages)) for key, languages in found.items()]
        hits.sort(key=lambda h: (-len(h.positions), h.positions[0], h.cue.text))
        kept: list[_Hit] = []
        for hit in hits:
            # "couldn't have asked for better" is one cue, not also "better" negated; one cue per theme per word.
            if any(k.kind == hit.kind and set(k.positions) & set(hit.positions) for k in kept):
                continue
            kept.append(hit)
        return kept

    # -- negation ----------------------------------------------------------------------------------------------------
    def _grammars(self, languages: Iterable[str], language: str | None) -> list[Grammar]:
        """A negator counts for the cues of its own language, and, for the comment's language, for every cue. When
        the comment's language is not known, every language's negators count."""
        if language not in self.grammar:
            return list(self.grammar.values())
        return [self.grammar[lang] for lang in sorted({language, *languages}) if lang in self.grammar]

    @staticmethod
    def _negators(clause: list[str], grammars: list[Grammar]) -> dict[int, tuple[frozenset[str], Alternative]]:
        """Position -> (the sides it negates: "before" and/or "after" its cue, the negator) for every negator word of
        `clause` (Urdu "nahi" is both: "nahi suni", "acha nahi")."""
        found: dict[int, tuple[frozenset[str], Alternative]] = {}
        for position, word in enumerate(clause):
            sides, first = set(), None
            for grammar in grammars:
                for side in ("before", "after"):
                    negator = _negator(word, getattr(grammar, f"negation_{side}"))
                    if negator is not None:
                        sides.add(side)
                        first = first or negator
            if first is not None:
                found[position] = (frozenset(sides), first)
        return found

    def _negation(self, hit: _Hit, hits: list[_Hit], clause: list[str], language: str | None) -> set[int]:
        """The positions of the negators that negate `hit` (empty: not negated).

        A negator up to :data:`NEGATION_REACH` words before the cue negates it, unless another cue comes between
        them ("nie słuchał i zbagatelizował": only "słuchał" is negated); a negator of the "after" kind likewise
        after it. One inside the gaps of a cue negates it too ("staff bilkul kam nahi"), except in a cue that has a
        polarity of its own or a negator among its words: its author wrote it with the negation in mind. A negation
        affix may be part of the cue's word itself ("শোনেনি", "ኣይሰምዑን")."""
        grammars = self._grammars(hit.languages, language)
        negators = self._negators(clause, grammars)
        span = set(hit.positions)
        start, end = hit.positions[0], hit.positions[-1]
        others = [h for h in hits if h is not hit and not span & set(h.positions)]
        used: set[int] = set()
        for position in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
            if "before" in negators.get(position, ((),))[0]:
                if not any(position < h.positions[0] < start for h in others):
                    used.add(position)
                break
        for position in range(end + 1, min(len(clause), end + 1 + NEGATION_REACH)):
            if "after" in negators.get(position, ((),))[0]:
                if not any(end < h.positions[-1] < position for h in others):
                    used.add(position)
                break
        stated = hit.cue.polarity or any(p in negators for p in hit.positions)
        if not stated:
            used |= {p for p in range(start, end + 1) if p in negators and p not in span}
        affixes = [a for g in grammars for a in g.affixes]
        for position, slot in zip(hit.positions, hit.cue.slots, strict=True):
            word = clause[position]
            for affix in affixes:
                if not affix.matches(word) or len(word) - len(affix.text) < MIN_STEM:
                    continue
                rest = word[len(affix.text):] if affix.kind == "prefix" else word[:-len(affix.text)]
                if any(a.matches(v) for a in slot for v in self._variants(rest)):
                    used.add(position)
        return used

    # -- clauses -----------------------------------------------------------------------------------------------------
    def _clauses(self, text: str, language: str | None) -> list[list[str]]:
        if language in self.grammar:
            breaks = self.grammar[language].clause_breaks | self.grammar.get("en", Grammar()).clause_breaks
        else:
            breaks = frozenset().union(*(g.clause_breaks for g in self.grammar.values()))
        clauses: list[list[str]] = [[]]
        for word in tokens(text):
            if word in BREAKS or word in breaks or any(v in breaks for v in self._variants(word)[1:]):
                if clauses[-1]:
                    clauses.append([])
            else:
                clauses[-1].append(word)
        return [c for c in clauses if c]

    def _read_clause(self, clause: list[str], language: str | None) -> _Reading:
        hits = self._find(clause)
        negations = [self._negation(h, hits, clause, language) for h in hits]
        hits = [_Hit(h.kind, h.cue, h.positions, h.languages, bool(n)) for h, n in zip(hits, negations, strict=True)]
        topics = [h for h in hits if h.kind and h.kind != POSITIVE_EXPERIENCE]
        # Each word counts once towards sentiment: a sentiment word before a theme cue on the same word.
        counted: set[int] = set()
        contributions: list[_Hit] = []
        for hit in sorted(hits, key=lambda h: (h.kind not in ("", POSITIVE_EXPERIENCE), h.positions[0])):
            if hit.contribution and not counted & set(hit.positions):
                counted |= set(hit.positions)
                contributions.append(hit)
        if topics:
            # A negator that negates no cue is a complaint about the theme nearest to it ("they did not give me the
            # epidural", "ولم يعطوني"). Only where a theme is named: "nothing to add" is not a complaint.
            used = set().union(*negations) | {p for h in hits for p in h.positions}
            languages = {lang for h in hits for lang in h.languages}
            for position, (_, negator) in self._negators(clause, self._grammars(languages, language)).items():
                if position not in used:
                    cue = Cue(str(negator), language or "", (frozenset({negator}),), (0,), -1)
                    contributions.append(_Hit("", cue, (position,), frozenset()))
        return _Reading(topics, contributions)

    # -- the whole comment -------------------------------------------------------------------------------------------
    def classify(self, text: str, language: str | None = None) -> Classification:
        """The themes of `text` (already anonymised), each with its sentiment and cues, and the overall sentiment.
        `language`: the comment's language, if known (its negators and clause breaks then apply to every cue)."""
        per_theme: dict[str, list[str]] = defaultdict(list)  # theme -> its sentiment in each clause that names it
        explained: dict[str, list[str]] = defaultdict(list)
        signs: list[int] = []
        praise: list[str] = []
        for clause in self._clauses(text, language):
            reading = self._read_clause(clause, language)
            signs += [h.contribution for h in reading.contributions]
            praise += [h.label for h in reading.contributions if h.contribution > 0]
            scores: dict[str, list[int]] = {}
            for topic in reading.topics:
                scores.setdefault(topic.kind, [])
                _explain(explained[topic.kind], topic.label)
            for contribution in reading.contributions:
                for topic in _nearest(contribution, reading.topics):
                    scores[topic.kind].append(contribution.contribution)
                    _explain(explained[topic.kind], contribution.label)
            # A theme with no word of judgement near it takes its clause's, when the clause is one-sided ("discharge
            # took all day": the delay is a staffing cue, and says how discharge went).
            clause_verdict = _verdict([h.contribution for h in reading.contributions])
            for theme, values in scores.items():
                verdict = _verdict(values)
                per_theme[theme].append(clause_verdict if verdict == "neutral" and clause_verdict != "mixed"
                                        else verdict)
        overall = _verdict(signs)
        matches = []
        for theme in self.themes:
            if theme in per_theme:
                sentiment = _combine(per_theme[theme])
                # Named without a word of judgement ("my husband was sent home ..."): what the comment says as a whole.
                if sentiment == "neutral" and overall in ("positive", "negative"):
                    sentiment = overall
                matches.append(ThemeMatch(theme, sentiment, tuple(explained[theme])))
        if overall == "positive" and POSITIVE_EXPERIENCE in self.themes:
            matches.append(ThemeMatch(POSITIVE_EXPERIENCE, "positive", tuple(dict.fromkeys(praise))))
        return Classification(tuple(matches), overall)


@dataclass(frozen=True)
class _Reading:
    """One clause: the theme cues in it, and what each word of judgement in it contributes."""

    topics: list[_Hit]
    contributions: list[_Hit]


def _explain(cues: list[str], label: str) -> None:
    if label not in cues:
        cues.append(label)


def _negator(word: str, negators: frozenset[Alternative]) -> Alternative | None:
    return next((a for a in sorted(negators, key=str) if a.matches(word)), None)


def _nearest(contribution: _Hit, topics: list[_Hit]) -> list[_Hit]:
    """The theme cues of the clause closest to a sentiment word (all of them at the same distance)."""
    if not topics:
        return []

    def distance(topic: _Hit) -> int:
        if set(topic.positions) & set(contribution.positions):
            return 0
        return min(abs(a - b) for a in topic.positions for b in contribution.positions)

    best = min(distance(t) for t in topics)
    # One word can be the cue of two themes ("wait ... postnatal checks"): each gets the words nearest to it.
    return [t for t in topics if distance(t) == best]


def _verdict(values: list[int]) -> str:
    positive, negative = any(v > 0 for v in values), any(v < 0 for v in values)
    if positive and negative:
        return "mixed"
    return "positive" if positive else "negative" if negative else "neutral"


def _combine(verdicts: list[str]) -> str:
    found = set(verdicts) - {"neutral"}
    if not found:
        return "neutral"
    return found.pop() if len(found) == 1 else "mixed"


# -- loading ---------------------------------------------------------------------------------------------------------
def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            # Every value is a string: with YAML 1.1 booleans, the English negator "no" would load as False.
            data = yaml.load(handle, Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


@dataclass
class ThemeContent:
    """`content/feedback/themes.yml` and `sentiment.yml`, parsed."""

    themes: list[Theme]
    theme_cues: dict[str, list[Cue]]
    sentiment_cues: list[Cue]
    grammar: dict[str, Grammar]
    languages: tuple[str, ...] = ()


def read_theme_content(content_dir: Path = CONTENT_DIR) -> ThemeContent:
    folder = Path(content_dir) / "feedback"
    taxonomy, sentiment = _read(folder / "themes.yml"), _read(folder / "sentiment.yml")
    languages = tuple((sentiment.get("languages") or {}).keys())
    grammar: dict[str, Grammar] = {}
    sentiment_cues: list[Cue] = []
    try:
        for language, data in (sentiment.get("languages") or {}).items():
            negation = data.get("negation") or {}
            grammar[language] = Grammar(
                negation_before=_negators(negation.get("before")),
                negation_after=_negators(negation.get("after")),
                clause_breaks=frozenset(_word(w) for w in data.get("clause_breaks") or ()),
                clitics=tuple(normalize(w) for w in data.get("clitics") or ()),
            )
            for polarity, sign in (("positive", "+"), ("negative", "-")):
                for word in data.get(polarity) or ():
                    try:
                        sentiment_cues.append(Cue.parse(sign + str(word).lstrip("+-"), language))
                    except ValueError as exc:
                        raise ValueError(f"sentiment.yml, {language}, {polarity}: {exc}") from exc
        themes, theme_cues = [], {}
        for theme_id, data in (taxonomy.get("themes") or {}).items():
            themes.append(Theme(theme_id, str(data["label"]), " ".join(str(data["description"]).split())))
            cues = []
            for language, patterns in (data.get("cues") or {}).items():
                if language not in grammar:
                    raise ValueError(f"{theme_id}: language {language!r} is not in sentiment.yml")
                for pattern in patterns or ():
                    # Praise is positive by nature: "thank you" says how things went.
                    praise = theme_id == POSITIVE_EXPERIENCE and str(pattern)[:1] not in "+-"
                    try:
                        cues.append(Cue.parse("+" + str(pattern) if praise else str(pattern), language))
                    except ValueError as exc:
                        raise ValueError(f"themes.yml, {theme_id}, {language}: {exc}") from exc
            theme_cues[theme_id] = cues
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ContentError(f"{folder}: {exc}") from exc
    return ThemeContent(themes, theme_cues, sentiment_cues, grammar, languages)


def _word(text: str) -> str:
    words = tokens(str(text))
    if len(words) != 1:
        raise ValueError(f"{text!r} is not one word")
    return words[0]


def _negators(words: Iterable[str] | None) -> frozenset[Alternative]:
    negators = frozenset(Alternative.parse(str(w)) for w in words or ())
    if any(n.kind == "infix" for n in negators):
        raise ValueError("a negator is a word, its beginning (nie*) or its end (*নি), never a part of it")
    return negators


def build_classifier(content: ThemeContent) -> ThemeClassifier:
    return ThemeClassifier(content.themes, content.theme_cues, content.sentiment_cues, content.grammar)


@lru_cache(maxsize=2)
def theme_classifier(content_dir: Path = CONTENT_DIR) -> ThemeClassifier:
    """The classifier for `content_dir`, built once per process."""
    return build_classifier(read_theme_content(content_dir))

