"""The gateway's input hygiene (`bot.gateway.inbound.clean`) on any text: it never fails, what it returns is safe
(no control or bidi characters, no leading "/", within the limit), cleaning twice changes nothing, a normal
message keeps every letter, and a long message cut to the limit keeps its red-flag sentence."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from bot.gateway.inbound import clean
from bot.safety.catalog import load_safety
from tests.fuzz.conftest import CHEAP, SLOW, fuzz

ANY_TEXT = st.text(max_size=400)
TYPED = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=300)
RED_FLAGS = ("I am bleeding heavily.", "Krwawię bardzo mocno.", "baby not moving today.", "عندي نزيف شديد.")


@fuzz(CHEAP)
@given(text=st.one_of(ANY_TEXT, st.none()), limit=st.integers(50, 2000))
@example(text="/" * 5 + "\u202eevil\u0000\t\r\n", limit=50)
@example(text="\u200c\u200d" + "x" * 60, limit=50)
def test_clean_output_is_always_safe(text: str | None, limit: int) -> None:
    inbound = clean(text, limit)
    out = inbound.text
    assert isinstance(out, str) and len(out) <= limit
    assert not out.startswith("/") and out == out.strip()
    for ch in out:
        category = unicodedata.category(ch)
        assert ch == "\n" or category != "Cc", repr(ch)
        assert category != "Cf" or ch in "\u200c\u200d", repr(ch)
        assert category not in ("Cs", "Co", "Cn"), repr(ch)
    if not inbound.truncated:
        assert clean(out, limit) == inbound, "cleaning is idempotent"


@fuzz(CHEAP)
@given(text=TYPED)
def test_a_normal_message_keeps_every_letter_and_digit(text: str) -> None:
    inbound = clean(text, 1000)
    assert not inbound.truncated
    kept = [c for c in inbound.text if c.isalnum()]
    assert kept == [c for c in unicodedata.normalize("NFC", text) if c.isalnum()]


@fuzz(SLOW)
@given(filler=st.lists(st.sampled_from(["we", "talked", "about", "the", "birth", "plan", "and", "my", "sister",
                                        "visited", "yesterday", "."]), min_size=200, max_size=400),
       flag=st.sampled_from(RED_FLAGS), limit=st.integers(100, 400))
def test_a_cut_message_keeps_its_red_flag(filler: list[str], flag: str, limit: int) -> None:
    detector = load_safety().detector
    inbound = clean(" ".join(filler) + ". " + flag, limit)
    assert inbound.truncated and len(inbound.text) <= limit
    assert detector.detect(inbound.text).flagged, inbound.text
