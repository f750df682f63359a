"""The page's wording is content (content/staff/console.yml): every key the page uses exists, and the page's code
holds keys, not English."""

from __future__ import annotations

import re

from bot.console.app import PAGE, STATIC, load_console_texts
from bot.console.staff import ROLES
from bot.content.catalog import load_ui
from bot.paths import CONTENT_DIR

SCRIPT = (STATIC / "console.js").read_text(encoding="utf-8")


def test_catalog_has_meta() -> None:
    catalog = load_ui(CONTENT_DIR / "staff" / "console.yml")
    assert (catalog.language, catalog.translation_status) == ("en", "original")


def test_every_key_of_the_page_exists() -> None:
    texts = load_console_texts()
    html_keys = set(re.findall(r"\{\{([a-z0-9_.]+)\}\}", PAGE.read_text(encoding="utf-8")))
    script_keys = {key for key in re.findall(r"\bt\(\"([a-z0-9_.]+)\"", SCRIPT) if not key.endswith(".")}
    dynamic = ({f"role.{role}" for role in ROLES} | {f"status.{s}" for s in ("waiting", "claimed", "closed")}
               | {f"delivery.{s}" for s in ("pending", "sent", "held", "failed", "opted_out", "pulled")}
               | {f"error.{code}" for code in ("forbidden", "not_found", "csrf_failed", "origin_mismatch",
                                               "not_allowed", "empty_text", "text_too_long",
                                               "translator_not_configured", "invalid_period", "login_required")})
    missing = sorted((html_keys | script_keys | dynamic) - set(texts))
    assert missing == []
    assert len(html_keys) > 40 and len(script_keys) > 30


def test_no_english_sentences_in_the_script() -> None:
    literals = re.findall(r'"([^"\\]*)"', SCRIPT)
    prose = [text for text in literals if re.search(r"[A-Za-z]{2,} [a-z]{2,} ", text + " ")
             and not re.fullmatch(r"[a-z -]+", text)]
    assert prose == []
