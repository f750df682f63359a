"""Measures the anonymiser on labelled feedback: recall and precision per entity type (and per language for names),
beside Presidio's own predefined recognizers on the same blank-spaCy NLP engine, in the same run.

A labelled set is one YAML file per language, `eval/anonymise/<lang>.yml`:

    language: en
    messages:
      - text: "My midwife Sarah Jones rang me on 07700 900123."
        entities: [[PERSON, Sarah Jones], [PHONE, 07700 900123]]
      - text: "Hope ward in May, week 37"      # a hard negative: nothing to find
        entities: []
    held_out:                                  # written after the rules were tuned, never used to tune them
      - text: ...

An entity is marked by its exact substring; the same substring listed twice means its first and second occurrence.
Counting:

* an entity is *recalled* when every character of it (spaces aside) is inside a finding of the same type, since a
  name found in half ("Sarah" of "Sarah Jones") still gives her away; *hidden* when inside a finding of any type;
* a finding is *correct* when it overlaps an entity of its type; any other finding is a false positive, which is
  what a hard negative ("May", "Hope ward", "Bay 4", an NHS-like number failing the check) measures.

The targets are a recall of 0.99 for the structured identifiers and 0.95 for names. Three sets:

* `eval/anonymise/` — the held-out set, the figure to quote: 30 messages per language written on 7 Dec 2026 by someone
  who had seen neither the anonymiser, its lists nor the other set, and never used to change a rule;
* `eval/anonymise_dev/` — written by the anonymiser's authors: `messages` while the rules were written, `held_out`
  afterwards; both were then used to find gaps, so its figures flatter (`--path eval/anonymise_dev`);
* `eval/anonymise_dev2/` — a second development set, written on 7 Dec 2026 before the rules were run on it (more
  romanised and mixed-script names, names in other grammatical cases, British staff names in other scripts), then
  used to find gaps (`--path eval/anonymise_dev2`).

All are machine-drafted; native speakers and the MVP need to add the messages real feedback contains.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.anonymise.entities import ENTITY_TYPES, PERSON, Entity
from bot.paths import ROOT

EVAL_DIR = ROOT / "eval" / "anonymise"  # held out: never used to tune the anonymiser
DEV_DIR = ROOT / "eval" / "anonymise_dev"
NAME_TARGET = 0.95
STRUCTURED_TARGET = 0.99
TARGETS = {entity_type: NAME_TARGET if entity_type == PERSON else STRUCTURED_TARGET for entity_type in ENTITY_TYPES}

# Presidio's entity types, as doula's; the others (URL, IBAN, US_BANK_NUMBER ...) are not counted.
PRESIDIO_TYPES = {
    "PERSON": PERSON,
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "UK_NHS": "NHS_NUMBER",
    "DATE_TIME": "DATE_OF_BIRTH",
    "LOCATION": "ADDRESS",
}

# A detector: (text, language) -> its findings.
Detect = Callable[[str, str], Sequence[Entity]]


@dataclass(frozen=True)
class Sample:
    language: str
    text: str
    entities: tuple[Entity, ...]
    held_out: bool = False


def load_set(path: Path) -> list[Sample]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.BaseLoader)  # strings only ("no" stays "no", "0770..." keeps its 0)
    language = data["language"]
    samples = []
    messages = [(m, False) for m in data.get("messages") or ()] + [(m, True) for m in data.get("held_out") or ()]
    for number, (message, held_out) in enumerate(messages, 1):
        text = message["text"]
        seen: dict[str, int] = {}
        entities = []
        for entity_type, substring in message.get("entities") or ():
            if entity_type not in ENTITY_TYPES:
                raise ValueError(f"{path.name}, message {number}: unknown entity type {entity_type!r}")
            start = -1
            for _ in range(seen.get(substring, 0) + 1):
                start = text.find(substring, start + 1)
                if start < 0:
                    raise ValueError(f"{path.name}, message {number}: {substring!r} is not in the text")
            seen[substring] = seen.get(substring, 0) + 1
            entities.append(Entity(entity_type, start, start + len(substring)))
        samples.append(Sample(language, text, tuple(sorted(entities, key=lambda e: e.start)), held_out))
    return samples


def load_samples(directory: Path = EVAL_DIR, languages: Iterable[str] | None = None) -> list[Sample]:
    wanted = set(languages) if languages else None
    samples = [s for path in sorted(Path(directory).glob("*.yml")) for s in load_set(path)]
    return [s for s in samples if wanted is None or s.language in wanted]


@dataclass
class Tally:
    entities: int = 0
    recalled: int = 0
    findings: int = 0
    correct: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (entity text, message)
    false: list[tuple[str, str]] = field(default_factory=list)  # (finding text, message)

    @property
    def recall(self) -> float | None:
        return self.recalled / self.entities if self.entities else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.findings if self.findings else None


@dataclass
class Report:
    by_type: dict[str, Tally]
    names_by_language: dict[str, Tally]
    entities: int = 0
    hidden: int = 0  # entities inside a finding of any type
    messages: int = 0
    seconds: float = 0.0

    @property
    def microseconds_per_message(self) -> float:
        return self.seconds / self.messages * 1e6 if self.messages else 0.0


def _covered(entity: Entity, text: str, findings: Iterable[Entity]) -> bool:
    spans = [(f.start, f.end) for f in findings]
    return all(any(s <= i < e for s, e in spans) for i in range(entity.start, entity.end) if not text[i].isspace())


def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def evaluate(samples: Sequence[Sample], detect: Detect) -> Report:
    report = Report({t: Tally() for t in ENTITY_TYPES}, {})
    for sample in samples:
        started = time.perf_counter()
        found = list(detect(sample.text, sample.language))
        report.seconds += time.perf_counter() - started
        report.messages += 1
        names = report.names_by_language.setdefault(sample.language, Tally())
        for entity in sample.entities:
            same = [f for f in found if f.type == entity.type]
            hit = _covered(entity, sample.text, same)
            report.entities += 1
            report.hidden += _covered(entity, sample.text, found)
            for tally in (report.by_type[entity.type], *([names] if entity.type == PERSON else [])):
                tally.entities += 1
                tally.recalled += hit
                if not hit:
                    tally.misses.append((sample.text[entity.start:entity.end], sample.text))
        for finding in found:
            if finding.type not in report.by_type:
                continue
            right = any(_overlaps(finding, e) and e.type == finding.type for e in sample.entities)
            for tally in (report.by_type[finding.type], *([names] if finding.type == PERSON else [])):
                tally.findings += 1
                tally.correct += right
                if not right:
                    tally.false.append((sample.text[finding.start:finding.end], sample.text))
    return report


def doula_detector() -> Detect:
    """What `redact` finds (with its second look at the redacted text), timed as `redact` runs."""
    from bot.anonymise import anonymiser

    engine = anonymiser()
    return lambda text, language: engine.redact(text, language).entities


def presidio_baseline() -> Detect:
    """Presidio's predefined recognizers for English (its only language without a downloaded model), on the same
    blank-spaCy NLP engine; its entity types are mapped onto doula's."""
    import logging

    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from bot.anonymise.engine import merge
    from bot.anonymise.nlp import BlankSpacyNlpEngine

    # Presidio's e-mail recognizer checks the domain with tldextract, which would download the Public Suffix List on
    # first use: use the list bundled with tldextract instead, and cache nothing (no network, nothing written).
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    presidio_log = logging.getLogger("presidio-analyzer")
    level = presidio_log.level
    presidio_log.setLevel(logging.ERROR)  # it warns about every recognizer of a language other than English
    try:
        nlp_engine = BlankSpacyNlpEngine(["en"])
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
        analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    finally:
        presidio_log.setLevel(level)

    def detect(text: str, language: str) -> Sequence[Entity]:
        results = [r for r in analyzer.analyze(text, language="en") if r.entity_type in PRESIDIO_TYPES]
        for result in results:
            result.entity_type = PRESIDIO_TYPES[result.entity_type]
        return merge(results)

    return detect


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def format_reports(reports: dict[str, Report], details: bool = True) -> str:
    """Per type, then (with `details`) names per language and the time taken: entities, then recall and precision
    of each detector side by side."""
    names = list(reports)
    first = reports[names[0]]
    width = max(22, *(len(n) + 2 for n in names))
    header = f"{'':16}{'n':>5}  " + "".join(f"{n:<{width}}" for n in names) + "target"
    sub = f"{'':16}{'':>5}  " + "".join(f"{'recall  precision':<{width}}" for _ in names)
    lines = [header, sub]

    def row(label: str, tallies: list[Tally], target: str = "") -> str:
        cells = "".join(f"{_cell(t.recall):>6}  {_cell(t.precision):>9}".ljust(width) for t in tallies)
        return f"{label:16}{tallies[0].entities:>5}  {cells}{target}"

    for entity_type in ENTITY_TYPES:
        tallies = [reports[n].by_type[entity_type] for n in names]
        lines.append(row(entity_type, tallies, f"recall >= {TARGETS[entity_type]:.2f}"))
    if not details:
        return "\n".join(lines)
    lines.append("")
    lines.append("PERSON by language")
    for language in sorted(first.names_by_language):
        tallies = [reports[n].names_by_language.get(language, Tally()) for n in names]
        lines.append(row(f"  {language}", tallies))
    lines.append("")
    hidden = "".join(f"{reports[n].hidden / max(reports[n].entities, 1):>6.3f}".ljust(width) for n in names)
    lines.append(f"{'hidden, any type':16}{first.entities:>5}  {hidden}")
    speed = "".join(f"{reports[n].microseconds_per_message:>6.0f} µs/message".ljust(width) for n in names)
    lines.append(f"{'time':16}{first.messages:>5}  {speed}")
    return "\n".join(lines)


def format_failures(report: Report) -> str:
    lines = []
    for entity_type, tally in report.by_type.items():
        lines += [f"  missed {entity_type}: {found!r} in {text!r}" for found, text in tally.misses]
        lines += [f"  false {entity_type}: {found!r} in {text!r}" for found, text in tally.false]
    return "\n".join(lines)


def meets_targets(report: Report) -> bool:
    return all(t.recall is None or t.recall >= TARGETS[k] for k, t in report.by_type.items())
