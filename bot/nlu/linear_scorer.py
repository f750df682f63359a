"""The decision function of a fitted "TF-IDF n-grams → linear SVM" pipeline, computed for one message at a time
without scikit-learn's per-call overhead.

Both trained components (the intent classifier, :mod:`bot.nlu.linear`, and the learned red-flag signal,
:mod:`bot.safety.learned`) score every message with such a pipeline. scikit-learn is built for batches: on one short
message most of `Pipeline.decision_function` is overhead, not arithmetic. `TfidfTransformer.transform` checks that it
is fitted by reading its `idf_` property, which sums a sparse diagonal matrix of the whole vocabulary on every call;
then it multiplies by that matrix, stacks the blocks of a `FeatureUnion` through joblib, and multiplies by the
coefficients. Profiled under load, that was about 15 % of a Rasa worker's CPU.

:class:`LinearScorer` takes what the fitted pipeline learned (vocabularies, IDF weights, block weights,
coefficients) once, and for each message counts its n-grams, weights them exactly as scikit-learn does (sublinear
TF, IDF, L2 norm per block, the union's weight) and takes the dot product with the coefficients of the n-grams
present only. It normalises the text once for all blocks that share a preprocessor. Same numbers as the pipeline
(tests/nlu/test_linear_scorer.py compares them); the pipeline itself is what is pickled in the model, unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC


@dataclass(frozen=True)
class _Block:
    """One TF-IDF vectorizer of the union, with its place among the features."""

    preprocessor: Callable[[str], str] | None
    analyzer: Callable[[str], list[str]]  # n-grams of already preprocessed text
    vocabulary: dict[str, int]
    idf: np.ndarray | None
    sublinear_tf: bool
    norm: str | None
    weight: float
    offset: int


def _block(vectorizer: TfidfVectorizer, weight: float, offset: int) -> _Block:
    if vectorizer.analyzer not in ("char", "char_wb", "word") or vectorizer.binary:
        raise ValueError(f"LinearScorer does not handle this vectorizer: {vectorizer!r}")
    # The same analyzer without its preprocessing (done once per message for every block that shares it): with no
    # preprocessor, no lower-casing and no accent stripping, scikit-learn's preprocessing is the identity.
    plain = copy.copy(vectorizer)
    plain.preprocessor, plain.lowercase, plain.strip_accents = None, False, None
    preprocessor = vectorizer.build_preprocessor()
    return _Block(preprocessor=preprocessor, analyzer=plain.build_analyzer(), vocabulary=vectorizer.vocabulary_,
                  idf=np.asarray(vectorizer.idf_, dtype=np.float64) if vectorizer.use_idf else None,
                  sublinear_tf=vectorizer.sublinear_tf, norm=vectorizer.norm, weight=weight, offset=offset)


class LinearScorer:
    """`decision_function` and `classes_` of a fitted `make_pipeline(FeatureUnion([TfidfVectorizer...]),
    LinearSVC)` (or of a single TfidfVectorizer before the SVM)."""

    def __init__(self, pipeline: Pipeline) -> None:
        if len(pipeline.steps) != 2 or not isinstance(pipeline.steps[-1][1], LinearSVC):
            raise ValueError("LinearScorer expects a pipeline of two steps: TF-IDF features, then a LinearSVC")
        features, svm = pipeline.steps[0][1], pipeline.steps[-1][1]
        if isinstance(features, FeatureUnion):
            weights = features.transformer_weights or {}
            parts = [(vectorizer, float(weights.get(name, 1.0))) for name, vectorizer in features.transformer_list
                     if vectorizer not in ("drop", None)]
        else:
            parts = [(features, 1.0)]
        self.blocks: list[_Block] = []
        offset = 0
        for vectorizer, weight in parts:
            if not isinstance(vectorizer, TfidfVectorizer):
                raise ValueError(f"LinearScorer expects TfidfVectorizer features, not {type(vectorizer).__name__}")
            self.blocks.append(_block(vectorizer, weight, offset))
            offset += len(vectorizer.vocabulary_)
        self.coef: np.ndarray = np.ascontiguousarray(svm.coef_.T)  # features × classes: rows of present n-grams
        if self.coef.shape[0] != offset:
            raise ValueError("the SVM's coefficients do not match the features")
        self.intercept: np.ndarray = np.asarray(svm.intercept_, dtype=np.float64)
        self.classes_: np.ndarray = svm.classes_

    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and values of the message's non-zero features, as the pipeline's FeatureUnion would give."""
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        preprocessed: dict[Any, str] = {}
        for block in self.blocks:
            key = block.preprocessor
            if key not in preprocessed:
                preprocessed[key] = block.preprocessor(text) if block.preprocessor else text
            counts: dict[int, int] = {}
            vocabulary = block.vocabulary
            for gram in block.analyzer(preprocessed[key]):
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            where = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if block.sublinear_tf:
                tf = np.log(tf) + 1.0
            if block.idf is not None:
                tf = tf * block.idf[where]
            if block.norm == "l2":
                length = np.sqrt(np.dot(tf, tf))
                tf = tf / length if length > 0 else tf
            elif block.norm == "l1":
                length = np.abs(tf).sum()
                tf = tf / length if length > 0 else tf
            indices.append(where + block.offset)
            values.append(tf * block.weight)
        if not indices:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float64)
        return np.concatenate(indices), np.concatenate(values)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """What `pipeline.decision_function(texts)` returns: (n, classes), or (n,) for a binary SVM."""
        out = np.empty((len(texts), self.coef.shape[1]), dtype=np.float64)
        for row, text in enumerate(texts):
            where, values = self._features(text)
            out[row] = values @ self.coef[where] + self.intercept
        return out.ravel() if self.coef.shape[1] == 1 else out
