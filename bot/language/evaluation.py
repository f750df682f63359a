"""`doula eval language`: accuracy of language detection per language, on the labelled set `eval/language/`.

Every set was written by someone who had not seen the detector. Once a set has been used to find the detector's
gaps, its figures flatter it, and a new blind set takes its place as the one to quote:

* `eval/language/` — the held-out set (written blind on 7 Dec 2026, after the last tuning; never used to tune);
* `eval/language_dev/` and `eval/language_dev2/` (the previous held-out set) — used to find gaps and tune the rules.

They hold short messages as women type them, in the 12 curated languages (about a third of the Urdu, Bengali,
Arabic, Farsi and Punjabi ones romanised) and in other languages women here write in. Printed side by side, in one run:

* **doula**: the bot's detector (script rules, romanised writing, lingua restricted to the languages that matter);
* **lingua (all)**: lingua alone over every language it knows, the obvious baseline.

For messages of 3 words or more the answer must be right: the target is 0.95 over all of them, and a language below
0.95 is marked. Shorter ones may rightly get no answer (the bot never switches language on "ok"): for them the table
shows how often an answer was given and how often it was wrong. A benchmark, not a test.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.paths import ROOT

EVAL_DIR = ROOT / "eval" / "language"  # held out: never used to tune the detector
DEV_DIR = ROOT / "eval" / "language_dev"  # written blind too, then used to find gaps (so its figures flatter)
DEV2_DIR = ROOT / "eval" / "language_dev2"  # the held-out set until 7 Dec 2026, then used to find gaps
SETS = {"eval": EVAL_DIR, "dev": DEV_DIR, "dev2": DEV2_DIR}
TARGET = 0.95  # accuracy on messages of MIN_WORDS words or more
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+|\d*[a-z]+\d+[a-z\d]*", re.UNICODE | re.IGNORECASE)


@dataclass(frozen=True)
class Sample:
    text: str
    language: str
    romanised: bool = False

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text)) if not re.search(r"[\u4e00-\u9fff]", self.text) else len(self.text) // 2


@dataclass
class Tally:
    long_total: int = 0
    long_right: int = 0
    short_total: int = 0
    short_answered: int = 0
    short_wrong: int = 0
    romanised_total: int = 0
    romanised_right: int = 0
    misses: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, sample: Sample, answer: str | None) -> None:
        right = answer == sample.language
        if sample.words >= MIN_WORDS:
            self.long_total += 1
            self.long_right += right
            if not right:
                self.misses.append((sample.text, answer))
        else:
            self.short_total += 1
            self.short_answered += answer is not None
            self.short_wrong += answer is not None and not right
        if sample.romanised:
            self.romanised_total += 1
            self.romanised_right += right

    @property
    def accuracy(self) -> float:
        return self.long_right / self.long_total if self.long_total else float("nan")


def load_samples(directory: Path = EVAL_DIR, languages: list[str] | None = None) -> list[Sample]:
    samples = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(data.get("language") or path.stem)
        if languages and language not in languages:
            continue
        for item in data.get("messages") or []:
            samples.append(Sample(str(item["text"]), language, bool(item.get("romanised"))))
    return samples


def lingua_baseline() -> Callable[[str], str | None]:
    """lingua over all its languages, with its own default settings."""
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def evaluate(samples: list[Sample], detect: Callable[[str], str | None]) -> tuple[dict[str, Tally], float]:
    """Per-language tallies, and the mean time per message in microseconds."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    started = time.perf_counter()
    answers = [detect(s.text) for s in samples]
    elapsed = (time.perf_counter() - started) / max(1, len(samples)) * 1e6
    for sample, answer in zip(samples, answers, strict=True):
        tallies[sample.language].add(sample, answer)
    return dict(tallies), elapsed


def overall(tallies: dict[str, Tally]) -> float:
    """Accuracy over every message of MIN_WORDS words or more, whatever its language (what TARGET applies to)."""
    right = sum(t.long_right for t in tallies.values())
    return right / max(1, sum(t.long_total for t in tallies.values()))


def table(results: dict[str, tuple[dict[str, Tally], float]], curated: tuple[str, ...]) -> str:
    names = list(results)
    head = f"{'lang':<6}{'3+ words':>9}"
    for name in names:
        head += f" | {name:>13} {'romanised':>9} {'short ans/wrong':>15}"
    lines = [head, "-" * len(head)]
    languages = sorted({lang for tallies, _ in results.values() for lang in tallies},
                       key=lambda c: (c not in curated, c))
    for language in languages:
        first = results[names[0]][0][language]
        row = f"{language + ('' if language in curated else '*'):<6}{first.long_total:>9}"
        for name in names:
            t = results[name][0][language]
            mark = "" if t.accuracy >= TARGET else " <"
            romanised = f"{t.romanised_right}/{t.romanised_total}" if t.romanised_total else "-"
            short = f"{t.short_answered}/{t.short_wrong} of {t.short_total}"
            row += f" | {t.accuracy:>11.3f}{mark:<2} {romanised:>9} {short:>15}"
        lines.append(row)
    lines.append("-" * len(head))
    total = f"{'all':<6}{sum(t.long_total for t in results[names[0]][0].values()):>9}"
    for name in names:
        tallies, micros = results[name]
        total += f" | {overall(tallies):>13.3f} {f'{micros:.0f} us/msg':>25}"
    lines.append(total)
    lines.append(f"target: {TARGET:.2f} on messages of {MIN_WORDS}+ words (all); * = no curated content "
                 "(tier 2/3); '<' below target; short: answered/wrong of 1-2 word messages (no answer is right)")
    return "\n".join(lines)
