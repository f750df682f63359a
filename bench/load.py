"""Closed-loop load: N conversations, `concurrency` at a time; each is sequential (she waits for the whole reply, and
then `settle` seconds, before writing again), as women write.

The settle pause is what tells the product's last SMS part from a late one (see :mod:`.fake_twilio`); bare Rasa gets
the same pause after its HTTP answer, so both systems see the same client behaviour and the same offered load.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field

import aiohttp
from twilio.request_validator import RequestValidator

from bench.conversations import Conversation
from bench.fake_twilio import FakeTwilio
from bench.targets import PUBLIC_BASE_URL, TWILIO_SMS_NUMBER, TWILIO_TOKEN, TWILIO_WHATSAPP_NUMBER

TWILIO_WEBHOOK = "/webhooks/twilio/webhook"
REST_WEBHOOK = "/webhooks/rest/webhook"


@dataclass
class Result:
    conversations: int = 0
    messages: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    replies: int = 0  # messages the bot sent back (SMS parts for the product, REST messages for bare Rasa)
    late_replies: int = 0  # product: replies that came after their turn was counted as answered
    abandoned: int = 0  # turns not sent because an earlier turn of the conversation got no reply
    seconds: float = 0.0
    samples: list[tuple[str, list[str]]] = field(default_factory=list)  # (her text, replies) of the first turns
    failed: list[str] = field(default_factory=list)  # which turns failed: "conversation #n (kind, language) turn i"

    def error(self, kind: str, where: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if where:
            self.failed.append(f"{where}: {kind}")


class Driver:
    """Sends one turn and waits for its whole reply; returns (latency seconds, reply texts) or raises TurnError."""

    async def start(self, conversation: Conversation) -> object:
        return None

    async def turn(self, state: object, text: str) -> tuple[float, list[str]]:
        raise NotImplementedError


class TurnError(Exception):
    """A turn without a proper answer: its kind is counted in the errors column."""


class RestDriver(Driver):
    """Bare Rasa's REST channel: latency is request to response (the replies are in the response)."""

    def __init__(self, session: aiohttp.ClientSession, base: str, timeout: float) -> None:
        self.session, self.url, self.timeout = session, base + REST_WEBHOOK, timeout

    async def start(self, conversation: Conversation) -> object:
        return f"bench-{conversation.number}-{secrets.token_hex(4)}"

    async def turn(self, state: object, text: str) -> tuple[float, list[str]]:
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, json={"sender": state, "message": text},
                                         timeout=aiohttp.ClientTimeout(total=self.timeout)) as reply:
                body = await reply.json(content_type=None) if reply.status < 300 else None
                status = reply.status
        except asyncio.TimeoutError as error:
            raise TurnError("timeout") from error
        except aiohttp.ClientError as error:
            raise TurnError("connection") from error
        elapsed = time.perf_counter() - started
        if status >= 300:
            raise TurnError(f"http {status}")
        texts = [m.get("text") or "" for m in body or () if isinstance(m, dict)]
        if not texts:
            raise TurnError("no reply")
        return elapsed, texts


@dataclass
class _Phone:
    address: str
    own: str
    seen: int = 0


class TwilioDriver(Driver):
    """The product through signed Twilio webhooks; latency is webhook POST to the last reply at the fake API."""

    def __init__(self, session: aiohttp.ClientSession, base: str, fake: FakeTwilio, settle: float,
                 timeout: float) -> None:
        self.session, self.url, self.fake = session, base + TWILIO_WEBHOOK, fake
        self.settle, self.timeout = settle, timeout
        self.validator = RequestValidator(TWILIO_TOKEN)
        self.late = 0

    async def start(self, conversation: Conversation) -> object:
        number = f"+44770{conversation.number:07d}"
        if conversation.channel == "whatsapp":
            return _Phone("whatsapp:" + number, "whatsapp:" + TWILIO_WHATSAPP_NUMBER)
        return _Phone(number, TWILIO_SMS_NUMBER)

    async def turn(self, state: object, text: str) -> tuple[float, list[str]]:
        assert isinstance(state, _Phone)
        inbox = self.fake.inboxes[state.address]
        if len(inbox.times) > state.seen:  # parts of the previous turn that came after its settle window
            self.late += len(inbox.times) - state.seen
            state.seen = len(inbox.times)
        params = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "0" * 32, "From": state.address,
                  "To": state.own, "Body": text, "NumMedia": "0"}
        headers = {"X-Twilio-Signature": self.validator.compute_signature(PUBLIC_BASE_URL + TWILIO_WEBHOOK, params)}
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, data=params, headers=headers,
                                         timeout=aiohttp.ClientTimeout(total=self.timeout)) as reply:
                await reply.read()
                status = reply.status
        except asyncio.TimeoutError as error:
            raise TurnError("timeout") from error
        except aiohttp.ClientError as error:
            raise TurnError("connection") from error
        if status >= 300:
            raise TurnError(f"http {status}")
        remaining = self.timeout - (time.perf_counter() - started)
        count = await self.fake.wait_turn(state.address, state.seen, self.settle, max(0.0, remaining))
        if count == state.seen:
            raise TurnError("no reply")
        texts, last = inbox.bodies[state.seen:count], inbox.times[count - 1]
        state.seen = count
        return last - started, texts


async def run(driver: Driver, conversations: list[Conversation], concurrency: int, settle: float,
              samples: int = 0, progress_every: float = 0) -> Result:
    """Play `conversations`, `concurrency` at a time; the result's clock covers the whole set."""
    result = Result(conversations=len(conversations))
    queue: asyncio.Queue[Conversation] = asyncio.Queue()
    for conversation in conversations:
        queue.put_nowait(conversation)

    states: list[object] = []

    async def woman() -> None:
        while not queue.empty():
            conversation = queue.get_nowait()
            state = await driver.start(conversation)
            states.append(state)
            for index, text in enumerate(conversation.turns, start=1):
                result.messages += 1
                try:
                    elapsed, texts = await driver.turn(state, text)
                except TurnError as error:
                    result.error(str(error), f"conversation #{conversation.number} ({conversation.kind}, "
                                             f"{conversation.language}, {conversation.channel}) turn {index}")
                    if str(error) == "no reply":
                        # The bot is silent for her now (a handoff to a person pauses it): she would not go on.
                        result.abandoned += len(conversation.turns) - index
                        break
                    continue
                result.latencies_ms.append(elapsed * 1000)
                result.replies += len(texts)
                if len(result.samples) < samples:
                    result.samples.append((text, texts))
                if isinstance(driver, RestDriver):
                    await asyncio.sleep(settle)  # the product's driver spends the same pause settling

    async def progress() -> None:
        total = sum(len(c.turns) for c in conversations)
        while True:
            await asyncio.sleep(progress_every)
            print(f"    {result.messages}/{total} messages, {sum(result.errors.values())} errors", flush=True)

    started = time.perf_counter()
    reporter = asyncio.ensure_future(progress()) if progress_every else None
    await asyncio.gather(*(woman() for _ in range(min(concurrency, len(conversations)))))
    result.seconds = time.perf_counter() - started
    if reporter:
        reporter.cancel()
    if isinstance(driver, TwilioDriver):
        await asyncio.sleep(1.0)  # parts still in flight after the last turns
        for state in states:
            assert isinstance(state, _Phone)
            driver.late += len(driver.fake.inboxes[state.address].times) - state.seen
        result.late_replies = driver.late
    return result
