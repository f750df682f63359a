"""Measures the theme classifier on labelled feedback comments, beside a trained baseline (`doula eval themes`).

A labelled set is one YAML file per language in `eval/themes/` (see its README): `comments`, each with its `text`,
its `themes` (theme -> the sentiment of what she says about it) and the overall `sentiment`. `eval/themes/` is the
held-out set, written on 7 Dec 2026 by someone who had seen neither the cue lists nor the other set; `eval/themes_dev/`
was written by the cues' author before the cues, and its figures are optimistic (`--path eval/themes_dev`).

The cue lists are compared, in the same run, with what a small statistical model learns from the same comments:
TF-IDF of character n-grams (2-5, within words, which work across scripts) and one logistic regression per theme,
scored by k-fold cross-validation, so that every comment is classified by a model that never saw it. If the cues
did not beat it, a coordinator would be better served by labelling comments than by keeping cue lists.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.safety.normalize import normalize

EVAL_DIR = ROOT / "eval" / "themes"  # held out: never used to tune the cues
DEV_DIR = ROOT / "eval" / "themes_dev"
FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class LabelledComment:
    language: str
    text: str
    themes: dict[str, str]  # theme -> sentiment
    sentiment: str


@dataclass(frozen=True)
class Prediction:
    themes: dict[str, str]  # theme -> sentiment ("" when the classifier gives none)
    sentiment: str = ""


Classify = Callable[[str, str], Prediction]  # (text, language) -> prediction


def load_comments(directory: Path = EVAL_DIR, languages: Iterable[str] | None = None) -> list[LabelledComment]:
    wanted = set(languages) if languages else None
    comments = []
    for path in sorted(Path(directory).glob("*.yml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=yaml.BaseLoader)  # strings only ("no" stays "no")
        language = data["language"]
        if wanted is not None and language not in wanted:
            continue
        for item in data.get("comments") or ():
            themes = item.get("themes") or {}
            comments.append(LabelledComment(language, str(item["text"]), {str(k): str(v) for k, v in themes.items()},
                                            str(item.get("sentiment", ""))))
    return comments


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    sentiment_right: int = 0  # among true positives, the theme's sentiment also right

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives
        self.sentiment_right += other.sentiment_right


@dataclass
class Report:
    themes: tuple[str, ...]
    by_theme: dict[str, Counts]
    by_language: dict[str, dict[str, Counts]]
    comments: int = 0
    per_language: dict[str, int] = field(default_factory=dict)  # comments per language
    sentiment_right: int = 0  # overall sentiment of the comment
    sentiment_judged: int = 0
    theme_sentiments: bool = False  # whether the classifier gives each theme a sentiment
    errors: list[tuple[LabelledComment, Prediction]] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return _macro(self.by_theme, self.themes)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.by_theme.values():
            total.add(counts)
        return total

    def language_macro_f1(self, language: str) -> float:
        counts = self.by_language.get(language, {})
        return _macro(counts, tuple(t for t in self.themes if counts.get(t, Counts()).support))

    @property
    def sentiment_accuracy(self) -> float | None:
        return self.sentiment_right / self.sentiment_judged if self.sentiment_judged else None

    @property
    def theme_sentiment_accuracy(self) -> float | None:
        """Among the themes found, the share whose sentiment is right (None: the classifier gives none)."""
        found = self.micro
        return found.sentiment_right / found.true_positives if found.true_positives and self.theme_sentiments else None


def _macro(counts: dict[str, Counts], themes: tuple[str, ...]) -> float:
    return sum(counts.get(t, Counts()).f1 for t in themes) / len(themes) if themes else 0.0


def score(predictions: list[Prediction], comments: list[LabelledComment], themes: tuple[str, ...]) -> Report:
    report = Report(themes, {t: Counts() for t in themes}, defaultdict(lambda: defaultdict(Counts)))
    for comment, prediction in zip(comments, predictions, strict=True):
        report.comments += 1
        report.per_language[comment.language] = report.per_language.get(comment.language, 0) + 1
        report.theme_sentiments = report.theme_sentiments or any(prediction.themes.values())
        if prediction.sentiment:
            report.sentiment_judged += 1
            report.sentiment_right += prediction.sentiment == comment.sentiment
        wrong = False
        for theme in themes:
            expected, found = theme in comment.themes, theme in prediction.themes
            if not expected and not found:
                continue
            counts = Counts(
                true_positives=int(expected and found),
                false_positives=int(found and not expected),
                false_negatives=int(expected and not found),
                sentiment_right=int(expected and found and prediction.themes[theme] == comment.themes[theme]),
            )
            report.by_theme[theme].add(counts)
            report.by_language[comment.language][theme].add(counts)
            wrong = wrong or expected != found
        if wrong:
            report.errors.append((comment, prediction))
    return report


def evaluate(classify: Classify, comments: list[LabelledComment], themes: tuple[str, ...]) -> Report:
    return score([classify(c.text, c.language) for c in comments], comments, themes)


def cross_validate_baseline(comments: list[LabelledComment], themes: tuple[str, ...], folds: int = FOLDS,
                            seed: int = SEED) -> Report:
    """TF-IDF (char_wb 2-5) + one-vs-rest logistic regression, each comment predicted by the model of the fold that
    left it out. The overall sentiment is predicted the same way by one multinomial regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline

    texts = [normalize(c.text) for c in comments]
    labels = [[int(t in c.themes) for t in themes] for c in comments]
    sentiments = [c.sentiment for c in comments]
    predictions: list[Prediction | None] = [None] * len(comments)

    def vectorizer() -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)

    splits = KFold(n_splits=min(folds, len(comments)), shuffle=True, random_state=seed).split(texts)
    with warnings.catch_warnings():
        # A theme with no example in a training fold is predicted as absent (sklearn warns about it).
        warnings.simplefilter("ignore")
        for train, test in splits:
            train_texts = [texts[i] for i in train]
            themes_model = make_pipeline(vectorizer(), OneVsRestClassifier(
                LogisticRegression(max_iter=1000, class_weight="balanced")))
            themes_model.fit(train_texts, [labels[i] for i in train])
            found = themes_model.predict([texts[i] for i in test])
            train_sentiments = [sentiments[i] for i in train]
            if len(set(train_sentiments)) > 1:
                sentiment_model = make_pipeline(vectorizer(), LogisticRegression(max_iter=1000,
                                                                                 class_weight="balanced"))
                sentiment_model.fit(train_texts, train_sentiments)
                moods = list(sentiment_model.predict([texts[i] for i in test]))
            else:
                moods = [train_sentiments[0]] * len(test)
            for index, row, mood in zip(test, found, moods, strict=True):
                predictions[index] = Prediction({t: "" for t, on in zip(themes, row, strict=True) if on}, str(mood))
    return score([p or Prediction({}) for p in predictions], comments, themes)


def format_table(reports: dict[str, Report], languages: Iterable[str] = ()) -> str:
    """Per theme: support, then precision, recall and F1 for each classifier side by side; macro and micro F1,
    sentiment accuracy, and macro F1 per language."""
    names = list(reports)
    first = reports[names[0]]
    width = 30
    header = f"{'theme':{width}} {'n':>4} " + "".join(f"| {name:^20} " for name in names)
    sub = f"{'':{width}} {'':>4} " + "".join(f"| {'P':>6} {'R':>6} {'F1':>6} " for _ in names)
    rule = "-" * len(sub)
    lines = [header, sub, rule]
    for theme in first.themes:
        cells = "".join(f"| {r.by_theme[theme].precision:6.2f} {r.by_theme[theme].recall:6.2f} "
                        f"{r.by_theme[theme].f1:6.2f} " for r in reports.values())
        lines.append(f"{theme:{width}} {first.by_theme[theme].support:>4} {cells}")
    lines.append(rule)

    def summary(label: str, value: Callable[[Report], float | None], n: object = "") -> str:
        cells = []
        for report in reports.values():
            v = value(report)
            cells.append(f"| {'':>13} {'-' if v is None else f'{v:6.2f}':>6} ")
        return f"{label:{width}} {n!s:>4} " + "".join(cells)

    micro = first.micro
    lines.append(summary("macro F1 (all themes)", lambda r: r.macro_f1, micro.support))
    lines.append(summary("micro F1", lambda r: r.micro.f1))
    lines.append(summary("theme sentiment (found themes)", lambda r: r.theme_sentiment_accuracy))
    lines.append(summary("overall sentiment accuracy", lambda r: r.sentiment_accuracy, first.comments))
    lines.append(rule)
    for language in languages:
        lines.append(summary(f"macro F1, {language}", lambda r, lang=language: r.language_macro_f1(lang),
                             first.per_language.get(language, 0)))
    return "\n".join(lines)


def format_errors(report: Report, limit: int = 500) -> str:
    lines = []
    for comment, prediction in report.errors[:limit]:
        expected, found = set(comment.themes), set(prediction.themes)
        missed, extra = sorted(expected - found), sorted(found - expected)
        lines.append(f"{comment.language}  missed: {', '.join(missed) or '-'}  extra: {', '.join(extra) or '-'}"
                     f"  | {comment.text}")
    return "\n".join(lines)
