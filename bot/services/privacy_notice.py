"""The short privacy notice, the words that delete her data, and what she is told afterwards, in her language:
`content/privacy/<lang>.yml`.

The notice is rendered from content and settings only: the retention periods come from DOULA_RETAIN_* (the numbers
that `doula retention run` applies), the link from DOULA_PRIVACY_URL, so what she is told cannot drift from what the
code does. A delete keyword is recognised only when it is the whole message ("DELETE", "usuń moje dane"), never
inside a sentence ("delete the scan appointment"), the same way bot/channels/twilio/opt_out.py treats STOP.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import ContentError, load_ui, read_yaml
from bot.content.messages import MessageSet
from bot.content.render import OutMessage
from bot.paths import CONTENT_DIR
from bot.settings import Settings

PRIVACY_DIR = "privacy"


def normalise(text: str) -> str:
    """A message or keyword for comparison: case folded, accents and Arabic diacritics removed, punctuation and
    invisible characters (ZWNJ, bidi marks) dropped, spaces collapsed. "Usuń moje dane!" == "usun moje dane"."""
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if unicodedata.combining(ch) or category == "Cf":
            continue
        kept.append(" " if category.startswith("P") or category == "Zs" else ch)
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class PrivacyTexts(MessageSet):
    """The privacy messages per language (see MessageSet), each file's delete keywords and notice version."""

    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> keywords as written
    versions: dict[str, int] = field(default_factory=dict)  # language -> the notice version its text translates

    @property
    def version(self) -> int:
        """The current notice version: the English original's. Translations must say the same (content check)."""
        return self.versions[self.default]

    @property
    def keyword_languages(self) -> dict[str, str]:
        """Normalised keyword -> its language (the first file that lists it, in file order)."""
        found: dict[str, str] = {}
        for language, words in self.keywords.items():
            for word in words:
                found.setdefault(normalise(word), language)
        return found

    def keyword_language(self, message: str, preferred: str | None = None) -> str | None:
        """The language of the delete keyword that `message` is in full, or None when it is not one. English words
        work in every language: for those (or any keyword her language also lists) `preferred`, her language, wins."""
        word = normalise(message)
        language = self.keyword_languages.get(word)
        if language is None:
            return None
        if preferred and (language == self.default or word in {normalise(w) for w in self.keywords.get(preferred, ())}):
            return self.language_for(preferred)
        return language

    def notice(self, language: str | None, settings: Settings) -> str:
        """The short notice in `language` (English when it has none), with the periods and link filled in."""
        full = (self.text(language, "full_notice", privacy_url=settings.privacy_url) if settings.privacy_url
                else self.text(language, "full_notice_ask"))
        return self.text(language, "notice", conversation_days=settings.retain_conversation_days,
                         handoff_days=settings.retain_handoff_days, full_notice=full)

    def confirmation(self, language: str | None, erased: bool) -> str:
        """What she is told after "DELETE": done, or that it failed and what to do."""
        return self.text(language, "deleted" if erased else "delete_failed")


def read_privacy_texts(content_dir: Path = CONTENT_DIR) -> PrivacyTexts:
    folder = Path(content_dir) / PRIVACY_DIR
    messages, keywords, versions = {}, {}, {}
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path)
        try:
            versions[path.stem] = int((data.get("meta") or {})["notice_version"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ContentError(f"{path}: meta.notice_version must be a whole number") from exc
        words = data.get("keywords") or []
        if not isinstance(words, list):
            raise ContentError(f"{path}: keywords must be a list")
        keywords[path.stem] = tuple(str(w) for w in words)
        messages[path.stem] = load_ui(path)
    if "en" not in messages:
        raise ContentError(f"{folder / 'en.yml'} is missing")
    return PrivacyTexts(messages, keywords=keywords, versions=versions)


@lru_cache(maxsize=2)
def load_privacy_texts(content_dir: Path = CONTENT_DIR) -> PrivacyTexts:
    return read_privacy_texts(content_dir)


def with_notice(messages: list[OutMessage], notice: str, greeting: str) -> list[OutMessage]:
    """`messages` with the notice added: to the message that introduces the bot (the greeting: "an automated
    assistant", then what happens to her messages, in one block), or as the first message when this reply has no
    greeting (the notice changed since she was introduced)."""
    for index, message in enumerate(messages):
        if greeting and greeting in message.text:
            joined = OutMessage(f"{message.text}\n\n{notice}", message.buttons)
            return [*messages[:index], joined, *messages[index + 1:]]
    return [OutMessage(notice), *messages]
