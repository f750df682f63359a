"""The bot's side of a handoff: open a request and tell her what happens next; pass on what she writes meanwhile.

What she is told when a request opens, in her language (content/handoff/messages/<lang>.yml):

* that it is an automated message, and that the maternity team will reply here, with an interpreter if needed;
* how long she should expect to wait: "within 30 minutes" in working hours, "after 09:00 on 27/11/2026" outside them,
  and the working hours themselves ("Mon–Fri 09:00–17:00", with her language's day names);
* the urgent numbers in the meantime (the trust's triage line, 999);
* that staff will read what she sends until the conversation is finished;
* the translation status of these texts (machine-drafted or reviewed), as every translated text is marked.

For a language with no full message set but a pre-written "tier 3" message (content/handoff/interpreter_generic.yml),
that message comes first, in her language, followed by the details in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.catalog import SafetyCatalog
from bot.services.handoff.desk import HandoffDesk
from bot.services.handoff.texts import HandoffTexts

# Stored in place of a voice note or picture, which doula cannot pass on (the console explains it to staff).
MEDIA_MARKER = "[media]"


@dataclass
class Relayed:
    """What happened to a message she sent while paused."""

    messages: list[str]  # what to tell her now (often nothing: she is talking to a person)
    passed_on: bool  # False when the request was closed meanwhile: the bot has taken over again


class HandoffAssistant:
    def __init__(self, desk: HandoffDesk, texts: HandoffTexts, safety: SafetyCatalog, triage_phone: str = "") -> None:
        self.desk = desk
        self.texts = texts
        self.safety = safety
        self.triage_phone = triage_phone

    def language_for(self, chosen: str | None, detected: str | None, current: str | None) -> str:
        """Her choice, else the language she writes in when we have handoff texts for it, else the conversation's."""
        known = set(self.texts.messages) | set(self.texts.generic)
        for language in (chosen, detected, current):
            if language and language in known:
                return language
        return self.texts.default

    def _status_line(self, language: str) -> str | None:
        status = self.texts.status(language)
        if status not in ("machine-drafted", "reviewed"):
            return None
        advice = self.safety.advice.get(self.texts.language_for(language))
        return advice.messages.get(f"status.{status.replace('-', '_')}") if advice else None

    def request(self, sender_id: str, channel: str, language: str, reason: str, summary: str = "") -> list[str]:
        """Open (or find) her request and return what to tell her."""
        request, new = self.desk.open(sender_id, channel, language, reason, summary)
        if not new:
            return [self.texts.text(language, "already_requested")]
        messages = []
        if language not in self.texts.messages and self.texts.generic_for(language):
            messages.append(self.texts.generic_for(language))
        now = self.desk.clock()
        hours = self.desk.hours
        lines = []
        if reason == "not_understood":
            lines.append(self.texts.text(language, "not_understood"))
        lines += [
            self.texts.text(language, "requested"),
            self.texts.wait(language, hours.is_open(now), self.desk.sla_minutes, hours.local(hours.next_open(now))),
            self.texts.hours(language, hours),
            self.texts.urgent_meanwhile(language, self.triage_phone),
            self.texts.text(language, "privacy"),
        ]
        status = self._status_line(language)
        if status:
            lines.append(status)
        messages.append("\n".join(lines))
        return messages

    def relay(self, request_id: int | None, sender_id: str, text: str, media: bool = False,
              urgent: bool = False) -> Relayed:
        """Pass on a message she sent while paused. A red flag (`urgent`) alerts staff at once."""
        request = self.desk.get(int(request_id)) if request_id else None
        if request is None or request.sender_id != sender_id or not request.open:
            return Relayed([], passed_on=False)
        body = f"{MEDIA_MARKER} {text}".strip() if media else text
        self.desk.record_from_her(request.id, body, urgent=urgent)
        if not urgent and self.desk.acknowledge_due(request):
            return Relayed([self.texts.text(request.language, "still_waiting")], passed_on=True)
        return Relayed([], passed_on=True)
