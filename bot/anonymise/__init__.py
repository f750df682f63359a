"""Anonymisation of free text before it is stored: her words, in any of the languages served, with every name,
NHS number, phone number, e-mail, postcode, full date, hospital number and street address replaced by a typed
placeholder ("my midwife [NAME] was kind").

Built the way Presidio is: a registry of small recognizers behind one interface (:mod:`.recognizers`), run by
Presidio's AnalyzerEngine on a blank-spaCy NLP engine (:mod:`.nlp`), with the placeholders written by Presidio's
AnonymizerEngine (:mod:`.engine`). The word lists are content (`content/anonymise/`); `doula eval anonymise`
measures it (:mod:`.evaluation`) and `doula anonymise` redacts lines or JSON lines.

    >>> from bot.anonymise import anonymiser
    >>> anonymiser().redact("Dr Khan called me on 07700 900123", "en").text
    'Dr [NAME] called me on [PHONE]'
"""

from __future__ import annotations

from functools import lru_cache

from bot.anonymise.engine import Anonymiser
from bot.anonymise.entities import ENTITY_TYPES, PLACEHOLDERS, Entity, Redaction
from bot.anonymise.resources import load_resources


@lru_cache(maxsize=1)
def anonymiser() -> Anonymiser:
    """The process's anonymiser, built once from `content/anonymise/` (building it loads spaCy and Presidio)."""
    return Anonymiser(load_resources())


__all__ = ["ENTITY_TYPES", "PLACEHOLDERS", "Anonymiser", "Entity", "Redaction", "anonymiser"]
