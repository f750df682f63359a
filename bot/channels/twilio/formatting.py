"""Replies shaped for the phone: SMS is split on sentence boundaries into messages of at most a few segments each,
counting GSM-7 and UCS-2 correctly (an Arabic or Bengali reply fits far fewer characters); WhatsApp gets its own
formatting. Numbered menus are already in the text, so nothing else is needed for them."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.content.sms import segments

_SENTENCE = re.compile(r"(?<=[.!?؟۔।።])\s+|\n+")
_HEADING_MAX = 60


def _pack(pieces: list[str], fits: Callable[[str], bool], joiner: str) -> list[str]:
    """Greedily join `pieces` with `joiner` into as few parts as `fits` allows; a piece too long on its own is
    packed word by word."""
    parts: list[str] = []
    current = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        candidate = f"{current}{joiner}{piece}" if current else piece
        if fits(candidate):
            current = candidate
            continue
        if current:
            parts.append(current)
        if fits(piece):
            current = piece
            continue
        words = _pack(piece.split(" "), fits, " ") if " " in piece else [piece]
        parts += words[:-1]
        current = words[-1]
    if current:
        parts.append(current)
    return parts


def sms_parts(text: str, max_segments: int) -> list[str]:
    """`text` as a list of SMS bodies, each at most `max_segments` segments, cut between sentences (or, for a single
    overlong sentence, between words)."""
    return _pack(_SENTENCE.split(text), lambda part: segments(part) <= max_segments, "\n")


def whatsapp_parts(text: str, max_chars: int) -> list[str]:
    """`text` in WhatsApp messages of at most `max_chars` characters, cut between lines (or words)."""
    return _pack(text.split("\n"), lambda part: len(part) <= max_chars, "\n")


def whatsapp_text(text: str) -> str:
    """WhatsApp: a short first line ending in ":" (the urgent heading, a menu prompt) in bold."""
    first, newline, rest = text.partition("\n")
    if first.endswith(":") and len(first) <= _HEADING_MAX and "*" not in first:
        first = f"*{first}*"
    return first + newline + rest
