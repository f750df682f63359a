"""A Presidio NLP engine on blank spaCy pipelines: tokens and stop words, and no statistical model.

Presidio's own engines load a trained spaCy model (for its named-entity recogniser); none can be downloaded here,
and none exists for Somali, Tigrinya or Punjabi anyway. Names are found by doula's own recognizers from lists and
context, so the engine only has to give Presidio what its interface needs: tokens (for context words) and
stop-word and punctuation tests. A language spaCy has no tokenizer for uses its multi-language one (`xx`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.language import Language

FALLBACK = "xx"


class BlankSpacyNlpEngine(NlpEngine):
    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(dict.fromkeys([*languages, FALLBACK]))
        self._pipelines: dict[str, Language] = {}

    def load(self) -> None:
        for language in self.languages:
            try:
                self._pipelines[language] = spacy.blank(language)
            except ImportError:  # spaCy has no tokenizer for this language (Somali, Punjabi)
                self._pipelines[language] = self._pipelines.get(FALLBACK) or spacy.blank(FALLBACK)

    def is_loaded(self) -> bool:
        return bool(self._pipelines)

    def pipeline(self, language: str) -> Language:
        if not self._pipelines:
            self.load()
        return self._pipelines.get(language) or self._pipelines[FALLBACK]

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        doc = self.pipeline(language)(text)
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],  # a blank pipeline has no lemmatiser
            nlp_engine=self,
            language=language,
        )

    def process_batch(self, texts: Iterable[str], language: str, batch_size: int = 1, n_process: int = 1,
                      **kwargs: object) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return self.pipeline(language).vocab[word].is_stop

    def is_punct(self, word: str, language: str) -> bool:
        return self.pipeline(language).vocab[word].is_punct

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return list(self.languages)
