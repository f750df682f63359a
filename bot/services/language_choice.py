"""Which language to answer in.

Her explicit choice (from the language menu) wins until she changes it. Otherwise a confident detection of the latest
message in a curated language wins, so a woman who starts in Polish is answered in Polish without being asked.
Short replies ("1", "ok") are never detected (see :mod:`bot.language.detect`), so they never switch the language.

A message the gateway machine-translated (tier 2: a language without curated content, a translator configured) makes
that language hers: she is answered in English content, machine-translated back. It stays hers while her messages
say nothing else (a menu number); a message in a curated language switches to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.catalog import Catalog


@dataclass(frozen=True)
class LanguageDecision:
    language: str
    known: bool  # False: nothing tells us her language yet, so the reply should offer the language menu
    changed: bool  # True: differs from the `language` slot, so the reply should say how to change it
    machine: bool = False  # True: a language without curated content, answered by machine translation (tier 2)


def decide(
    catalog: Catalog, slot_language: str | None, chosen: bool, detected: str | None,
    translated_from: str | None = None,
) -> LanguageDecision:
    curated = catalog.curated_languages
    if translated_from and translated_from not in curated:
        return LanguageDecision(translated_from, known=True, changed=translated_from != slot_language, machine=True)
    if slot_language and slot_language not in curated and not chosen and detected is None:
        return LanguageDecision(slot_language, known=True, changed=False, machine=True)
    current = slot_language if slot_language in curated else None
    if chosen and current:
        return LanguageDecision(current, known=True, changed=False)
    if detected in curated:
        return LanguageDecision(detected, known=True, changed=detected != current)
    if current:
        return LanguageDecision(current, known=True, changed=False)
    return LanguageDecision(catalog.default_language, known=False, changed=False)
