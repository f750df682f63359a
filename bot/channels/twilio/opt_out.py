"""Opt-out keywords. Twilio's own (STOP, UNSUBSCRIBE, CANCEL, END, QUIT, STOPALL / START, YES, UNSTOP) work on SMS at
carrier level; the equivalents in the twelve languages are honoured here too, and on WhatsApp, where Twilio does not
handle them. A message that is only the keyword counts; "stop the bleeding" does not."""

from __future__ import annotations

import unicodedata

STOP = "stop"
START = "start"

# Twilio's default opt-out / opt-in keywords, then the twelve languages' everyday words (casefolded, no accents).
STOP_WORDS = frozenset({
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit",
    "koniec", "stopp", "anuluj", "renunt", "opreste", "parar", "pare", "cancelar",
    "توقف", "الغاء", "ايقاف", "توقف کن", "لغو", "بس", "بند کرو", "بند", "থামো", "বন্ধ", "ਬੰਦ", "ਰੁਕੋ", "jooji", "joojin",
    "ኣቋርጽ", "ደው በል", "стоп", "припинити", "відписатися",
})
START_WORDS = frozenset({"start", "yes", "unstop", "startuj", "porneste", "comecar", "ابدا", "شروع", "شروع کرو",
                         "শুরু", "ਸ਼ੁਰੂ", "bilow", "ጀምር", "старт", "почати"})


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("!", " ").replace(".", " ").split())


def keyword(body: str) -> str | None:
    """STOP or START when the whole message is an opt-out or opt-in keyword, else None."""
    word = _norm(body)
    if word in {_norm(w) for w in STOP_WORDS}:
        return STOP
    if word in {_norm(w) for w in START_WORDS}:
        return START
    return None
