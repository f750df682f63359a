"""Input hygiene for text arriving from any channel.

What arrives from a phone can be anything: control characters, invisible bidi overrides (which can make text read
differently in the staff console), a leading "/" (which Rasa would treat as a command and skip understanding, and with
it every safety check), or a pasted essay. :func:`clean` makes it safe and says what it did, so the bot can tell her.
A pasted essay is cut, but never its urgent part: sentences of the cut-off tail that name a red-flag symptom are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width joiner / non-joiner are part of correct spelling in Persian, Urdu and Indic scripts: keep them.
_KEEP_FORMAT = {"\u200c", "\u200d"}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?\n؟۔।።])\s*")


@dataclass(frozen=True)
class Inbound:
    text: str
    truncated: bool = False


def _allowed(ch: str) -> bool:
    if ch == "\n":
        return True
    category = unicodedata.category(ch)
    if category == "Cc":  # control characters (tabs and returns were turned into spaces/newlines before)
        return False
    if category == "Cf":  # format characters: bidi overrides, zero-width spaces ...
        return ch in _KEEP_FORMAT
    return category not in ("Cs", "Co", "Cn")  # surrogates, private use, unassigned


def clean(text: str | None, max_chars: int) -> Inbound:
    """Normalise `text` (NFC), drop control and format characters, neutralise a leading '/', cut to `max_chars`."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if _allowed(ch))
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()
    # Rasa reads "/intent" as a command that bypasses NLU (and so the safety checks): never let her text start so.
    text = text.lstrip("/").lstrip()
    if len(text) <= max_chars:
        return Inbound(text)
    urgent = _urgent_sentences(text[max_chars // 2:], max_chars // 2)
    room = max_chars - len(urgent) - 3 if urgent else max_chars
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room * 0.8:
        cut = cut[:space]
    cut = cut.rstrip()
    return Inbound(f"{cut} … {urgent}" if urgent else cut, truncated=True)


def _urgent_sentences(text: str, limit: int) -> str:
    """The sentences of `text` that name a red-flag symptom, up to `limit` characters."""
    from bot.safety.catalog import load_safety  # lazy: loading the lexicons is only needed for long messages

    detector = load_safety().detector
    kept = [s.strip() for s in _SENTENCE_END.split(text) if s.strip() and detector.detect(s).flagged]
    return " ".join(kept)[:limit]
