"""`doula eval nlu`: how well free text finds the right topic, per language, by k-fold cross-validation.

The examples of `data/nlu/<lang>/` are split into k folds per (intent, language), so every fold holds out examples of
every topic in every language. For each fold an NLU model is trained on everything else with the project's own
`config.yml` (the linear classifier and doula's components: menu numbers, language, red flags, fallback) and
parses the held-out examples. What is measured is what the bot would do with the message: the intent after every
component, so a topic question that raised a red flag or fell to the fallback counts as wrong. This is a benchmark
that prints a table, not a test: each fold trains a model (about a minute).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.paths import DATA_DIR, ROOT

TARGET = 0.90  # topic accuracy in every language (issue: informed-choice content)
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str


@dataclass
class Scores:
    """Held-out predictions of one language."""

    total: Counter = field(default_factory=Counter)  # intent -> examples
    right: Counter = field(default_factory=Counter)  # intent -> correctly predicted
    confusions: Counter = field(default_factory=Counter)  # (true, predicted) -> count

    def add(self, truth: str, predicted: str) -> None:
        self.total[truth] += 1
        if truth == predicted:
            self.right[truth] += 1
        else:
            self.confusions[(truth, predicted)] += 1

    def share(self, predicate, topics_only: bool = True) -> float:
        """Share of (topic) examples whose confusion (truth, predicted) satisfies `predicate`."""
        keys = [k for k in self.total if k.startswith("topic_") or not topics_only]
        total = sum(self.total[k] for k in keys)
        found = sum(n for (truth, predicted), n in self.confusions.items() if truth in keys and predicate(predicted))
        return found / total if total else float("nan")

    def accuracy(self, topics_only: bool) -> float:
        keys = [k for k in self.total if k.startswith("topic_") or not topics_only]
        total = sum(self.total[k] for k in keys)
        return sum(self.right[k] for k in keys) / total if total else float("nan")


def read_examples(data_dir: Path = DATA_DIR) -> tuple[list[Example], list[dict]]:
    """(per-language examples, blocks that are not per language) from `data_dir/nlu/`. Language-neutral data such
    as `nlu/shared/` (menu numbers) and anything that is not an intent block is always trained on."""
    examples, shared = [], []
    for path in sorted((data_dir / "nlu").rglob("*.yml")):
        language = path.relative_to(data_dir / "nlu").parts[0]
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block or language == "shared":
                shared.append(block)
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(Example(line[2:].strip(), block["intent"], language))
    return examples, shared


def folds(examples: list[Example], k: int, seed: int = 42) -> list[list[Example]]:
    """k held-out folds, stratified by (intent, language)."""
    groups: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.intent, example.language)].append(example)
    result: list[list[Example]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    offset = 0  # carried from group to group, so that the folds come out the same size
    for key in sorted(groups):
        members = groups[key][:]
        rng.shuffle(members)
        for index, example in enumerate(members):
            result[(offset + index) % k].append(example)
        offset += len(members)
    return result


def _write_training_data(path: Path, train: list[Example], shared: list[dict]) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for example in train:
        by_intent[example.intent].append(example.text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in by_intent.items()]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks + shared}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def _train_and_parse(train: list[Example], test: list[Example], shared: list[dict],
                     workdir: Path) -> list[tuple[str, str, float, float]]:
    """For each test example: (the intent the bot ends with, the classifier's top intent, its confidence, its lead
    over the next)."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    data = workdir / "nlu.yml"
    _write_training_data(data, train, shared)
    model = train_nlu(str(ROOT / "config.yml"), str(data), str(workdir / "models"), fixed_model_name="fold")
    agent = Agent.load(model)
    _quiet()  # Rasa's debug log prints every parsed text

    async def parse_all() -> list[tuple[str, str, float, float]]:
        out = []
        for example in test:
            parsed = await agent.parse_message(example.text)
            ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
            top = ranking[0] if ranking else {"name": FALLBACK, "confidence": 0.0}
            second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
            out.append((parsed["intent"]["name"], top["name"], top["confidence"], top["confidence"] - second))
        return out

    return asyncio.run(parse_all())


def _quiet() -> None:
    import logging

    import structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


@dataclass
class Raw:
    """The classifier's own answers on held-out topic questions, to choose the fallback thresholds by."""

    rows: list[tuple[bool, float, float]] = field(default_factory=list)  # (right?, confidence, lead)

    def sweep(self, thresholds=(0.2, 0.3, 0.4, 0.5, 0.6), leads=(0.0, 0.05, 0.1)) -> str:
        lines = ["fallback threshold / ambiguity: share of held-out topic questions answered right / wrong"]
        for lead in leads:
            cells = []
            for threshold in thresholds:
                kept = [right for right, conf, margin in self.rows if conf >= threshold and margin >= lead]
                n = len(self.rows) or 1
                cells.append(f"{threshold:.1f}: {sum(kept) / n:.3f}/{(len(kept) - sum(kept)) / n:.3f}")
            lines.append(f"  ambiguity {lead:.2f} | " + " | ".join(cells))
        return "\n".join(lines)


def cross_validate(k: int = 3, languages: list[str] | None = None, data_dir: Path = DATA_DIR, progress=print,
                   raw: Raw | None = None) -> dict[str, Scores]:
    """Per-language scores of k-fold cross-validation (every example is held out once)."""
    examples, shared = read_examples(data_dir)
    scores: dict[str, Scores] = defaultdict(Scores)
    parts = folds(examples, k)
    for number, test in enumerate(parts, start=1):
        train = [e for i, part in enumerate(parts) if i != number - 1 for e in part]
        measured = [e for e in test if not languages or e.language in languages]
        progress(f"fold {number}/{k}: training on {len(train)} examples, testing {len(measured)} ...")
        with tempfile.TemporaryDirectory() as tmp:
            predicted = _train_and_parse(train, measured, shared, Path(tmp))
        for example, (intent, top, confidence, lead) in zip(measured, predicted, strict=True):
            scores[example.language].add(example.intent, intent)
            if raw is not None and example.intent.startswith("topic_"):
                raw.rows.append((top == example.intent, confidence, lead))
    return dict(scores)


def table(scores: dict[str, Scores], top_confusions: int = 3) -> str:
    """Per language: held-out examples, topic accuracy, all-intent accuracy, and the commonest confusions."""
    lines = [f"{'lang':<6}{'examples':>9}{'topics':>9}{'wrong':>7}{'dunno':>7}{'all':>8}  target {TARGET:.2f}  "
             "commonest confusions", "-" * 110]
    worst = 1.0
    for language in sorted(scores):
        s = scores[language]
        topics = s.accuracy(topics_only=True)
        worst = min(worst, topics)
        confused = ", ".join(f"{t[6:] if t.startswith('topic_') else t}->{p[6:] if p.startswith('topic_') else p}"
                             f" x{n}" for (t, p), n in s.confusions.most_common(top_confusions))
        mark = "ok" if topics >= TARGET else "BELOW"
        wrong = s.share(lambda p: p != FALLBACK)
        dunno = s.share(lambda p: p == FALLBACK)
        lines.append(f"{language:<6}{sum(s.total.values()):>9}{topics:>9.3f}{wrong:>7.3f}{dunno:>7.3f}"
                     f"{s.accuracy(False):>8.3f}  {mark:<12}{confused}")
    every = Scores()
    for s in scores.values():
        every.total.update(s.total)
        every.right.update(s.right)
        every.confusions.update(s.confusions)
    lines.append("-" * 110)
    lines.append(f"{'all':<6}{sum(every.total.values()):>9}{every.accuracy(True):>9.3f}"
                 f"{every.share(lambda p: p != FALLBACK):>7.3f}{every.share(lambda p: p == FALLBACK):>7.3f}"
                 f"{every.accuracy(False):>8.3f}  worst language {worst:.3f}")
    lines.append("topics: held-out topic questions answered with the right topic; wrong: with another topic or intent; "
                 "dunno: the fallback (\"I don't know, talk to a person\"); all: every intent")
    return "\n".join(lines)
