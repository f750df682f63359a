"""Tier 2: the bot's curated English replies, machine-translated into a language that has no curated content.

A woman who writes in Lithuanian or Turkish is understood through a translation of her message into English
(:mod:`bot.gateway.translation`); the conversation handlers answer her in English from `content/`, and this module
translates that answer into her language before it is sent. Every translated reply starts with a notice, in her
language, that it is an automatic translation and that she can ask for an interpreter at any time
(`content/translation/notice.yml`, pre-written for the languages women here write in; machine-translated, with the
English beside it, for any other).

What is never machine-translated here: urgent advice (the red-flag reply has a pre-written message in her language and
the English advice, see :mod:`bot.services.red_flags`) and the handoff notices (pre-written, see
:mod:`bot.services.handoff.texts`).

Translations of the bot's own texts are cached in the database (:mod:`bot.storage.translations`), so each text goes
to the provider once. A failure (timeout, error) raises TranslationError at once: the action then falls back to the
interpreter path with the pre-written tier-3 message.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.content.catalog import read_yaml
from bot.content.render import Button, OutMessage
from bot.paths import CONTENT_DIR
from bot.services.translation import TranslationError, Translator
from bot.storage import translations as cache

NOTICE_FILE = Path("translation") / "notice.yml"


def read_notices(content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """language -> the pre-written "automatic translation" notice."""
    data = read_yaml(content_dir / NOTICE_FILE)
    return {str(code): str(text).strip() for code, text in (data.get("messages") or {}).items()}


class ReplyTranslator:
    """Translates replies from `source` (the default language) into a tier-2 language, with a cache."""

    def __init__(self, translator: Translator, engine: Engine | None, notices: dict[str, str],
                 source: str = "en") -> None:
        self.translator = translator
        self.engine = engine
        self.notices = notices
        self.source = source

    def supports(self, language: str | None) -> bool:
        return bool(language) and language != self.source and self.translator.supports(language)

    def translate(self, messages: list[OutMessage], target: str) -> list[OutMessage]:
        """`messages` in `target`, the notice first; TranslationError if any part cannot be translated in time."""
        # Button titles travel as one text per message (one line each), so a menu costs one call, not one per option.
        titles = ["\n".join(b.title for b in m.buttons) for m in messages if m.buttons]
        wanted = [m.text for m in messages] + titles
        notice = self.notices.get(target)
        if notice is None:
            wanted.append(self.notices[self.source])
        done = self._translate(wanted, target)
        out = []
        for message in messages:
            buttons = message.buttons
            if buttons:
                lines = done["\n".join(b.title for b in buttons)].split("\n")
                if len(lines) == len(buttons):
                    buttons = tuple(Button(title.strip() or b.title, b.payload) for title, b in zip(lines, buttons,
                                                                                                   strict=True))
                else:  # the provider merged lines: numbers alone still work on every channel
                    buttons = tuple(Button(b.payload, b.payload) for b in buttons)
            out.append(replace(message, text=done[message.text], buttons=buttons))
        if notice is None:
            english = self.notices[self.source]
            notice = f"{done[english]}\n({english})"
        if out:
            out[0] = replace(out[0], text=f"{notice}\n\n{out[0].text}")
        return out

    def _translate(self, texts: list[str], target: str) -> dict[str, str]:
        unique = [t for t in dict.fromkeys(texts) if t.strip()]
        keys = {t: cache.cache_key(self.translator.provider, self.source, target, t) for t in unique}
        found = cache.lookup(self.engine, list(keys.values())) if self.engine is not None else {}
        result = {t: found[k] for t, k in keys.items() if k in found}
        missing = [t for t in unique if t not in result]
        if missing:
            # Names, numbers and addresses (a citation, a URL) may rightly come back unchanged.
            translated = self.translator.translate_many(missing, self.source, target, allow_unchanged=True)
            for text, value in zip(missing, translated, strict=True):
                result[text] = value
                if self.engine is not None:
                    cache.store(self.engine, keys[text], self.translator.provider, self.source, target, value)
        for text in texts:
            result.setdefault(text, text)
        return result


__all__ = ["ReplyTranslator", "TranslationError", "read_notices"]
