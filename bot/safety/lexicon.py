"""Trigger lexicons: one YAML file per language in `content/red_flags/triggers/`.

A *pattern* is a few words written as she would write them ("baby not mov*"). Each word slot matches one token:

* ``bleed*`` matches any token starting with "bleed" (bleeding, bleeds);
* ``dusze!`` matches only exactly, without the one-typo tolerance ("dusze" must not match "musze");
* ``krew|krwi|krwaw*`` offers alternatives for one slot;
* between two slots, up to :data:`MAX_GAP` other words may appear ("baby is not moving" matches "baby not mov*"),
  but never a clause break (".", ",", "?" ...); a ``...`` slot allows up to :data:`LONG_GAP` words instead
  ("water* ... green*" matches "my waters broke and they are green");
* case, accents, Arabic letter variants and stretched letters are ignored (see :mod:`.normalize`), and one typo is
  forgiven in long Latin, Cyrillic and Arabic-script words (in Latin and Cyrillic ones, only after a correct first
  letter: "Leeds" is not "bleeds").

A lexicon also lists the words that *negate* a following (``before``) or preceding (``after``, e.g. Urdu "nahi")
trigger (within :data:`NEGATION_REACH` words, not counting the clitics listed in ``skip``: Romanian "nu mi s-a rupt";
an after-negation crosses the ``joins`` of a list: Ukrainian "кровотечі й болю немає"),
the phrases in which a negation word does not negate (``negation.except``: Arabic "ما زال", "لا يزال", still: "ما زال
بيتحرك" is a baby still moving, "ما زال عندي نزيف" a bleed still there; their words are neither negation cues nor
trigger words, in any lexicon), the words that end a negation's reach (``clause_breaks``), and *question frames*
("risk of", "how do I") that mark a request for information. Strong triggers flag even inside a question ("is it
normal to bleed heavily?"); weak ones do not ("what is the bleeding risk of a caesarean?").

Three lists keep ordinary questions about care from raising alarms, without weakening any trigger:

* ``not_typos``: real words of the language that are one letter away from a trigger word, so the typo tolerance
  must not read them as it ("injection" is not a misspelt "infection", nor "clamping" "cramping", nor "every"
  "fever");
* ``not_symptoms``: phrases that name a service or a test, not a symptom ("pain relief", "blood test", "cord
  clamping"); their words are not read as triggers, in any lexicon. "severe pain, need pain relief" still alarms on
  "severe pain";
* ``false_friends``: everyday words of the language that another lexicon's stem or typo tolerance would read as its
  trigger (Roman Urdu "puchna", to ask, is not Polish ``puchn*``, swelling; nor is "puchhna" one typo from it). Such a
  token matches only a pattern slot that spells it out in full (Polish "nogi puchna" still alarms), never a stem or a
  typo. ``word*`` lists every word starting with it ("puchh*": puchhna, puchhti ...).

A third list, ``context``, recognises a sentence that is not about a symptom she has now. Like question frames, its
patterns work across languages and match exactly (no typo). It never rules out mental health, abuse, breathing,
fits or waters, where a past episode still calls for help (:data:`bot.safety.detector.ALWAYS_CURRENT`):

* ``resolved``: the episode is over ("I had some bleeding but it stopped"). Recognised, but it rules nothing out:
  clinical-safety review (hazard H20) found that a bleed, pain or fever that has settled still needs a call;
* ``reported``: in the same clause, an episode in the past or someone else's ("last month", "years ago", "my
  sister had"), except for bleeding, which is always to be checked;
* ``elsewhere``: in the same clause, a part of the body that is no red flag ("my gums bleed", "nose bleeds");
* ``asking``: anywhere in the message, she asks for later ("for the future", "general question");
* ``ongoing``: anywhere in the message, it is back or still there ("again", "still", "since"): nothing is ruled out;
* ``mild``: in the same clause, she says it is slight ("a bit", "a little", "mild"): rules out *weak* hits of pain,
  headache, swelling, itching or feeling unwell ("my back aches a bit", "a mild headache yesterday"), never strong
  ones ("a bit of severe pain" still alarms) and never bleeding, movements or the always-current categories
  (:data:`bot.safety.detector.MILD_RULES_OUT`).

* ``plea``: in the same sentence, she asks what to do now ("what should I do", "should I call"): a weak hit is not
  read as a question for information ("bit of bleeding this morning what should i do", typed without a comma),
  unless a ``conditional`` word ("if", "when") comes before the hit in that sentence ("what should I do if I bleed?").
* ``hypothetical``: in the same clause and before the hit, she imagines it ("if I start bleeding", "what if my waters
  break", "jesli zaczne krwawic", "لو نزلت المية"): with a ``plea`` or a question frame in the same sentence, the hit,
  weak or strong, is a question for information ("what should I do if I start bleeding?", "if my waters break early,
  who do I call?"). Write the future or subjunctive she uses for what has not happened, never a bare "when" ("when I
  wiped there was blood, what do I do?" is an alarm). Not for mental health, abuse, breathing or fits, and nothing is
  ruled out when the message says it is back or still there (``ongoing``: "if the bleeding gets worse again").
* ``vaccine``: in the same clause, a vaccine or a jab ("does the RSV vaccine cause a temperature?", "teeke ke baad
  bazu mein dard"): rules out the *weak* hits that :data:`bot.safety.detector.VACCINE_RULES_OUT` lists (a sore arm,
  feeling unwell, a temperature: the expected reactions she asks about), never strong ones ("a fever of 39 since the
  jab") nor bleeding or movements.

Whatever the lexicons say, a blood pressure reading typed as "160/110" (systolic 140 or more, or diastolic 90 or
more) is a strong pre-eclampsia sign in every language (:func:`bot.safety.detector.high_blood_pressure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.normalize import normalize

MAX_GAP = 2
LONG_GAP = 6
NEGATION_REACH = 3
STRENGTHS = ("strong", "weak")
CONTEXTS = (
    "resolved", "reported", "elsewhere", "asking", "ongoing", "mild", "plea", "conditional", "hypothetical", "vaccine",
)


@dataclass(frozen=True)
class Slot:
    """One word position of a pattern: alternatives, each exact, a prefix (stored without the `*`) or strict (exact
    and never matched with a typo, stored without the `!`)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    strict: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Slot:
        exact, prefixes, strict = set(), [], set()
        for alternative in text.split("|"):
            word = normalize(alternative.strip())
            if not word or word in ("*", "!"):
                raise ValueError(f"empty alternative in {text!r}")
            if word.endswith("*"):
                prefixes.append(word[:-1])
            elif word.endswith("!"):
                strict.add(word[:-1])
            else:
                exact.add(word)
        return cls(frozenset(exact), tuple(prefixes), frozenset(strict))

    @property
    def words(self) -> list[str]:
        return sorted(self.exact) + [p + "*" for p in self.prefixes] + [w + "!" for w in sorted(self.strict)]


@dataclass(frozen=True)
class Pattern:
    text: str  # as written in the lexicon, for reports
    slots: tuple[Slot, ...]
    gaps: tuple[int, ...]  # gaps[i]: how many words may come before slots[i] (gaps[0] is unused)

    @classmethod
    def parse(cls, text: str) -> Pattern:
        slots, gaps, gap = [], [], MAX_GAP
        for part in str(text).split():
            if part == "...":
                gap = LONG_GAP
                continue
            slots.append(Slot.parse(part))
            gaps.append(gap)
            gap = MAX_GAP
        if not slots:
            raise ValueError("empty pattern")
        return cls(str(text), tuple(slots), tuple(gaps))


    @classmethod
    def contiguous(cls, text: str) -> Pattern:
        """A pattern whose words must follow one another, with nothing between them."""
        pattern = cls.parse(text)
        return cls(pattern.text, pattern.slots, tuple(0 for _ in pattern.slots))


@dataclass(frozen=True)
class Trigger:
    category: str
    strength: str
    pattern: Pattern


@dataclass
class Lexicon:
    language: str
    triggers: list[Trigger]
    negation_before: list[Slot] = field(default_factory=list)
    negation_after: list[Slot] = field(default_factory=list)
    negation_skip: frozenset[str] = frozenset()  # clitics that do not use up a negation's reach
    negation_joins: frozenset[str] = frozenset()  # "and" in a list of negated things, crossed by an after-negation
    not_negations: list[Pattern] = field(default_factory=list)  # "ما زال" (still): its "ما" negates nothing
    clause_breaks: frozenset[str] = frozenset()
    question_frames: list[Pattern] = field(default_factory=list)
    not_typos: frozenset[str] = frozenset()
    not_symptoms: list[Pattern] = field(default_factory=list)
    false_friends: frozenset[str] = frozenset()  # words matched only where a slot spells them out ("puchna")
    context: dict[str, list[Pattern]] = field(default_factory=dict)  # CONTEXTS -> patterns

    @classmethod
    def from_dict(cls, data: dict, categories: tuple[str, ...]) -> Lexicon:
        language = data["language"]
        negation = data.get("negation") or {}
        triggers = []
        for category, strengths in (data.get("categories") or {}).items():
            if category not in categories:
                raise ValueError(f"{language}: unknown category {category!r}")
            for strength, patterns in (strengths or {}).items():
                if strength not in STRENGTHS:
                    raise ValueError(f"{language}/{category}: unknown strength {strength!r}")
                triggers += [Trigger(category, strength, Pattern.parse(p)) for p in patterns or ()]
        return cls(
            language=language,
            triggers=triggers,
            negation_before=[Slot.parse(str(w)) for w in negation.get("before") or ()],
            negation_after=[Slot.parse(str(w)) for w in negation.get("after") or ()],
            negation_skip=frozenset(normalize(str(w)) for w in negation.get("skip") or ()),
            negation_joins=frozenset(normalize(str(w)) for w in negation.get("joins") or ()),
            not_negations=[Pattern.contiguous(p) for p in negation.get("except") or ()],
            clause_breaks=frozenset(normalize(str(w)) for w in data.get("clause_breaks") or ()),
            question_frames=[Pattern.parse(p) for p in data.get("question_frames") or ()],
            not_typos=frozenset(normalize(str(w)) for w in data.get("not_typos") or ()),
            not_symptoms=[Pattern.contiguous(p) for p in data.get("not_symptoms") or ()],
            false_friends=frozenset(normalize(str(w)) for w in data.get("false_friends") or ()),
            context=_context(language, data.get("context") or {}),
        )


def _context(language: str, data: dict) -> dict[str, list[Pattern]]:
    unknown = set(data) - set(CONTEXTS)
    if unknown:
        raise ValueError(f"{language}: unknown context {sorted(unknown)}")
    return {kind: [Pattern.parse(p) for p in data.get(kind) or ()] for kind in CONTEXTS}


def load_lexicon(path: Path, categories: tuple[str, ...]) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        # Every value is a string: with YAML 1.1 booleans, the English negation "no" would load as False.
        data = yaml.load(handle, Loader=yaml.BaseLoader)
    try:
        return Lexicon.from_dict(data, categories)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def english_words(english: Lexicon) -> frozenset[str]:
    """The English trigger words, with the common inflections of their stems ("bleed*" -> bleed, bleeds, bleeding)."""
    words: set[str] = set()
    for trigger in english.triggers:
        for slot in trigger.pattern.slots:
            words |= slot.exact | slot.strict
            for stem in slot.prefixes:
                words |= {stem, stem + "s", stem + "es", stem + "e", stem + "ed", stem + "ing", stem + "y"}
    return frozenset(words)


def english_only_patterns(lexicon: Lexicon, english: frozenset[str]) -> list[str]:
    """Patterns of a non-English lexicon that English words alone could complete. They must not exist: such a match
    would ignore English negation ("no spotting"), which only the English lexicon knows."""
    def english_alternative(slot: Slot) -> bool:
        return any(w in english for w in slot.exact | slot.strict | set(slot.prefixes))

    return [t.pattern.text for t in lexicon.triggers if all(english_alternative(s) for s in t.pattern.slots)]
