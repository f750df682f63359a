"""The console's background worker: nothing waiting on a handoff is left to chance.

Every few seconds it
1. escalates requests not claimed by their due time (once each; the escalation list is told);
2. delivers queued messages to her on SMS, WhatsApp and Telegram;
3. sends due staff notifications, retrying failed ones with growing delays.

A notification counts as sent when at least one of its notifiers delivered it (staff were told); when every notifier
fails it is retried, up to a limit after which the console shows it to admins as failed. Several workers (one per
console process) may run at once: escalation is idempotent, and a delivery is marked before the next pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.content.catalog import load_catalog
from bot.services.handoff.delivery import Deliverer
from bot.services.handoff.desk import HandoffDesk, Notification
from bot.services.handoff.notifiers import Notice, Notifier, NotifyError, notifiers_for
from bot.settings import Settings

logger = logging.getLogger(__name__)


class HandoffWorker:
    def __init__(self, settings: Settings, desk: HandoffDesk, deliverer: Deliverer | None = None,
                 notifiers: Callable[[Settings, str], list[Notifier]] = notifiers_for) -> None:
        self.settings = settings
        self.desk = desk
        self.deliverer = deliverer or Deliverer(settings, desk)
        self.notifiers = notifiers

    @classmethod
    def from_settings(cls, settings: Settings) -> HandoffWorker:
        return cls(settings, HandoffDesk.from_settings(settings))

    async def run_once(self) -> None:
        escalated = await asyncio.to_thread(self.desk.escalate_overdue)
        for request in escalated:
            logger.warning("handoff request %s not claimed in time: escalated", request.id)
        await self.deliverer.deliver_pending()
        for notification in await asyncio.to_thread(self.desk.due_notifications):
            await self.notify(notification)

    async def run_forever(self, interval: float = 2.0) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bad pass must not stop the next one (the database may be back in a second)
                logger.exception("handoff worker pass failed")
            await asyncio.sleep(interval)

    def notice(self, notification: Notification) -> Notice | None:
        request = self.desk.get(notification.request_id)
        if request is None:
            return None
        languages = load_catalog().languages
        name = languages[request.language].name if request.language in languages else request.language
        return Notice(kind=notification.kind, request_id=request.id, language=request.language, language_name=name,
                      reason=request.reason, channel=request.channel, created_at=request.created_at,
                      due_at=request.due_at, console_url=f"{self.settings.console_url}/#/requests/{request.id}",
                      timezone=self.settings.timezone)

    async def notify(self, notification: Notification) -> None:
        notice = await asyncio.to_thread(self.notice, notification)
        notifiers = self.notifiers(self.settings, notification.kind) if notice else []
        errors = []
        for notifier in notifiers:
            try:
                await notifier.send(notice)
            except NotifyError as exc:
                errors.append(f"{notifier.name}: {exc}")
                logger.warning("notification %s by %s failed", notification.id, notifier.name)
        failed = bool(notifiers) and len(errors) == len(notifiers)
        await asyncio.to_thread(self.desk.notification_done, notification.id, "; ".join(errors) if failed else None)
