"""The urgent reply to a red-flag symptom.

It comes before anything else the bot would say (see :mod:`bot.policies.red_flag`), and is built only from
`content/red_flags/`: category advice in her language with its NHS sources and translation status, then an offer of
a person. Never a diagnosis, never "wait and see".

Which language: the one she chose, else the one this message is written in, else the conversation's, else English.
When the message is in another language than the advice, the short pre-written urgent message in the message's
language comes first, so that she can act even if she cannot read the rest.
"""

from __future__ import annotations

from bot.content.catalog import Catalog
from bot.content.render import Renderer
from bot.safety.catalog import SafetyCatalog
from bot.services import menus
from bot.services.conversation import SLOT_MENU, Reply, Turn

SLOT_RED_FLAG = "red_flag"
MAX_CATEGORIES = 3  # advice for at most this many categories in one reply, most urgent first


class RedFlagResponder:
    def __init__(self, catalog: Catalog, safety: SafetyCatalog, triage_phone: str = "") -> None:
        self.catalog = catalog
        self.safety = safety
        self.triage_phone = triage_phone

    def advice_language(self, turn: Turn) -> str:
        advice = self.safety.advice
        if turn.language_chosen and turn.language in advice:
            return turn.language
        if turn.detected_language in advice:
            return turn.detected_language
        if turn.language in advice:
            return turn.language
        return self.catalog.default_language

    def _text(self, language: str, key: str) -> str:
        messages = self.safety.advice[language].messages
        return messages.get(key) or self.safety.advice[self.catalog.default_language].messages[key]

    def respond(self, turn: Turn, categories: list[str]) -> Reply:
        categories = [c for c in self.safety.categories if c in categories][:MAX_CATEGORIES]
        if not categories:
            raise ValueError("respond() needs at least one red-flag category")
        language = self.advice_language(turn)
        triage = self.triage_phone or self._text(language, "triage_unknown")

        lines = []
        detected = turn.detected_language
        if detected and detected != language and detected in self.safety.generic:
            lines.append(self.safety.generic[detected])
        lines.append(self._text(language, "heading"))
        lines += [self._text(language, f"advice.{c}").format(triage=triage) for c in categories]
        sources = [s for c in categories for s in self.safety.sources.get(c, ())]
        if sources:
            citations = "; ".join(f"{s.citation()} {s.url}" for s in sources)
            lines.append(self._text(language, "source_line").format(sources=citations))
        status = self.safety.advice[language].translation_status
        if status in ("machine-drafted", "reviewed"):
            lines.append(self._text(language, f"status.{status.replace('-', '_')}"))

        reply = Reply(slots={SLOT_RED_FLAG: categories[0]})
        reply.say("\n".join(lines))
        # The offer of a person, labelled in the advice language; a number typed later is read against the same menu.
        offer = menus.Menu(
            menus.RED_FLAG,
            self._text(language, "offer_person"),
            (
                menus.Option(1, self._text(language, "option.person"), "person"),
                menus.Option(0, self._text(language, "option.main_menu"), "menu:main"),
            ),
        )
        reply.messages.append(offer.render(Renderer(self.catalog, language)))
        reply.slots[SLOT_MENU] = menus.RED_FLAG
        return reply
