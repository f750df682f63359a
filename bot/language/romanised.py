"""Romanised writing: Urdu, Punjabi, Bengali, Arabic and Farsi typed in Latin letters ("mujhe epidural chahiye?",
"amar scan kobe", "ana 7amil", "mikham bedunam").

lingua has no model for these: it reads "kya scan zaroori hai" as Somali or Indonesian. Many women write like this on
phones, so a small marker-word rule runs before lingua. The marker words are in `content/languages.yml`
(`romanised`), where native speakers can review them; they exclude words that are also common in English or in the
other Latin-script languages served. Arabizi is also recognised by digits used as letters (3 = ع, 7 = ح, 2 = ء ...),
inside a word of letters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"[a-z0-9']+")
_ARABIZI = re.compile(r"^(?=.*[a-z])(?=.*[23579])[a-z23579']{2,}$")
MIN_HITS = 2  # marker words needed in a longer message ...
MIN_SHARE = 0.34  # ... or this share of the words, in a short one ("mujhe epidural chahiye" has two of three)


class RomanisedDetector:
    """Finds romanised writing by marker words. Built once from the content; :meth:`detect` is cheap."""

    def __init__(self, markers: Mapping[str, list[str] | tuple[str, ...]]) -> None:
        self.markers = {code: frozenset(w.lower() for w in words) for code, words in markers.items()}

    def scores(self, text: str) -> tuple[int, dict[str, int]]:
        """(number of words, marker hits per language) of `text`."""
        tokens = _TOKEN.findall(text.lower())
        hits = {code: sum(1 for t in tokens if t in words) for code, words in self.markers.items()}
        if "ar" in hits:
            hits["ar"] += sum(1 for t in tokens if _ARABIZI.match(t) and t not in self.markers["ar"])
        return len(tokens), hits

    def detect(self, text: str) -> tuple[str, float] | None:
        """(language, confidence) when `text` is romanised writing of one language, else None."""
        if not text.isascii():  # Latin letters only (a message in its own script goes to lingua or script rules)
            return None
        words, hits = self.scores(text)
        if not words or not hits:
            return None
        ranked = sorted(hits.items(), key=lambda item: -item[1])
        best, count = ranked[0]
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
