"""A loopback fake of Twilio's Messages API that times each reply, served from the benchmark's own event loop.

The product answers the webhook at once with empty TwiML and sends her replies through this API in the background,
so the webhook's response time would flatter it: a turn's latency runs from the webhook POST to the arrival here of
the last reply of that turn. Which reply is the last is not announced (SMS replies are split into parts server-side),
so a turn counts as answered when the webhook has returned, at least one reply has arrived, and no further reply
arrives within a settle window; its latency is the arrival time of that last reply, not the end of the window.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from aiohttp import web


@dataclass
class Inbox:
    """Messages to one address: arrival times (perf_counter) and bodies, and an event set on every arrival."""

    times: list[float] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class FakeTwilio:
    def __init__(self) -> None:
        self.inboxes: dict[str, Inbox] = defaultdict(Inbox)
        self.requests = 0
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._message)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _message(self, request: web.Request) -> web.Response:
        arrived = time.perf_counter()
        form = {k: v[0] for k, v in parse_qs(await request.text()).items()}
        self.requests += 1
        inbox = self.inboxes[form.get("To", "")]
        inbox.times.append(arrived)
        inbox.bodies.append(form.get("Body", ""))
        inbox.arrived.set()
        return web.json_response(status=201, data={
            "sid": "SM" + uuid.uuid4().hex, "status": "queued", "body": form.get("Body"), "to": form.get("To"),
            "from": form.get("From"), "account_sid": request.match_info["sid"]})

    async def wait_turn(self, address: str, seen: int, settle: float, timeout: float) -> int:
        """Wait until `address` has more than `seen` messages and none arrives for `settle` seconds (or `timeout`
        runs out). Returns the message count then."""
        inbox = self.inboxes[address]
        deadline = time.perf_counter() + timeout
        while True:
            inbox.arrived.clear()
            count = len(inbox.times)
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return count
            wait = min(settle, remaining) if count > seen else remaining
            try:
                await asyncio.wait_for(inbox.arrived.wait(), wait)
            except asyncio.TimeoutError:
                if count > seen:
                    return count
