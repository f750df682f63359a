"""Romanised writing: Urdu, Punjabi, Bengali, Arabic and Farsi typed in Latin letters ("mujhe epidural chahiye?",
"amar scan kobe", "ana 7amil", "mikham bedunam").

lingua has no model for these: it reads "kya scan zaroori hai" as Somali or Indonesian. Many women write like this on
phones, so a small marker-word rule runs before lingua. The marker words are in `content/languages.yml`
(`romanised`), where native speakers can review them; they exclude words that are also common in English or in the
other Latin-script languages served. Arabizi is also recognised by digits used as letters (3 = ع, 7 = ح, 2 = ء ...),
inside a word of letters. The same rule finds Vietnamese and Albanian typed without their marks, and French, which
lingua reads poorly in short messages.

Urdu and Punjabi share much of their everyday vocabulary ("mera", "hai", "bahut"): a Punjabi speaker writes them
too, an Urdu speaker does not write "kado" or "reha". So when every Urdu marker in a message is a shared word and
it has a Punjabi word of its own, it is Punjabi ("mera bacha kinna ronda hai").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"[a-z0-9']+")
_ARABIZI = re.compile(r"^(?=.*[a-z])(?=.*[23579])[a-z23579']{2,}$")
MIN_HITS = 2  # marker words needed in a longer message ...
MIN_SHARE = 0.34  # ... or this share of the words, in a short one ("mujhe epidural chahiye" has two of three)
# Urdu markers that Punjabi writes the same way, and Punjabi markers that Urdu speakers write too ("ji", "haan").
_SHARED_WITH_PUNJABI = frozenset({"mera", "meri", "mere", "hai", "hain", "hay", "nahi", "nahin", "bahut", "bohat",
                                  "bohot", "bacha", "bachay", "kuch", "koi", "dard", "thik", "theek", "ghar", "doodh",
                                  "abhi", "aaj", "sirf", "madad", "waqt", "zyada", "pehle", "saath", "shuru",
                                  "dobara", "jaldi", "baat", "matlab", "dafa", "baar"})
_SHARED_WITH_URDU = frozenset({"ji", "haan", "pata", "bachcha"})


class RomanisedDetector:
    """Finds romanised writing by marker words. Built once from the content; :meth:`detect` is cheap."""

    def __init__(self, markers: Mapping[str, list[str] | tuple[str, ...]]) -> None:
        self.markers = {code: frozenset(w.lower() for w in words) for code, words in markers.items()}

    def scores(self, text: str) -> tuple[int, dict[str, int]]:
        """(number of words, marker hits per language) of `text`."""
        return self._scores(_TOKEN.findall(text.lower()))

    def _scores(self, tokens: list[str]) -> tuple[int, dict[str, int]]:
        hits = {code: sum(1 for t in tokens if t in words) for code, words in self.markers.items()}
        if "ar" in hits:
            hits["ar"] += sum(1 for t in tokens if _ARABIZI.match(t) and t not in self.markers["ar"])
        return len(tokens), hits

    def detect(self, text: str) -> tuple[str, float] | None:
        """(language, confidence) when `text` is romanised writing of one language, else None."""
        text = text.replace("\u2019", "'")  # a phone's curly apostrophe ("j’ai")
        if not text.isascii():  # Latin letters only (a message in its own script goes to lingua or script rules)
            return None
        tokens = _TOKEN.findall(text.lower())
        words, hits = self._scores(tokens)
        if not words or not hits:
            return None
        ranked = sorted(hits.items(), key=lambda item: -item[1])
        best, count = ranked[0]
        if best == "ur" and hits.get("pa") and self._punjabi_over_urdu(tokens):
            best, count = "pa", max(count, hits["pa"])
            ranked = [("pa", count)]
        if count < MIN_HITS and not (count and count / words >= MIN_SHARE):
            return None
        if len(ranked) > 1 and ranked[1][1] == count:
            # A tie between Urdu and Punjabi (they share much vocabulary): Urdu, the larger community here; any other
            # tie says too little.
            pair = {best, ranked[1][0]}
            if pair != {"ur", "pa"}:
                return None
            best = "ur"
        return best, round(min(1.0, count / MIN_HITS * 0.5 + count / words * 0.5), 3)

    def marked(self, text: str) -> dict[str, int]:
        """The languages with a marker word in `text`, and how many: one alone is too little to name a language,
        but it settles what lingua cannot ("vitamin k injection na drops kon ta bhalo": one Bengali word). Marker
        words only: a number with its unit looks like Arabizi ("5mg", "2nd")."""
        text = text.replace("\u2019", "'")
        if not text.isascii():
            return {}
        tokens = _TOKEN.findall(text.lower())
        hits = {code: sum(1 for t in tokens if t in words) for code, words in self.markers.items()}
        return {code: count for code, count in hits.items() if count}

    def _punjabi_over_urdu(self, tokens: list[str]) -> bool:
        """Every Urdu marker is a word Punjabi shares, and a Punjabi word of its own is there."""
        urdu, punjabi = self.markers.get("ur", frozenset()), self.markers.get("pa", frozenset())
        shared_only = all(t in _SHARED_WITH_PUNJABI for t in tokens if t in urdu)
        return shared_only and any(t in punjabi and t not in _SHARED_WITH_URDU and t not in urdu for t in tokens)
