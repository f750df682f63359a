"""The feedback conversation: a few questions, each skippable, by numbers on any channel, SMS included.

1. overall rating (Friends and Family Test scale)   5. site (only when the trust lists its sites)
2. what went well, in her own words                 6. ethnic group, then its detail (optional, with why we ask)
3. what could have been better, in her own words    7. age band (optional)
4. which part of her care                           8. consent to share with the Maternity Voices Partnership

Where the state lives: in doula's database (:mod:`.sessions`), not in a Rasa slot. The channels look the session up
before Rasa sees her message (:mod:`bot.gateway.feedback`) so that a free-text answer is anonymised first: her raw
words never reach Rasa's tracker store, the logs or the feedback table. Every answer kept in the session is already
anonymised; the session is deleted when the feedback is saved, abandoned, or a day old.

What is saved (:mod:`.store`): the month, coarse fields, the anonymised texts (and their English machine translation
when a translator is configured), the themes found in them, and her consent. Nothing links it to her.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.content.render import OutMessage, Renderer
from bot.services import menus
from bot.services.feedback.sessions import FeedbackSession, FeedbackSessions
from bot.services.feedback.store import AGE_BANDS, RATINGS, STAGES, FeedbackRecord, FeedbackStore
from bot.services.feedback.texts import FeedbackTexts

STEPS = ("rating", "went_well", "could_be_better", "stage", "site", "ethnic_group", "ethnic_detail", "age_band",
         "consent")
FREE_TEXT_STEPS = frozenset({"went_well", "could_be_better"})
QUESTIONS = {"rating": "rating_question", "went_well": "went_well_question", "could_be_better": "better_question",
             "stage": "stage_question", "site": "site_question", "ethnic_group": "ethnic_group_question",
             "ethnic_detail": "ethnic_detail_question", "age_band": "age_question", "consent": "consent_question"}
SKIP = 0
MIN_LETTERS = 2  # a free-text answer needs at least a word ("ok" counts); anything less is asked again
SAFETY_CONCERN = "safety_concerns"  # the theme after which she is offered a person at once (hazard H19)
PAUSED = "_paused"  # in a session's answers: urgent advice interrupted her; she carries on with the keyword

# NHS ethnic categories (NHS Data Dictionary, 2021 census groups): group -> details, in the order shown.
ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "asian": ("indian", "pakistani", "bangladeshi", "chinese", "other"),
    "black": ("african", "caribbean", "other"),
    "mixed": ("white_black_caribbean", "white_black_african", "white_asian", "other"),
    "white": ("british", "irish", "gypsy_traveller", "roma", "other"),
    "other": ("arab", "other"),
}
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass
class Step:
    """What the flow says next, and whether the conversation is over."""

    messages: list[OutMessage]
    finished: bool = False
    menu: menus.Menu | None = None


def is_paused(session: FeedbackSession) -> bool:
    return bool(session.answers.get(PAUSED))


class FeedbackFlow:
    """One feedback conversation at a time per sender; build once per process."""

    def __init__(self, texts: FeedbackTexts, sessions: FeedbackSessions, store: FeedbackStore,
                 sites: tuple[str, ...] = (), anonymise=None, themes=None, translate=None) -> None:
        self.texts = texts
        self.sessions = sessions
        self.store = store
        self.sites = sites
        # Injected so that the flow stays testable and the heavy parts load once: (text, language) -> text,
        # (text, language) -> classification, and (text, language) -> English text or None.
        self._anonymise = anonymise
        self._themes = themes
        self._translate = translate

    # -- the conversation ----------------------------------------------------------------------------------------
    def active(self, sender_id: str) -> FeedbackSession | None:
        return self.sessions.get(sender_id)

    def start(self, sender_id: str, language: str, renderer: Renderer) -> Step:
        """Ask the first question; or, after urgent advice paused her feedback, the question she had reached."""
        paused = self.sessions.get(sender_id)
        if paused is not None and is_paused(paused):
            del paused.answers[PAUSED]
            self.sessions.save(paused)
            step = self._ask(paused, renderer)
            step.messages.insert(0, OutMessage(self.texts.text(paused.answers.get("language", language), "resumed")))
            return step
        session = FeedbackSession(sender_id, "rating", {"language": language})
        self.sessions.save(session)
        step = self._ask(session, renderer)
        step.messages.insert(0, OutMessage(self.texts.text(language, "intro")))
        return step

    def cancel(self, sender_id: str) -> None:
        self.sessions.delete(sender_id)

    def pause(self, session: FeedbackSession, text: str) -> str:
        """Urgent advice interrupts her feedback (a red flag): keep what she has given, her message too when it was
        a free-text answer (already anonymised by the gateway), and return the note to send after the advice. The
        conversation waits, without taking her next messages as answers, until she writes the keyword again; like
        any unfinished feedback it is forgotten after a day (:data:`.sessions.MAX_AGE`)."""
        language = session.answers.get("language", "en")
        if session.step in FREE_TEXT_STEPS and len(_LETTERS.findall(text or "")) >= MIN_LETTERS:
            session.answers[session.step] = self._anonymise(text, language) if self._anonymise else text
            session.step = self._next(session) or session.step  # a free-text step is never the last
        session.answers[PAUSED] = True
        self.sessions.save(session)
        return self.texts.text(language, "paused")

    def answer(self, session: FeedbackSession, text: str, choice: int | None, renderer: Renderer,
               redacted: tuple[str, ...] = ()) -> Step:
        """Take her answer to the current question, then ask the next one (or save, at the end)."""
        language = session.answers.get("language", renderer.language)
        if session.step in FREE_TEXT_STEPS:
            if choice == SKIP:
                value = None
            elif len(_LETTERS.findall(text or "")) < MIN_LETTERS:
                step = self._ask(session, renderer)
                step.messages.insert(0, OutMessage(self.texts.text(language, "too_short")))
                return step
            else:
                # The gateway anonymised it already; this is a second guard, for a message that came another way.
                value = self._anonymise(text, language) if self._anonymise else text
        else:
            options = self._options(session)
            if choice is None or (choice != SKIP and choice not in dict(options)):
                step = self._ask(session, renderer)
                step.messages.insert(0, OutMessage(self.texts.text(language, "invalid")))
                return step
            value = None if choice == SKIP else dict(options)[choice]
        session.answers[session.step] = value
        notes = []
        if redacted:  # she is told something was removed (what kind, in English, would not help her)
            notes.append(OutMessage(self.texts.text(language, "redacted_note")))
        following = self._next(session)
        if following is None:
            themes = self._save(session)
            self.sessions.delete(session.sender_id)
            # Feedback reaches the MVP weeks later, without her name: when she describes something unsafe, she is
            # told that, and offered a person now (her choice: the feedback itself stays anonymous). Hazard H19.
            closing = "thanks_safety_concern" if SAFETY_CONCERN in themes else "thanks"
            return Step(notes + [OutMessage(self.texts.text(language, closing))], finished=True)
        session.step = following
        self.sessions.save(session)
        step = self._ask(session, renderer)
        step.messages[:0] = notes
        return step

    # -- questions -----------------------------------------------------------------------------------------------
    def _next(self, session: FeedbackSession) -> str | None:
        for step in STEPS[STEPS.index(session.step) + 1:]:
            if step == "site" and not self.sites:
                continue
            if step == "ethnic_detail" and session.answers.get("ethnic_group") in (None, ""):
                continue
            return step
        return None

    def _options(self, session: FeedbackSession) -> list[tuple[int, str]]:
        """(number, code) of the current menu question."""
        step = session.step
        if step == "rating":
            codes = RATINGS
        elif step == "stage":
            codes = STAGES
        elif step == "site":
            codes = (*self.sites, "other")
        elif step == "ethnic_group":
            codes = tuple(ETHNIC_GROUPS)
        elif step == "ethnic_detail":
            group = session.answers.get("ethnic_group") or "other"
            codes = tuple(f"{group}.{detail}" for detail in ETHNIC_GROUPS[group])
        elif step == "age_band":
            codes = AGE_BANDS
        elif step == "consent":
            codes = ("yes", "no")
        else:
            return []
        return list(enumerate(codes, start=1))

    def _label(self, language: str, step: str, code: str) -> str:
        if step == "site":
            return code if code != "other" else self.texts.text(language, "site.other")
        key = {"rating": "rating", "stage": "stage", "ethnic_group": "ethnic", "ethnic_detail": "ethnic",
               "age_band": "age", "consent": "consent"}[step]
        return self.texts.text(language, f"{key}.{code}")

    def _ask(self, session: FeedbackSession, renderer: Renderer) -> Step:
        language = session.answers.get("language", renderer.language)
        step = session.step
        question = self.texts.text(language, QUESTIONS[step])
        if step in FREE_TEXT_STEPS:
            return Step([OutMessage(question)])
        options = [menus.Option(n, self._label(language, step, code), f"feedback:{code}")
                   for n, code in self._options(session)]
        if step != "consent":  # consent needs an answer: no answer is no
            options.append(menus.Option(SKIP, self.texts.text(language, "skip"), "feedback:skip"))
        menu = menus.Menu(f"feedback:{step}", question, tuple(options))
        messages = [menu.render(renderer)]
        if step == "ethnic_group":
            messages.insert(0, OutMessage(self.texts.text(language, "equality_intro")))
        return Step(messages, menu=menu)

    # -- saving --------------------------------------------------------------------------------------------------
    def _save(self, session: FeedbackSession, now: datetime | None = None) -> set[str]:
        """Store her feedback (unless every question was skipped); returns the themes found in it."""
        answers = session.answers
        language = answers.get("language", "en")
        went_well, better = answers.get("went_well"), answers.get("could_be_better")
        if not any(answers.get(step) for step in STEPS):
            return set()  # every question skipped: nothing to keep
        themes, sentiment = [], None
        text = "\n".join(t for t in (went_well, better) if t)
        if text and self._themes is not None:
            found = self._themes(text, language)
            themes = [{"theme": m.theme, "sentiment": m.sentiment, "cues": list(m.cues)} for m in found.themes]
            sentiment = found.sentiment
        record = FeedbackRecord(
            month=(now or datetime.now(timezone.utc)).strftime("%Y-%m"),
            language=language,
            source="bot",
            site=answers.get("site") if answers.get("site") != "other" else None,
            stage=answers.get("stage"),
            rating=answers.get("rating"),
            went_well=went_well,
            went_well_en=self._english(went_well, language),
            could_be_better=better,
            could_be_better_en=self._english(better, language),
            themes=themes,
            sentiment=sentiment,
            ethnic_group=answers.get("ethnic_detail") or answers.get("ethnic_group"),
            age_band=answers.get("age_band"),
            consent_mvp=answers.get("consent") == "yes",
        )
        self.store.add(record)
        return {theme["theme"] for theme in themes}

    def _english(self, text: str | None, language: str) -> str | None:
        if not text or language == "en" or self._translate is None:
            return None
        return self._translate(text, language)
