"""Per-sender (and per-client-address) rate limiting for the channels.

Why: a script, a stuck phone or a malicious client can send hundreds of messages a minute; each one costs Rasa, the
database and, on Twilio, money, and can starve the conversations of other women. So every channel admits at most
``DOULA_RATE_LIMIT`` messages per pseudonymous sender (a token bucket: short bursts are fine, a sustained flood is
not), and the unauthenticated browser-facing channels (web chat, REST) also at most ``DOULA_RATE_LIMIT_IP`` per
client address, since their sender id is chosen by the client and can be changed at will.

Safety first, and nothing silently lost:

* a message that names a red-flag symptom is **never** throttled (the lexicon detector is cheap);
* web chat and REST get HTTP 429 with ``Retry-After`` and a JSON error saying so, so the client knows;
* Twilio and Telegram must get 200 (else they retry and the flood grows), so she gets one short message per window,
  in her language (``content/security/messages/``), saying to slow down and whom to call if it is urgent;
* the log gets a count, never an id, a number or the text.

The buckets live in process memory, bounded (least recently used senders are forgotten first). With several Rasa
processes each has its own buckets, so the effective limit is the per-process limit times the number of processes
(see docs/security.md).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import ContentError, load_ui
from bot.content.messages import MessageSet
from bot.paths import CONTENT_DIR
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_KEYS = 20_000  # senders remembered per limiter: about 2 MB at most
SECURITY_DIR = "security"
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|\s)\s*(\d+)\s*s?\s*$")
_OFF = ("", "0", "off", "none")


@dataclass(frozen=True)
class Rate:
    """`count` messages per `seconds` (the bucket holds `count`, and refills at `count / seconds` per second)."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``"30/60s"``, ``"30/60"`` or ``"30 60"``; ``"off"`` (or ``0``) is no limit (None). ValueError otherwise."""
        if text.strip().lower() in _OFF:
            return None
        match = _RATE.match(text)
        if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
            raise ValueError(f"a rate is '<messages>/<seconds>s' such as '30/60s', or 'off'; got {text!r}")
        return cls(int(match.group(1)), float(match.group(2)))

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}s"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # whole seconds until one more message would be admitted
    first_refusal: bool = False  # the first refusal of this key in this window: time to tell her once


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned_until: float = 0.0


class RateLimiter:
    """Token buckets per key, at most `max_keys` of them (least recently used forgotten first). Thread-safe."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.rate, self.clock, self.max_keys = rate, clock, max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def hit(self, key: str) -> Decision:
        """Take one message's token from `key`'s bucket, if there is one."""
        now = self.clock()
        per_second = self.rate.count / self.rate.seconds
        with self._lock:
            bucket = self._buckets.pop(key, None)
            if bucket is None:
                bucket = _Bucket(float(self.rate.count), now)
            else:
                bucket.tokens = min(float(self.rate.count), bucket.tokens + (now - bucket.updated) * per_second)
                bucket.updated = now
            self._buckets[key] = bucket  # most recently used at the end
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return Decision(True)
            retry_after = max(1, int((1.0 - bucket.tokens) / per_second + 0.999))
            first = now >= bucket.warned_until
            if first:
                bucket.warned_until = now + self.rate.seconds
            return Decision(False, retry_after, first)


# -- what she is told ------------------------------------------------------------------------------------------------
def read_security_texts(content_dir: Path = CONTENT_DIR) -> MessageSet:
    folder = content_dir / SECURITY_DIR / "messages"
    messages = {path.stem: load_ui(path) for path in sorted(folder.glob("*.yml"))}
    if "en" not in messages:
        raise ContentError(f"{folder}/en.yml is missing")
    return MessageSet(messages=messages)


@lru_cache(maxsize=2)
def load_security_texts(content_dir: Path = CONTENT_DIR) -> MessageSet:
    return read_security_texts(content_dir)


def slow_down_text(text: str | None, triage_phone: str) -> str:
    """"You are sending messages very fast ..." plus the urgent numbers, in the language `text` is written in (the
    default language when that cannot be told)."""
    from bot.content.catalog import load_catalog
    from bot.nlu.language import language_detector
    from bot.services.handoff.texts import load_handoff_texts

    catalog = load_catalog()
    detection = language_detector(catalog).detect(text or "") if text else None
    language = detection.language if detection and detection.language in catalog.languages else None
    texts = load_security_texts()
    return f"{texts.text(language, 'rate_limited')} {load_handoff_texts().urgent_meanwhile(language, triage_phone)}"


def _red_flag(text: str | None) -> bool:
    if not text:
        return False
    from bot.safety.catalog import load_safety

    return load_safety().detector.detect(text).flagged


# -- what a channel uses ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    tell_her: bool = False  # Twilio/Telegram: send her the slow-down message (once per window)


class Throttle:
    """One channel's limits: per sender, and optionally per client address."""

    def __init__(self, channel: str, per_sender: Rate | None, per_address: Rate | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.channel = channel
        self.senders = RateLimiter(per_sender, clock) if per_sender else None
        self.addresses = RateLimiter(per_address, clock) if per_address else None
        self.refused = 0  # messages refused by this process since it started (logged, never with an id)

    @classmethod
    def from_settings(cls, channel: str, settings: Settings, by_address: bool = False) -> Throttle:
        return cls(channel, Rate.parse(settings.rate_limit), Rate.parse(settings.rate_limit_ip) if by_address else None)

    def admit(self, sender: str, text: str | None, address: str | None = None) -> Verdict:
        """Whether to handle this message. A red-flag message always is (it still counts towards the limit)."""
        decisions = []
        if self.addresses is not None and address:
            decisions.append(self.addresses.hit(address))
        if self.senders is not None:
            decisions.append(self.senders.hit(sender))
        refused = [d for d in decisions if not d.allowed]
        if not refused or _red_flag(text):
            return Verdict(True)
        self.refused += 1
        first = any(d.first_refusal for d in refused)
        if first:
            logger.warning("%s: a sender is over the rate limit (%d message(s) refused by this process so far)",
                           self.channel, self.refused)
        return Verdict(False, max(d.retry_after for d in refused), tell_her=first)


def client_address(request) -> str:
    """The client's address as Sanic sees it (the proxy's forwarded address when Sanic is told to trust it)."""
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "")
