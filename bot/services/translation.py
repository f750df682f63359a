"""Optional machine translation (``DOULA_TRANSLATOR``): staff replies in the console, and women who write in a language
without curated content (tier 2, :mod:`bot.gateway.translation` and :mod:`bot.services.machine_translation`).

Why it exists: a midwife who does not speak her language can still answer her, in writing, when no interpreter is
free; and a woman writing in Lithuanian or Turkish still gets the bot's curated English content, translated and
labelled as such, rather than nothing.

Why it is built this way:

- The provider is any deep-translator backend named in :data:`PROVIDERS`: Google (the public ``/m`` page, no key),
  LibreTranslate (which a trust can host itself, so no text leaves its network), MyMemory, Microsoft, DeepL.
  ``DOULA_TRANSLATOR_URL`` replaces the base URL (a self-hosted server, a regional endpoint, or the tests' loopback
  fake); ``DOULA_TRANSLATOR_KEY`` is the API key where one is needed.
- deep-translator calls ``requests`` without a timeout, so every call runs in a small thread pool and is abandoned
  after :data:`TIMEOUT_SECONDS`: a slow provider makes the console answer "translation failed", it never stalls the
  reply. At most :data:`MAX_CALLS` calls are in flight; the rest wait (and time out) rather than pile up threads.
- Every failure (timeout, HTTP error, an answer with no translation, an unsupported language) is one
  :class:`TranslationError`, so the console can refuse the reply and nothing half-translated reaches her.
- Staff replies are health information: the text is never logged (urllib3's DEBUG line of the request URL, which
  holds it as ``?q=``, is filtered out), and the errors raised here never quote it (deep-translator's own exceptions
  do, so they are not chained).
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import TYPE_CHECKING

from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator, MicrosoftTranslator, MyMemoryTranslator
from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

if TYPE_CHECKING:
    from bot.settings import Settings

logger = logging.getLogger(__name__)

PROVIDERS = ("google", "libre", "mymemory", "microsoft", "deepl")
TIMEOUT_SECONDS = 3.0
MAX_CALLS = 4
MAX_CHARS = 4999  # deep-translator refuses 5000 characters or more
# doula's language codes (content/languages) where the provider spells them differently.
GOOGLE_CODES: dict[str, str] = {"he": "iw", "zh": "zh-CN", "jv": "jw", "mni": "mni-Mtei"}
GOOGLE_SUPPORTED = frozenset(GOOGLE_LANGUAGES_TO_CODES.values())


class _NoQueryStrings(logging.Filter):
    """urllib3 logs each request's URL at DEBUG; for the translator that URL holds the reply (``?q=``): drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(isinstance(arg, str) and "q=" in arg and "?" in arg for arg in args)


def _quiet_urllib3() -> None:
    target = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(existing, _NoQueryStrings) for existing in target.filters):
        target.addFilter(_NoQueryStrings())


class TranslationError(Exception):
    """The text could not be machine-translated; the message says why without quoting the text."""


class Translator:
    """Translates staff replies with the configured provider (see the module docstring)."""

    def __init__(self, provider: str = "google", base_url: str = "", timeout: float = TIMEOUT_SECONDS,
                 api_key: str = "") -> None:
        if provider not in PROVIDERS:
            raise ValueError(f"unknown translator {provider!r}; known: {', '.join(PROVIDERS)}")
        self.provider = provider
        self.base_url = base_url.strip()
        self.api_key = api_key
        self.timeout = timeout
        _quiet_urllib3()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=MAX_CALLS, thread_name_prefix="translator")

    @classmethod
    def from_settings(cls, settings: Settings) -> Translator | None:
        """The deployment's translator, or None when ``DOULA_TRANSLATOR`` is unset."""
        if not settings.translator:
            return None
        return cls(settings.translator, settings.translator_url, api_key=settings.translator_key)

    def provider_code(self, language: str) -> str:
        """The provider's code of a doula language code; TranslationError if the provider does not support it.

        Google's list is known offline; the other providers' lists need a network call, so any code is tried and an
        unsupported one fails like any other error (and falls back the same way)."""
        if self.provider != "google":
            return language
        code = GOOGLE_CODES.get(language, language)
        if code not in GOOGLE_SUPPORTED:
            raise TranslationError(f"the translator does not support the language {language!r}")
        return code

    def supports(self, language: str) -> bool:
        try:
            self.provider_code(language)
        except TranslationError:
            return False
        return True

    def translate(self, text: str, source: str = "en", target: str = "en") -> str:
        """`text` translated from `source` into `target` (doula language codes), within the timeout.

        Raises TranslationError on timeout, HTTP error, an unsupported language, text too long, or an answer that
        holds no translation (empty, missing, or the text sent back unchanged)."""
        return self.translate_many([text], source, target)[0]

    def translate_many(self, texts: list[str], source: str = "en", target: str = "en",
                       allow_unchanged: bool = False) -> list[str]:
        """Each of `texts` translated, in parallel, all within one timeout: all of them, or TranslationError.
        A text sent back unchanged counts as a failure unless `allow_unchanged` (names, numbers, URLs)."""
        texts = [(text or "").strip() for text in texts]
        if not texts or not all(texts):
            raise TranslationError("nothing to translate")
        if any(len(text) > MAX_CHARS for text in texts):
            raise TranslationError(f"text too long for the translator (over {MAX_CHARS} characters)")
        source_code, target_code = self.provider_code(source), self.provider_code(target)
        if source_code == target_code:
            return texts
        futures = [self._pool.submit(self._call, text, source_code, target_code) for text in texts]
        done, pending = concurrent.futures.wait(futures, timeout=self.timeout)
        if pending:
            for future in pending:
                future.cancel()  # not started yet: never runs; already running: its answer is ignored
            logger.warning("machine translation %s->%s timed out after %.1f s", source_code, target_code,
                           self.timeout)
            raise TranslationError("the translator did not answer in time")
        results = []
        for text, future in zip(texts, futures, strict=True):
            error = future.exception()
            if isinstance(error, TranslationError):
                raise error
            if error is not None:  # requests' and deep-translator's errors; their messages may quote the text
                logger.warning("machine translation %s->%s failed: %s", source_code, target_code,
                               type(error).__name__)
                raise TranslationError(f"the translator failed ({type(error).__name__})")
            result = future.result()
            translated = result.strip() if isinstance(result, str) else ""
            if not translated or (translated.casefold() == text.casefold() and not allow_unchanged):
                logger.warning("machine translation %s->%s gave no translation", source_code, target_code)
                raise TranslationError("the translator gave no translation")
            results.append(translated)
        return results

    def _call(self, text: str, source: str, target: str) -> object:
        client = self._client(source, target)
        return client.translate(text)

    def _client(self, source: str, target: str) -> object:
        # A new client per call: deep-translator keeps per-call state (_url_params) on the instance.
        if self.provider == "libre":
            # deep-translator insists on a key; a self-hosted LibreTranslate without keys ignores it.
            return LibreTranslator(source=source, target=target, api_key=self.api_key or "none",
                                   use_free_api=not self.base_url,
                                   custom_url=f"{self.base_url}/" if self.base_url else None)
        if self.provider == "microsoft":
            client = MicrosoftTranslator(source=source, target=target, api_key=self.api_key)
        elif self.provider == "deepl":
            client = DeeplTranslator(source=source, target=target, api_key=self.api_key, use_free_api=True)
        elif self.provider == "mymemory":
            client = MyMemoryTranslator(source=source, target=target)
        else:
            client = GoogleTranslator(source=source, target=target)
        if self.base_url:
            client._base_url = self.base_url
        return client

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

