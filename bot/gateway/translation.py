"""The gateway's machine translation of her message (tier 2), before Rasa sees it.

When she writes in a language with no curated content (Lithuanian, Turkish, French ...) and a translator is
configured (``DOULA_TRANSLATOR``), her message is translated into English here, so that the one multilingual model,
the red-flag lexicons (English catches what Lithuanian has no lexicon for) and the handlers understand it. The
metadata says so (``{"translation": {"from": "lt"}}``); the actions then answer in English content translated back,
marked as an automatic translation (:mod:`bot.services.machine_translation`).

Why here and not in the NLU pipeline: a translation is a network call of up to 3 seconds. The channels await it in a
worker thread, off Rasa's event loop; a Rasa graph component would block every other conversation meanwhile.

When the translator fails or is too slow, the original text goes on with ``{"translation": {"from": "lt",
"failed": true}}``, and the bot falls back at once to the interpreter path (tier 3). Nothing of her text is logged or
cached.
"""

from __future__ import annotations

import asyncio
import logging
from functools import cached_property

from bot.content.catalog import load_catalog
from bot.language.detect import MIN_OTHER_LEAD, Detection, LanguageDetector
from bot.services.translation import TranslationError, Translator
from bot.settings import Settings

logger = logging.getLogger(__name__)

TRANSLATION_METADATA = "translation"
# A language without content is only returned by the detector when lingua is sure of it (0.7), or fairly sure and far
# ahead of every curated language (bot.language.detect): its decision is trusted; below that floor, nothing is.
MIN_CONFIDENCE = MIN_OTHER_LEAD[0]


class TranslationGate:
    """Translates messages in tier-2 languages into English; a no-op when no translator is configured."""

    def __init__(self, settings: Settings, translator: Translator | None = None,
                 detector: LanguageDetector | None = None) -> None:
        self.settings = settings
        self._translator = translator
        self._detector = detector

    @cached_property
    def translator(self) -> Translator | None:
        return self._translator or Translator.from_settings(self.settings)

    @cached_property
    def detector(self) -> LanguageDetector:
        if self._detector is not None:
            return self._detector
        from bot.nlu.language import language_detector  # the NLU's own detector: one view of her language

        return language_detector(load_catalog())

    def tier2_language(self, text: str) -> Detection | None:
        """The detected language of `text` when it is one to machine-translate, else None."""
        if self.translator is None:
            return None
        detection = self.detector.detect(text)
        if detection is None or detection.language in load_catalog().languages:
            return None
        if detection.method == "lingua" and detection.confidence < MIN_CONFIDENCE:
            return None
        return detection if self.translator.supports(detection.language) else None

    async def inbound(self, text: str, paused: bool = False) -> tuple[str, dict]:
        """(text for Rasa, metadata to add). While a person has her conversation (`paused`), staff read her own
        words, so nothing is translated."""
        if paused or not text:
            return text, {}
        detection = self.tier2_language(text)
        if detection is None:
            return text, {}
        source = detection.language
        try:
            english = await asyncio.to_thread(self.translator.translate, text, source, load_catalog().default_language)
        except TranslationError as exc:
            logger.warning("her message (%s) could not be machine-translated: %s", source, exc)
            return text, {TRANSLATION_METADATA: {"from": source, "failed": True}}
        return english, {TRANSLATION_METADATA: {"from": source}}
