"""Sends replies through the twilio REST client without blocking Rasa's event loop.

Retries when Twilio did not take the message (429 Too Many Requests, 5xx, connection refused), with backoff; never
after a read timeout, when the message may already have been accepted: a duplicate SMS is worse than a late one, and
the failure is logged (without the text or the number) for the status report.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class SendResult:
    ok: bool
    sid: str | None = None
    attempts: int = 0
    error: str | None = None


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, api_url: str = "", status_callback: str = "",
                 timeout: float = 10.0, attempts: int = 3, backoff: float = 0.5) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_url = api_url
        self.status_callback = status_callback
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff

    def _client(self) -> Client:
        # One client per send batch: the aiohttp session belongs to the running event loop.
        http_client = AsyncTwilioHttpClient(timeout=self.timeout)
        client = Client(self.account_sid, self.auth_token, http_client=http_client)
        if self.api_url:  # a self-hosted gateway, or the loopback fake in the tests
            client.api.base_url = self.api_url
        return client

    async def send_all(self, sender: str, to: str, bodies: list[str]) -> list[SendResult]:
        """Send `bodies` in order from `sender` to `to`; stop at the first one that fails for good."""
        client = self._client()
        results = []
        try:
            for body in bodies:
                result = await self._send(client, sender, to, body)
                results.append(result)
                if not result.ok:
                    break
        finally:
            await client.http_client.close()
        return results

    async def send_template(self, sender: str, to: str, content_sid: str, variables: str) -> SendResult:
        """Send an approved template (WhatsApp outside the 24-hour window) with its variables (JSON)."""
        client = self._client()
        try:
            return await self._send(client, sender, to, content_sid=content_sid, content_variables=variables)
        finally:
            await client.http_client.close()

    async def _send(self, client: Client, sender: str, to: str, body: str | None = None, **content: str) -> SendResult:
        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        extra.update({"body": body} if body is not None else content)
        for attempt in range(1, self.attempts + 1):
            try:
                message = await client.messages.create_async(from_=sender, to=to, **extra)
                return SendResult(True, message.sid, attempt)
            except TwilioRestException as exc:
                error, retry = f"HTTP {exc.status} (Twilio code {exc.code})", exc.status in RETRY_STATUSES
            except aiohttp.ClientConnectorError as exc:
                error, retry = f"connection failed ({type(exc).__name__})", True
            except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
                error, retry = f"no answer ({type(exc).__name__}); not retried, it may have been sent", False
            if not retry or attempt == self.attempts:
                logger.warning("twilio send failed after %d attempt(s): %s", attempt, error)
                return SendResult(False, None, attempt, error)
            await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        return SendResult(False, None, self.attempts, "unreachable")
