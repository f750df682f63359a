"""The learned red-flag signal: a linear classifier that has read every labelled red-flag message we have.

Why a second signal beside the lexicons: the lexicons are precise but only know the phrasings someone wrote down. On
messages written blind (eval/red_flags) they missed one alarm in six, mostly indirect ones ("she's been really quiet
today", "I keep thinking they'd be better off without me"). The intent classifier does not help there: it is trained
for 40-odd topics and sees red flags as a handful of intents among many (alone it caught 7 % of them).

This model is trained for the one question that matters here, "is this message about a red-flag symptom, and which",
on every labelled message except the held-out set:

* positives: the `red_flag_<category>` NLU examples, the lexicon authors' cases (tests/safety/cases) and the three
  development sets (eval/red_flags_dev*), each under its category;
* negatives ("none"): every other NLU example (topic questions, greetings, feedback ...), the hard negatives of the
  cases and development sets ("no bleeding", "how do I count kicks?"), and feedback comments about care
  (eval/themes_dev).

Features are TF-IDF character n-grams (2-5, within words) and words (1-2) of the lexicons' normalised text
(:func:`bot.safety.normalize.normalize`), into a linear SVM with balanced class weights. The score of a message is
the best category's decision value minus that of "none"; above `threshold` the category is raised.

It only speaks for messages of `min_words` (3) words or more, not counting the anonymiser's placeholders or bare
numbers: on one or two words it alarmed on ordinary replies ("nie", Polish for "no"; "call me"), and the lexicons
are at their best on short alarms.

The threshold, 0.2, was chosen by 3-fold cross-validation on the training messages and on the held-out feedback
comments (eval/themes), weighing recall against false alarms on conversation, not on the red-flag held-out set.
At -0.1 (the first choice, from recall alone) the signal alarmed on one feedback comment in nine ("my husband was
allowed to stay" as domestic abuse, "the food was cold" as fever): a woman giving feedback would be interrupted by
urgent advice. At 0.2, with the feedback comments among the negatives, cross-validated: recall alone 0.85 of alarms,
false alarms on 12 % of hard negatives, 0.7 % of topic questions, 2.0 % of other conversation messages and 3.7 % of
feedback comments (the lexicons: 2.6 %, 0.5 % and 2.8 %).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from bot.nlu.linear_scorer import LinearScorer
from bot.safety.normalize import BREAKS, normalize, tokens

NONE = "none"
DEFAULT_THRESHOLD = 0.2
DEFAULT_C = 0.5
# Fewer words than this are left to the lexicons: one or two words carry too little for n-grams to weigh, and
# common ones ("nie", "call me", "leave me alone") are frequent in alarms too. Short alarms ("krwawię", "baby not
# moving") are what the lexicons catch best.
DEFAULT_MIN_WORDS = 3
# What the anonymiser puts in place of a name or number ("[PERSON]", "[PHONE]"): not words she wrote.
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


def words(text: str) -> int:
    """Words in `text` that can carry meaning: no placeholders, no bare numbers."""
    return sum(1 for w in tokens(_PLACEHOLDER.sub(" ", text)) if w not in BREAKS and not w.isdigit())


@dataclass(frozen=True)
class LearnedFinding:
    category: str | None  # the category raised, or None
    best: str  # the best category, raised or not
    score: float  # best category's decision value minus that of "none"


def build_pipeline(c: float = DEFAULT_C, seed: int = 42) -> Pipeline:
    return make_pipeline(
        FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1,
                                      preprocessor=normalize)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, preprocessor=normalize,
                                      token_pattern=r"(?u)\b\w+\b")),
        ]),
        LinearSVC(C=c, class_weight="balanced", random_state=seed),
    )


class LearnedRedFlags:
    """Fitted once (at `doula train`), then asked one message at a time."""

    def __init__(self, pipeline: Pipeline, threshold: float = DEFAULT_THRESHOLD,
                 min_words: int = DEFAULT_MIN_WORDS) -> None:
        self.pipeline = pipeline
        self._scorer = LinearScorer(pipeline)  # the pipeline's scores at a fraction of its cost per message
        self.threshold = threshold
        self.min_words = min_words
        self.classes: list[str] = [str(c) for c in pipeline.classes_]
        self._none = self.classes.index(NONE)

    @classmethod
    def fit(cls, examples: Iterable[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD,
            c: float = DEFAULT_C, seed: int = 42, min_words: int = DEFAULT_MIN_WORDS) -> LearnedRedFlags:
        """`examples`: (message, category or :data:`NONE`) pairs; both kinds must be present."""
        texts, labels = zip(*[(t, lab) for t, lab in examples if t and t.strip()], strict=True)
        if NONE not in labels or len(set(labels)) < 2:
            raise ValueError("the learned red-flag signal needs red-flag examples and 'none' examples")
        pipeline = build_pipeline(c, seed)
        pipeline.fit(list(texts), list(labels))
        return cls(pipeline, threshold, min_words)

    def scores(self, texts: list[str]) -> list[LearnedFinding]:
        if not texts:
            return []
        cleaned = [_PLACEHOLDER.sub(" ", t) for t in texts]
        decisions = self._scorer.decision_function(cleaned)
        if decisions.ndim == 1:  # a binary SVM (one category besides "none") gives one score, for classes_[1]
            decisions = np.stack([-decisions, decisions], axis=1)
        findings = []
        for text, row in zip(cleaned, decisions, strict=True):
            others = row.copy()
            others[self._none] = -np.inf
            best = int(np.argmax(others))
            score = float(row[best] - row[self._none])
            raised = score > self.threshold and words(text) >= self.min_words
            category = self.classes[best] if raised else None
            findings.append(LearnedFinding(category, self.classes[best], round(score, 4)))
        return findings

    def __getstate__(self) -> dict[str, Any]:
        # The scorer is rebuilt from the pipeline when the model is loaded: the model file keeps the pipeline only.
        return {key: value for key, value in self.__dict__.items() if key != "_scorer"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._scorer = LinearScorer(self.pipeline)

    def score(self, text: str) -> LearnedFinding:
        if not (text or "").strip():
            return LearnedFinding(None, NONE, float("-inf"))
        return self.scores([text])[0]
