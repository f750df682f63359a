"""Digits typed in other scripts (Arabic-Indic ٢, Persian ۲, Bengali ২, Gurmukhi ੨, Devanagari २ ...) work in menus."""

from __future__ import annotations

import re
import unicodedata

# A menu choice: a number, optionally followed by a dot or bracket, alone in the message ("2", " 2. ", "٢", "(3)").
_CHOICE = re.compile(r"^\s*\(?\s*(\d{1,2})\s*[.)]?\s*$")


def to_ascii_digits(text: str) -> str:
    """Replace every Unicode decimal digit with its ASCII digit; other characters are kept as they are."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text)


def menu_choice(text: str) -> int | None:
    """The number she chose, if the message is only a number (in any script); otherwise None."""
    match = _CHOICE.match(to_ascii_digits(text or ""))
    return int(match.group(1)) if match else None
