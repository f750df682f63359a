"""Measures red-flag detection on labelled messages: recall and false alarms, per language and per category.

A labelled set is one YAML file per language with `alarms: {category: [messages]}` and `not_alarms: [messages]`:

* `eval/red_flags/` — the held-out set, the figure to quote: 50 alarms (5 per category) and 30 hard negatives per
  language, written on 7 Dec 2026 by someone who saw neither the lexicons nor the other sets, and never used to
  change a lexicon. (Seventeen of its hard negatives in ar, bn, fa, pa, ti and ur were once printed to a lexicon
  author by a file pattern; no rule was changed for them. Seeing negatives could only flatter the false-alarm rate.)
* `eval/red_flags_dev/`, `eval/red_flags_dev2/`, `eval/red_flags_dev3/` (the held-out set until 7 Dec 2026) and
  `eval/red_flags_dev4/` (the weakest categories) — written blind too, then used to find gaps (so their figures are
  optimistic).
* `tests/safety/cases/` — the lexicon authors' own cases, asserted by the tests.

An alarm is *caught* when any
category is raised (she gets urgent advice), and *placed* when its own category is among those raised.

Several detectors are compared side by side in the same run: the lexicons alone, the trained model alone, and the
two together as the running bot uses them (`doula eval red-flags`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.paths import ROOT

EVAL_DIR = ROOT / "eval" / "red_flags"
DEV_DIR = ROOT / "eval" / "red_flags_dev"
DEV2_DIR = ROOT / "eval" / "red_flags_dev2"
DEV3_DIR = ROOT / "eval" / "red_flags_dev3"
# Written blind on 7 Dec 2026 for the weakest categories (mental health crisis, reduced movements, domestic abuse).
DEV4_DIR = ROOT / "eval" / "red_flags_dev4"
CASES_DIR = ROOT / "tests" / "safety" / "cases"

# A detector: message -> the categories it raises (empty: no alarm).
Detect = Callable[[str], Iterable[str]]


@dataclass(frozen=True)
class LabelledSet:
    language: str
    alarms: dict[str, list[str]]
    not_alarms: list[str]


def load_set(path: Path) -> LabelledSet:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.BaseLoader)  # strings only ("no" stays "no")
    return LabelledSet(
        language=data["language"],
        alarms={c: [str(m) for m in ms or ()] for c, ms in (data.get("alarms") or {}).items()},
        not_alarms=[str(m) for m in data.get("not_alarms") or ()],
    )


def load_sets(directory: Path, languages: Iterable[str] | None = None) -> list[LabelledSet]:
    sets = [load_set(p) for p in sorted(Path(directory).glob("*.yml"))]
    wanted = set(languages) if languages else None
    return [s for s in sets if wanted is None or s.language in wanted]


@dataclass
class Tally:
    alarms: int = 0
    caught: int = 0
    placed: int = 0
    negatives: int = 0
    false_alarms: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (category, message)
    wrong_place: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    false: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.caught / self.alarms if self.alarms else 1.0

    @property
    def placement(self) -> float:
        return self.placed / self.alarms if self.alarms else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0

    @property
    def messages(self) -> int:
        return self.alarms + self.negatives

    def add(self, other: Tally) -> None:
        for name in ("alarms", "caught", "placed", "negatives", "false_alarms", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.wrong_place += other.wrong_place
        self.false += other.false


@dataclass
class Report:
    by_language: dict[str, Tally]
    by_category: dict[str, Tally]
    total: Tally


def evaluate(detect: Detect, sets: list[LabelledSet], cost: Callable[[str], float] | None = None) -> Report:
    """Run `detect` on every message. `cost(message)`, when given, reports the seconds detection took elsewhere
    (e.g. a cached Rasa parse), instead of timing the call."""
    by_language: dict[str, Tally] = {}
    by_category: dict[str, Tally] = {}
    total = Tally()
    for labelled in sets:
        tally = by_language.setdefault(labelled.language, Tally())
        for category, messages in labelled.alarms.items():
            per_category = by_category.setdefault(category, Tally())
            for message in messages:
                started = time.perf_counter()
                raised = tuple(detect(message))
                elapsed = cost(message) if cost else time.perf_counter() - started
                for t in (tally, per_category):
                    t.alarms += 1
                    t.seconds += elapsed
                    if raised:
                        t.caught += 1
                    else:
                        t.misses.append((category, message))
                    if category in raised:
                        t.placed += 1
                    elif raised:
                        t.wrong_place.append((category, message, raised))
        for message in labelled.not_alarms:
            started = time.perf_counter()
            raised = tuple(detect(message))
            tally.seconds += cost(message) if cost else time.perf_counter() - started
            tally.negatives += 1
            if raised:
                tally.false_alarms += 1
                tally.false.append((message, raised))
    for tally in by_language.values():
        total.add(tally)
    return Report(by_language, by_category, total)


RECALL_TARGET = 0.98
FALSE_ALARM_TARGET = 0.10


def format_reports(reports: dict[str, Report]) -> str:
    """A plain-text table: one row per language (then per category, then overall), one column group per detector."""
    names = list(reports)
    first = next(iter(reports.values()))
    header = f"{'':26}" + "".join(f"| {name:^31} " for name in names)
    sub = f"{'':26}" + "".join(f"| {'recall':>7} {'placed':>7} {'false':>7} {'ms/msg':>7} " for _ in names)
    lines = [header, sub, "-" * len(sub)]

    def row(label: str, get: Callable[[Report], Tally | None]) -> str:
        cells = []
        for name in names:
            tally = get(reports[name])
            if tally is None:
                cells.append(f"| {'':31} ")
                continue
            false = f"{tally.false_alarm_rate:7.2f}" if tally.negatives else f"{'-':>7}"
            ms = 1000 * tally.seconds / tally.messages if tally.messages else 0.0
            cells.append(f"| {tally.recall:7.3f} {tally.placement:7.3f} {false} {ms:7.2f} ")
        return f"{label:26}" + "".join(cells)

    for language, tally in first.by_language.items():
        label = f"{language} ({tally.alarms}+{tally.negatives})"
        lines.append(row(label, lambda r, lang=language: r.by_language.get(lang)))
    lines.append("-" * len(sub))
    for category in first.by_category:
        lines.append(row(category, lambda r, cat=category: r.by_category.get(cat)))
    lines.append("-" * len(sub))
    lines.append(row(f"all ({first.total.alarms}+{first.total.negatives})", lambda r: r.total))
    lines.append("")
    lines.append("recall: alarms that raised any alarm; placed: ... that raised their own category; false: share of")
    lines.append(f"hard negatives that raised an alarm. Targets: recall >= {RECALL_TARGET} in every language, "
                 f"false <= {FALSE_ALARM_TARGET}.")
    return "\n".join(lines)


def meets_targets(report: Report) -> bool:
    return all(
        t.recall >= RECALL_TARGET and t.false_alarm_rate <= FALSE_ALARM_TARGET for t in report.by_language.values()
    )


def format_failures(report: Report, limit: int = 200) -> str:
    lines = []
    for language, tally in report.by_language.items():
        for category, message in tally.misses[:limit]:
            lines.append(f"MISSED  {language} {category:26} {message}")
        for category, message, raised in tally.wrong_place[:limit]:
            lines.append(f"PLACED  {language} {category:26} {message}  -> {', '.join(raised)}")
        for message, raised in tally.false[:limit]:
            lines.append(f"FALSE   {language} {'':26} {message}  -> {', '.join(raised)}")
    return "\n".join(lines)


NLU_DIR = ROOT / "data" / "nlu"


@dataclass(frozen=True)
class ExampleAlarm:
    language: str
    intent: str
    text: str
    raised: tuple[str, ...]


def nlu_example_alarms(detect: Detect, directory: Path = NLU_DIR) -> tuple[int, list[ExampleAlarm]]:
    """The NLU training examples of intents other than `red_flag_*` that raise an alarm, and how many examples there
    are. They are questions about care ("can I stay at home after my waters break?"), so the count measures false
    alarms on messages like real ones. Not every one is wrong: "i have a headache" may deserve the advice."""
    total, alarms = 0, []
    for path in sorted(Path(directory).rglob("*.yml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        language = path.relative_to(directory).parts[0]
        for item in data.get("nlu") or ():
            intent = item.get("intent")
            if not intent or intent.startswith("red_flag"):
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip()[2:] if line.strip().startswith("- ") else ""
                if not text:
                    continue
                total += 1
                raised = tuple(detect(text))
                if raised:
                    alarms.append(ExampleAlarm(language, intent, text, raised))
    return total, alarms


def format_example_alarms(total: int, alarms: list[ExampleAlarm], listed: bool = False) -> str:
    by_language: dict[str, int] = {}
    for alarm in alarms:
        by_language[alarm.language] = by_language.get(alarm.language, 0) + 1
    lines = [f"{len(alarms)} of {total} NLU examples of other intents raise an alarm: "
             + ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items()))]
    if listed:
        lines += [f"ALARM   {a.language} {a.intent:34} {a.text}  -> {', '.join(a.raised)}" for a in alarms]
    return "\n".join(lines)
