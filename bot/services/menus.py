"""Numbered menus that work on every channel, SMS included.

A menu is identified by a short id kept in the `menu` slot ("main", "language", "stage:after_birth",
"topic:infant_feeding", "fallback"). When she replies with a number, the menu is rebuilt from its id and the number
is looked up, so nothing but the id has to survive between messages (or between processes).

Targets say what choosing an option does: `menu:main`, `menu:language`, `stage:<stage>`, `topic:<id>`,
`section:<topic>:<section>`, `language:<code>`, `person`, `interpreter` (a person, because her language is not
listed), `feedback` (the feedback conversation).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.catalog import Catalog
from bot.content.models import MENU_SECTIONS, STAGES
from bot.content.render import OutMessage, Renderer

MAIN = "main"
LANGUAGE = "language"
FALLBACK = "fallback"
RED_FLAG = "red_flag"  # after urgent advice: 1. talk to a person, 0. main menu


@dataclass(frozen=True)
class Option:
    number: int
    label: str
    target: str


@dataclass(frozen=True)
class Menu:
    id: str
    prompt: str
    options: tuple[Option, ...]

    def select(self, number: int) -> Option | None:
        return next((o for o in self.options if o.number == number), None)

    def numbers(self) -> str:
        """The valid choices, as shown in an 'invalid option' reply: '1-4, 0'."""
        numbers = sorted(o.number for o in self.options if o.number != 0)
        text = f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 2 else ", ".join(map(str, numbers))
        return f"{text}, 0" if any(o.number == 0 for o in self.options) else text

    def render(self, renderer: Renderer) -> OutMessage:
        return renderer.menu(self.prompt, [(o.number, o.label) for o in self.options])


def build(menu_id: str | None, catalog: Catalog, renderer: Renderer) -> Menu:
    """Rebuild the menu `menu_id` in the renderer's language. Unknown or empty ids give the main menu."""
    kind, _, arg = (menu_id or MAIN).partition(":")
    if kind == LANGUAGE:
        return _language_menu(catalog, renderer)
    if kind == "stage" and arg in STAGES:
        return _stage_menu(arg, catalog, renderer)
    if kind == "topic" and arg in catalog.topics:
        return _topic_menu(arg, renderer)
    if kind in (FALLBACK, RED_FLAG):
        return Menu(kind, renderer.text("main_menu"), _tail(renderer, 1))
    return _main_menu(renderer)


def _tail(renderer: Renderer, person_number: int) -> tuple[Option, ...]:
    """Every menu ends with 'talk to a person' and '0. Main menu'."""
    return (
        Option(person_number, renderer.text("option.person"), "person"),
        Option(0, renderer.text("option.main_menu"), "menu:main"),
    )


def _main_menu(renderer: Renderer) -> Menu:
    stages = [Option(i, renderer.text(f"stage.{s}"), f"stage:{s}") for i, s in enumerate(STAGES, start=1)]
    n = len(stages)
    extra = [
        Option(n + 1, renderer.text("option.person"), "person"),
        Option(n + 2, renderer.text("option.language"), "menu:language"),
        Option(n + 3, renderer.text("option.feedback"), "feedback"),
    ]
    return Menu(MAIN, renderer.text("main_menu"), tuple(stages + extra))


def _language_menu(catalog: Catalog, renderer: Renderer) -> Menu:
    # Each language is shown in its own script, so she can find hers whatever language the prompt is in.
    options = [
        Option(i, catalog.languages[code].native, f"language:{code}")
        for i, code in enumerate(catalog.curated_languages, start=1)
    ]
    # Hers is not listed: an interpreter, never a dead end.
    options.append(Option(len(options) + 1, renderer.text("option.other_language"), "interpreter"))
    return Menu(LANGUAGE, renderer.text("language_menu"), tuple(options))


def _stage_menu(stage: str, catalog: Catalog, renderer: Renderer) -> Menu:
    topics = catalog.topics_for_stage(stage)
    options = [Option(i, renderer.topic_title(t), f"topic:{t.id}") for i, t in enumerate(topics, start=1)]
    prompt_key = "stage_menu" if topics else "stage_empty"
    prompt = renderer.text(prompt_key, stage=renderer.text(f"stage.{stage}"))
    return Menu(f"stage:{stage}", prompt, tuple(options) + _tail(renderer, len(options) + 1))


def _topic_menu(topic_id: str, renderer: Renderer) -> Menu:
    options = [
        Option(i, renderer.text(f"section.{section}"), f"section:{topic_id}:{section}")
        for i, section in enumerate(MENU_SECTIONS, start=1)
    ]
    return Menu(f"topic:{topic_id}", renderer.text("topic_menu"), tuple(options) + _tail(renderer, len(options) + 1))
