"""The deterministic red-flag detector: every language's lexicon, on every message.

All lexicons run on every message, whatever language was detected or chosen: detection can be wrong on a short
panicked message, and women mix languages ("baby move nahi kar raha"). A hit counts unless it is negated ("no
bleeding"), for weak triggers only, inside an information question ("what is the bleeding risk of ..."), or its
sentence is not about her now (context: "my sister had pre-eclampsia", "I had a bleed at 8 weeks but it stopped").
Missing an alarm is worse than a false one, so when in doubt the lexicons say "alarm".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.safety.lexicon import NEGATION_REACH, Lexicon, Pattern, Slot, Trigger
from bot.safety.normalize import BREAK, BREAKS, fuzzy_script, normalize, tokens

# Categories where a past episode or someone else's still calls for the urgent answer ("he hit me last week", "I
# tried to end my life last year", "my wife had a fit", "my waters broke a week ago": infection): context never rules
# their hits out.
ALWAYS_CURRENT = frozenset(
    {"mental_health_crisis", "domestic_abuse", "breathing_or_seizure", "waters_early_or_coloured"}
)
# Any bleeding in pregnancy or after birth is to be checked (NHS: call your midwife or maternity unit), even if it
# was last week: only another part of the body ("my gums bleed") or a question for later rules it out.
PAST_STILL_COUNTS = frozenset({"bleeding"})
# Categories whose *weak* hits (a bare "headache", "pain", "itchy", "unwell") a slight degree rules out: "my back
# aches a bit", "a mild headache". Bleeding of any amount, fewer movements and the always-current categories never.
MILD_RULES_OUT = frozenset({"abdominal_pain", "preeclampsia_signs", "itching", "fever_infection"})
# Categories whose *weak* hits a vaccine named in the same clause rules out: the reactions she asks about ("does the RSV
# vaccine cause a temperature?", "sore arm after the jab"). Strong hits ("fever of 39 since the jab") still alarm.
VACCINE_RULES_OUT = frozenset({"abdominal_pain", "preeclampsia_signs", "itching", "fever_infection"})
# Categories a hypothetical ("what should I do if I start bleeding?") never rules out: "if he hits me again what do I
# do", "if I can't breathe who do I call" are said by women it is happening to.
NEVER_HYPOTHETICAL = ALWAYS_CURRENT - {"waters_early_or_coloured"}
# A blood pressure reading ("BP 160/110", "158 / 105"): systolic / diastolic, both of two or three digits and not
# part of a date or a longer number ("12/10/2026").
_BLOOD_PRESSURE = re.compile(r"(?<![\d/.])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])")
BLOOD_PRESSURE_CATEGORY = "preeclampsia_signs"


_ContextMatch = tuple[list[int], Lexicon]  # token positions of a context pattern, and the lexicon it belongs to


def high_blood_pressure(text: str) -> bool:
    """Whether `text` (normalised: any script's digits are ASCII) holds a high blood pressure reading: systolic 140 or
    more or diastolic 90 or more (NICE: hypertension in pregnancy), the diastolic being the smaller number."""
    for match in _BLOOD_PRESSURE.finditer(text):
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        if 40 <= diastolic < systolic <= 260 and (systolic >= 140 or diastolic >= 90):
            return True
    return False


@dataclass(frozen=True)
class Hit:
    """One trigger found in a message."""

    language: str  # the lexicon that matched
    category: str
    strength: str
    pattern: str
    negated: bool = False
    informational: bool = False  # a weak trigger inside an information question
    reported: bool = False  # in a sentence about the past, someone else, another body part, or asking for later
    span: tuple[int, ...] = ()  # token positions of the matched words

    @property
    def counts(self) -> bool:
        return not self.negated and not self.informational and not self.reported


@dataclass(frozen=True)
class Finding:
    """What the detector saw: the categories that count (most urgent first) and every hit, for explanations."""

    categories: tuple[str, ...]
    hits: tuple[Hit, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.categories)

    @property
    def primary(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def vetoed(self) -> frozenset[str]:
        """Categories the lexicons recognised and ruled out (negated or informational), e.g. for the model signal."""
        return frozenset(h.category for h in self.hits if not h.counts) - set(self.categories)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


def _same_first_letter(token: str, word: str) -> bool:
    """A typo is forgiven only after a correct first letter in Latin and Cyrillic words: misspellings rarely start
    wrong, but names and other real words one letter away often do ("Leeds" is not "bleeds", "every" not "fever").
    Arabic-script words keep the rule off: a first-letter "typo" there is often a prefix (و, ب, ال)."""
    if token[:1] == word[:1]:
        return True
    return not unicodedata.name(token[0], "").startswith(("LATIN", "CYRILLIC"))


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1, or one transposition of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class _Vocabulary:
    """Maps a message token to the lexicon words it matches (exactly, as a prefix, or with one typo)."""

    def __init__(
        self,
        slots: Iterable[Slot],
        not_typos: frozenset[str] = frozenset(),
        false_friends: frozenset[str] = frozenset(),
    ) -> None:
        self.not_typos = not_typos  # real words never read as a typo of a trigger word
        # Another language's everyday words ("puchna", to ask): matched only where a slot spells them out in full.
        self.false_friends = frozenset(w for w in false_friends if not w.endswith("*"))
        self.false_friend_stems = tuple(sorted(w[:-1] for w in false_friends if w.endswith("*") and len(w) > 1))
        self.exact: set[str] = set()
        self.strict: set[str] = set()
        self.prefixes: set[str] = set()
        self._fuzzy_exact: dict[str, set[str]] = defaultdict(set)
        self._fuzzy_prefix: dict[str, set[str]] = defaultdict(set)
        for slot in slots:
            self.exact |= slot.exact
            self.strict |= slot.strict
            self.prefixes |= set(slot.prefixes)
        for word in self.exact:
            if fuzzy_script(word):
                for variant in _deletions(word):
                    self._fuzzy_exact[variant].add(word)
        for prefix in self.prefixes:
            if fuzzy_script(prefix):
                for variant in _deletions(prefix):
                    self._fuzzy_prefix[variant].add(prefix)
        self.keys = lru_cache(maxsize=65536)(self._keys)

    def _keys(self, token: str) -> frozenset[str]:
        """Keys of the lexicon words `token` matches: "=word" for exact words, "stem*" for prefixes, "!word" for
        strict words."""
        keys = set()
        if token in self.exact:
            keys.add("=" + token)
        if token in self.strict:
            keys.add("!" + token)
        if token in self.false_friends or token.startswith(self.false_friend_stems):
            return frozenset(keys)  # no stem and no typo reads another language's word as a trigger
        for length in range(1, len(token) + 1):
            if token[:length] in self.prefixes:
                keys.add(token[:length] + "*")
        if fuzzy_script(token) and token not in self.not_typos:
            for variant in _deletions(token):
                keys.update(
                    "=" + w for w in self._fuzzy_exact.get(variant, ())
                    if _same_first_letter(token, w) and _within_one_edit(token, w)
                )
            for length in range(4, len(token) + 1):
                head = token[:length]
                for variant in _deletions(head):
                    for prefix in self._fuzzy_prefix.get(variant, ()):
                        if _same_first_letter(head, prefix) and _within_one_edit(head, prefix):
                            keys.add(prefix + "*")
        return frozenset(keys)


def _slot_keys(slot: Slot) -> frozenset[str]:
    return frozenset({"=" + w for w in slot.exact} | {p + "*" for p in slot.prefixes} | {"!" + w for w in slot.strict})


class RedFlagDetector:
    """Build once from the lexicons (see :func:`bot.safety.catalog.load_safety`); :meth:`detect` is pure."""

    def __init__(self, lexicons: Iterable[Lexicon], categories: tuple[str, ...]) -> None:
        self.lexicons = list(lexicons)
        self.categories = categories  # most urgent first
        slots: list[Slot] = []
        for lexicon in self.lexicons:
            for trigger in lexicon.triggers:
                slots += trigger.pattern.slots
            for frame in lexicon.question_frames:
                slots += frame.slots
            for phrase in lexicon.not_symptoms:
                slots += phrase.slots
            for patterns in lexicon.context.values():
                for pattern in patterns:
                    slots += pattern.slots
            slots += lexicon.negation_before + lexicon.negation_after
            for phrase in lexicon.not_negations:
                slots += phrase.slots
        self._vocabulary = _Vocabulary(
            slots,
            frozenset().union(*(lx.not_typos for lx in self.lexicons)),
            frozenset().union(*(lx.false_friends for lx in self.lexicons)),
        )
        self._not_symptoms = [phrase for lexicon in self.lexicons for phrase in lexicon.not_symptoms]
        self._not_negations = [phrase for lexicon in self.lexicons for phrase in lexicon.not_negations]
        self._context_patterns = [
            (pattern.slots[0], kind, pattern, lexicon)
            for lexicon in self.lexicons for kind, patterns in lexicon.context.items() for pattern in patterns
        ]
        self._slot_keys = {slot: _slot_keys(slot) for slot in slots}
        # First slot key -> (lexicon, trigger): only triggers whose first word occurs are tried.
        self._by_first: dict[str, list[tuple[Lexicon, Trigger]]] = defaultdict(list)
        for lexicon in self.lexicons:
            for trigger in lexicon.triggers:
                for key in self._slot_keys[trigger.pattern.slots[0]]:
                    self._by_first[key].append((lexicon, trigger))

    # -- matching ----------------------------------------------------------------------------------------------------
    def _slot_matches(self, slot: Slot, keys: frozenset[str], token: str | None = None) -> bool:
        """Whether a token matches `slot`: by its vocabulary `keys` (typos forgiven), or, when `token` is given,
        exactly or by prefix only (for negation cues and question frames, where a typo match does harm)."""
        if token is not None:
            return self._cue(slot, token)
        return not self._slot_keys[slot].isdisjoint(keys)

    def _match_from(
        self, pattern: Pattern, index: int, start: int, toks: list[str], keys: list[frozenset], exact: bool = False
    ) -> list[int] | None:
        """Positions of pattern.slots[index:] matched from `start` on (each within its gap), or None."""
        if index == len(pattern.slots):
            return []
        for position in range(start, min(start + pattern.gaps[index] + 1, len(toks))):
            if toks[position] in BREAKS:
                return None
            if self._slot_matches(pattern.slots[index], keys[position], toks[position] if exact else None):
                rest = self._match_from(pattern, index + 1, position + 1, toks, keys, exact)
                if rest is not None:
                    return [position] + rest
        return None

    def _find(
        self, pattern: Pattern, toks: list[str], keys: list[frozenset], exact: bool = False
    ) -> list[list[int]]:
        """Every match of `pattern`, as the positions of its slots (`exact`: no typo tolerance)."""
        matches = []
        for position, token in enumerate(toks):
            if token not in BREAKS and self._slot_matches(pattern.slots[0], keys[position], token if exact else None):
                rest = self._match_from(pattern, 1, position + 1, toks, keys, exact)
                if rest is not None:
                    matches.append([position] + rest)
        return matches

    @staticmethod
    def _cue(cue: Slot, token: str) -> bool:
        """Negation cues match exactly (or as a prefix), never with a typo: a wrong negation loses an alarm."""
        return token in cue.exact or token in cue.strict or any(token.startswith(p) for p in cue.prefixes)

    def _is_cue(self, lexicon: Lexicon, position: int, toks: list[str]) -> bool:
        return any(self._cue(cue, toks[position]) for cue in lexicon.negation_before + lexicon.negation_after)

    def _reach(self, positions: Iterable[int], toks: list[str], lexicon: Lexicon, after: bool = False) -> Iterable[int]:
        """The positions a negation cue may sit at: :data:`NEGATION_REACH` words, within the clause. Clitics the
        lexicon lists (``negation.skip``: Romanian "nu mi s-a rupt apa") do not use up the reach. Looking forward
        (``after``), a word joining a list (``negation.joins``: Ukrainian "кровотечі й болю немає", no bleeding and
        no pain) is crossed when the next word is not the cue itself ("кровотеча і немає сил" stays a bleed)."""
        words = 0
        for position in positions:
            token = toks[position]
            if token in BREAKS or words == NEGATION_REACH:
                return
            if token in lexicon.clause_breaks:
                following = toks[position + 1] if position + 1 < len(toks) else BREAK
                if not (after and token in lexicon.negation_joins and following not in BREAKS
                        and not any(self._cue(cue, following) for cue in lexicon.negation_after)):
                    return
                continue
            yield position
            if token not in lexicon.negation_skip:
                words += 1

    def _negated(self, lexicon: Lexicon, slots: list[int], toks: list[str]) -> bool:
        """A negation cue shortly before the match, shortly after it, or in a gap inside it ("khoon nahi aa")."""
        start, end = slots[0], slots[-1] + 1
        for position in self._reach(range(start - 1, -1, -1), toks, lexicon):
            if any(self._cue(cue, toks[position]) for cue in lexicon.negation_before):
                return True
        for position in self._reach(range(end, len(toks)), toks, lexicon, after=True):
            if any(self._cue(cue, toks[position]) for cue in lexicon.negation_after):
                return True
        if any(self._is_cue(lexicon, p, toks) for p in slots):
            return False  # the pattern states the negation itself ("nu simt nicio miscare"): negative concord
        matched = set(slots)
        return any(self._is_cue(lexicon, p, toks) for p in range(start, end) if p not in matched)

    @staticmethod
    def _sentence(position: int, toks: list[str]) -> tuple[int, int]:
        start = position
        while start > 0 and toks[start - 1] != BREAK:
            start -= 1
        end = position
        while end < len(toks) and toks[end] != BREAK:
            end += 1
        return start, end

    def _contexts(self, toks: list[str], keys: list[frozenset]) -> dict[str, list[_ContextMatch]]:
        """Every lexicon's context patterns found in the message, by kind (exact words: no typo tolerance), each with
        the lexicon it comes from."""
        found: dict[str, list[_ContextMatch]] = defaultdict(list)
        words = set(toks)
        for first, kind, pattern, lexicon in self._context_patterns:
            if words.isdisjoint(first.exact | first.strict) and not any(
                t.startswith(first.prefixes) for t in words
            ):
                continue  # cheap test first: most patterns' first word is not in the message
            found[kind] += [(match, lexicon) for match in self._find(pattern, toks, keys, exact=True)]
        return found

    def _near_negation(self, match: list[int], toks: list[str]) -> bool:
        """A negation cue of any lexicon next to a context match: "it has not stopped", "ruk nahi gaya"."""
        window = range(max(0, match[0] - 2), min(len(toks), match[-1] + 3))
        return any(
            toks[p] not in BREAKS and p not in match and self._is_cue(lexicon, p, toks)
            for p in window for lexicon in self.lexicons
        )

    def _reported(
        self, lexicon: Lexicon, slots: list[int], toks: list[str], contexts: dict[str, list[_ContextMatch]], weak: bool,
        category: str = "",
    ) -> bool:
        """Whether a hit is not about a symptom she has now: in the past or someone else's (not for bleeding), of
        another part of the body, or she asks for later. A message saying it is back or still there ("again",
        "still") keeps every hit: when in doubt, alarm."""
        if contexts.get("ongoing"):
            return False
        if contexts.get("asking"):
            return True
        spans: dict[str, tuple[int, int]] = {}

        def same_clause(match: list[int], context_lexicon: Lexicon) -> bool:
            # The clause as either language sees it: a Polish word matching a Romanian sentence ("sora mea a avut
            # preeclampsie") must not lose the Romanian context because "a" ends a clause in Polish.
            for lx in (lexicon, context_lexicon):
                if lx.language not in spans:
                    spans[lx.language] = self._context_clause(slots[0], toks, lx)
                if spans[lx.language][0] <= match[0] < spans[lx.language][1]:
                    return True
            return False

        if weak and category in MILD_RULES_OUT and any(same_clause(m, lx) for m, lx in contexts.get("mild", ())):
            return True
        if weak and category in VACCINE_RULES_OUT and any(same_clause(m, lx) for m, lx in contexts.get("vaccine", ())):
            return True
        # "My ankles swelled last week and now my vision is blurry": the past is only that of its own clause.
        # ``resolved`` ("it stopped") is recognised but rules nothing out (hazard H20): bleeding, pain or a fever that
        # has settled still needs a midwife's call, and so does bleeding "last week" (even if the message seems to be
        # about someone else: "my sister had" may be what she says when she means herself).
        kinds = ("elsewhere",) if category in PAST_STILL_COUNTS else ("elsewhere", "reported")
        return any(same_clause(m, lx) for kind in kinds for m, lx in contexts.get(kind, ()))

    @staticmethod
    def _plea(clause: tuple[int, int], start: int, contexts: dict[str, list[_ContextMatch]]) -> bool:
        """Whether the sentence of a hit asks what to do now ("spotting today when should i call"), with no "if" or
        "when" before the hit that would make it hypothetical ("what should I do if my waters break?")."""
        def within(kind: str, end: int) -> bool:
            return any(clause[0] <= m[0] < end for m, _ in contexts.get(kind, ()))

        return within("plea", clause[1]) and not within("conditional", start)

    def _hypothetical(
        self, slots: list[int], toks: list[str], contexts: dict[str, list[_ContextMatch]], frames: list[list[int]]
    ) -> bool:
        """Whether a hit is imagined, not happening: a ``hypothetical`` ("if I start", "what if") begins before it in
        its clause and ends at most two words after it (its verb: "if I start bleeding", "اگه خونریزی کنم", not the "go"
        of "if the bleeding gets heavier should I go in"), and the sentence asks what to do or for information ("what
        should I do if I start bleeding?", "if my waters break early, who do I call?"). Never when the message says it
        is back or still there."""
        if contexts.get("ongoing"):
            return False
        start = slots[0]
        clause = self._clause(start, toks)
        if not any(clause[0] <= m[0] < start and m[-1] <= slots[-1] + 2 for m, _ in contexts.get("hypothetical", ())):
            return False
        sentence = self._sentence(start, toks)
        return any(sentence[0] <= m[0] < sentence[1] for m, _ in contexts.get("plea", ())) or any(
            sentence[0] <= m[0] < sentence[1] for m in frames
        )

    @staticmethod
    def _context_clause(position: int, toks: list[str], lexicon: Lexicon) -> tuple[int, int]:
        """The clause around `position`, ended also by the hit's lexicon's clause words ("but", "lekin") or "and"."""
        def ends(token: str) -> bool:
            return token in BREAKS or token in lexicon.clause_breaks or token == "and"

        start = position
        while start > 0 and not ends(toks[start - 1]):
            start -= 1
        end = position
        while end < len(toks) and not ends(toks[end]):
            end += 1
        return start, end

    @staticmethod
    def _clause(position: int, toks: list[str]) -> tuple[int, int]:
        start = position
        while start > 0 and toks[start - 1] not in BREAKS:
            start -= 1
        end = position
        while end < len(toks) and toks[end] not in BREAKS:
            end += 1
        return start, end

    def is_question(self, text: str) -> bool:
        """Whether any lexicon's question frame occurs in `text` ("how do I ...", "what is the risk of ...")."""
        toks = tokens(text)
        keys = [self._vocabulary.keys(t) if t not in BREAKS else frozenset() for t in toks]
        return any(
            self._find(frame, toks, keys, exact=True) for lexicon in self.lexicons for frame in lexicon.question_frames
        )

    def detect(self, text: str) -> Finding:
        toks = tokens(text)
        keys = [self._vocabulary.keys(t) if t not in BREAKS else frozenset() for t in toks]
        # Words of a phrase that names a service or test ("pain relief", "blood test") are not read as triggers.
        for phrase in self._not_symptoms:
            for match in self._find(phrase, toks, keys, exact=True):
                for position in match:
                    keys[position] = frozenset()
        # Words of a phrase in which a negation word negates nothing ("ما زال", still) are neither trigger words nor
        # negation cues: negation is read on a copy of the message with them blanked.
        negation_toks = toks
        for phrase in self._not_negations:
            for match in self._find(phrase, toks, keys, exact=True):
                if negation_toks is toks:
                    negation_toks = list(toks)
                for position in match:
                    keys[position] = frozenset()
                    negation_toks[position] = ""
        candidates: dict[int, tuple[Lexicon, Trigger]] = {}
        for position_keys in keys:
            for key in position_keys:
                for lexicon, trigger in self._by_first.get(key, ()):
                    candidates[id(trigger)] = (lexicon, trigger)
        hits: list[Hit] = []

        # Found once per message, and only when a hit needs them.
        @cache
        def frames() -> list[list[int]]:
            """Every lexicon's question frames in this message."""
            return [m for lx in self.lexicons for f in lx.question_frames
                    for m in self._find(f, toks, keys, exact=True)]

        @cache
        def contexts() -> dict[str, list[_ContextMatch]]:
            """Every lexicon's context patterns in this message, by kind."""
            return self._contexts(toks, keys)

        for lexicon, trigger in candidates.values():
            for slots in self._find(trigger.pattern, toks, keys):
                start = slots[0]
                negated = self._negated(lexicon, slots, negation_toks)
                informational = False
                if trigger.strength == "weak" and not negated:
                    # Any language's question frame, in the same clause: a Persian question about contractions is a
                    # question to the Arabic lexicon too (the scripts share words). Never across a comma: "bleeding,
                    # what should I do?" is a plea, not a question for information. Strong triggers ignore frames.
                    clause = self._clause(start, toks)
                    informational = any(clause[0] <= match[0] < clause[1] for match in frames())
                    if informational:
                        informational = not self._plea(clause, start, contexts())
                if (not negated and not informational and trigger.category not in NEVER_HYPOTHETICAL
                        and contexts().get("hypothetical")):
                    informational = self._hypothetical(slots, toks, contexts(), frames())
                reported = False
                if not negated and not informational and trigger.category not in ALWAYS_CURRENT:
                    reported = self._reported(lexicon, slots, toks, contexts(), trigger.strength == "weak",
                                              trigger.category)
                hits.append(Hit(lexicon.language, trigger.category, trigger.strength, trigger.pattern.text,
                                negated, informational, reported, tuple(slots)))
        if BLOOD_PRESSURE_CATEGORY in self.categories and high_blood_pressure(normalize(text)):
            # Only a question for later rules a reading out ("for the future, is 150/100 high?").
            later = bool(contexts().get("asking")) and not contexts().get("ongoing")
            hits.append(Hit("", BLOOD_PRESSURE_CATEGORY, "strong", "blood pressure reading", reported=later))
        counted = {h.category for h in hits if h.counts}
        return Finding(tuple(c for c in self.categories if c in counted), tuple(hits))
