"""Which language to answer in.

Her explicit choice (from the language menu) wins until she changes it. Otherwise a confident detection of the latest
message in a curated language wins, so a woman who starts in Polish is answered in Polish without being asked.
Short replies ("1", "ok") are never detected (see :mod:`bot.language.detect`), so they never switch the language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.catalog import Catalog


@dataclass(frozen=True)
class LanguageDecision:
    language: str
    known: bool  # False: nothing tells us her language yet, so the reply should offer the language menu
    changed: bool  # True: differs from the `language` slot, so the reply should say how to change it


def decide(
    catalog: Catalog, slot_language: str | None, chosen: bool, detected: str | None
) -> LanguageDecision:
    curated = catalog.curated_languages
    current = slot_language if slot_language in curated else None
    if chosen and current:
        return LanguageDecision(current, known=True, changed=False)
    if detected in curated:
        return LanguageDecision(detected, known=True, changed=detected != current)
    if current:
        return LanguageDecision(current, known=True, changed=False)
    return LanguageDecision(catalog.default_language, known=False, changed=False)
