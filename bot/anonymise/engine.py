"""The anonymiser: Presidio's AnalyzerEngine runs doula's recognizers, Presidio's AnonymizerEngine writes the
placeholders.

Digits typed in another script (٠-٩, ۰-۹, ০-৯, ੦-੯, ०-९, fullwidth ０-９) are made ASCII before the recognizers see the
text, and so are the spaces, hyphens and separators phones and keyboards put between digits (no-break and thin spaces,
non-breaking hyphens, the Arabic decimal and date separators "٫" "؍"), one character for one, so the spans they return
are spans of her own text, which is what is redacted and returned.
Findings that overlap are merged into one span of the most specific type (see `ENTITY_TYPES`), so that nothing of
either is left in the clear, and the result never holds two entities that overlap. Placeholders already in the text
are blanked before the recognizers run, so that redacting a redacted text finds nothing (the feedback store checks
exactly that before it keeps her words).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from bot.anonymise.entities import ENTITY_TYPES, PLACEHOLDERS, Entity, Redaction, placeholder
from bot.anonymise.nlp import BlankSpacyNlpEngine
from bot.anonymise.recognizers import ALL_LANGUAGES, build_recognizers
from bot.anonymise.resources import Resources
from bot.language.digits import to_ascii_digits

# Between digits, as the recognizers expect them: "07700\u00a0900123", "07700\u2011900123", "١٢٫٠٣٫١٩٩٠".
_SEPARATORS = str.maketrans({
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000", " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-"),
    "\u066b": ".", "\u066c": ",", "\u060d": "/", "\uff0f": "/", "\uff0e": ".",
})
MAX_PASSES = 3  # redact, then check the result; in practice the second pass finds nothing
_PRIORITY = {entity_type: rank for rank, entity_type in enumerate(ENTITY_TYPES)}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_OPERATORS = {t: OperatorConfig("replace", {"new_value": placeholder(t)}) for t in ENTITY_TYPES}


class Anonymiser:
    def __init__(self, resources: Resources) -> None:
        # Presidio announces each recognizer it loads at INFO; that is noise on `doula anonymise`'s stderr.
        logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
        self.languages = tuple(resources.languages)
        self.nlp_engine = BlankSpacyNlpEngine(self.languages)
        registry = RecognizerRegistry(recognizers=build_recognizers(resources), supported_languages=[ALL_LANGUAGES])
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=self.nlp_engine,
                                       supported_languages=[ALL_LANGUAGES])
        self.anonymizer = AnonymizerEngine()

    def find(self, text: str, language: str | None = None) -> tuple[Entity, ...]:
        """The entities of `text`, in order, never overlapping (offsets in `text`)."""
        if not text or not text.strip():
            return ()
        ascii_text = _PLACEHOLDER.sub(_inert, to_ascii_digits(text).translate(_SEPARATORS))
        # The hint only picks the tokenizer Presidio gives its context tools; every recognizer runs on every text.
        artifacts = self.nlp_engine.process_text(ascii_text, language if language in self.languages else "xx")
        results = self.analyzer.analyze(ascii_text, language=ALL_LANGUAGES, nlp_artifacts=artifacts)
        return merge(results)

    def redact(self, text: str, language: str | None = None) -> Redaction:
        """`text` with each entity replaced by its placeholder ("[NAME]", "[NHS_NUMBER]" ...).

        The result is a fixed point: redacting it again finds nothing. A placeholder can change what is around it
        ("Sarah12/03/1990" has no word "Sarah" until the date is replaced), so the redacted text is checked again
        and what is found there is added, in the original offsets, until nothing new is found."""
        entities = self.find(text, language)
        for _ in range(MAX_PASSES):
            if not entities:
                return Redaction(text, ())
            redacted = self._replace(text, entities)
            more = self.find(redacted, language)
            if not more:
                break
            entities = merge(
                [RecognizerResult(e.type, e.start, e.end, 1.0) for e in entities]
                + [RecognizerResult(e.type, *_original_span(e, entities, len(text)), 1.0) for e in more])
        return Redaction(self._replace(text, entities), entities)

    def _replace(self, text: str, entities: tuple[Entity, ...]) -> str:
        results = [RecognizerResult(e.type, e.start, e.end, 1.0) for e in entities]
        return self.anonymizer.anonymize(text=text, analyzer_results=results, operators=_OPERATORS,
                                         merge_entities_with_spaces=False).text


def _original_span(found: Entity, entities: tuple[Entity, ...], length: int) -> tuple[int, int]:
    """Where `found`, a span of the text redacted with `entities`, lies in the original text (a placeholder it
    touches stands for the whole entity)."""

    def back(position: int, is_end: bool) -> int:
        shift = 0  # original minus redacted offsets, up to here
        for entity in entities:
            start = entity.start - shift
            end = start + len(placeholder(entity.type))
            if position < start or (is_end and position == start):
                break
            if position < end or (is_end and position == end):
                return entity.end if is_end else entity.start
            shift += (entity.end - entity.start) - len(placeholder(entity.type))
        return min(position + shift, length)

    return back(found.start, False), back(found.end, True)


def _inert(placeholder_match: re.Match[str]) -> str:
    """A placeholder already in the text, blanked (same length) so that its words are no cue: "[PHONE] 07700" must
    not read as "phone 07700" when a redacted text is checked again."""
    return "[" + "_" * (len(placeholder_match.group()) - 2) + "]"


def merge(results: Iterable[RecognizerResult]) -> tuple[Entity, ...]:
    """Overlapping findings as one entity each: their union, typed by the highest-priority type among them."""
    merged: list[Entity] = []
    for result in sorted(results, key=lambda r: (r.start, -r.end)):
        if result.end <= result.start:
            continue
        if merged and result.start < merged[-1].end:
            last = merged[-1]
            kind = min((last.type, result.entity_type), key=_PRIORITY.__getitem__)
            merged[-1] = Entity(kind, last.start, max(last.end, result.end))
        else:
            merged.append(Entity(result.entity_type, result.start, result.end))
    return tuple(merged)
