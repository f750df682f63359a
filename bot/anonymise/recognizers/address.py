"""Street addresses: a house number with a street word, in the order each language writes them.

* number first: "12 High Street", "4a Mill Lane", "221 Baker St" (English; capitalised words between, or words
  that are not function words before an unmistakable street word: "12 high street", not "2 of us on the road");
* street word first: "ul. Długa 5/3", "strada Mihai Eminescu nr. 10", "Rua das Flores, 25", "вул. Шевченка 12",
  "شارع الملك فهد 12", "Waddada Wadnaha 7";
* a dwelling and its number: "Flat 3", "mieszkanie 12", "кв. 5", "پلاک ۱۲", "مکان نمبر 4".

Parts written one after the other ("Flat 3, 12 High Street") make one address. A number counting time is never a
house number ("flat 3 days", "12 weeks"), and words of a hospital are not street words ("Bay 4", "Room 12").
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.anonymise.entities import ADDRESS
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources
from bot.anonymise.text import SENTENCE_END, Word, words

BETWEEN = 4  # words of a street name


def _house_number(word: Word) -> bool:
    """ "12", "4a", "221B" (and "5" of "5/3")."""
    digits = word.text.rstrip("abcdefghABCDEFGH")
    return digits.isdigit() and len(digits) <= 4 and len(word.text) - len(digits) <= 1


def _no_break(gap: str) -> bool:
    return not any(ch in SENTENCE_END for ch in gap.replace(".", "")) and "\n" not in gap and len(gap) <= 4


class AddressRecognizer(Recognizer):
    ENTITY = ADDRESS

    def __init__(self, resources: Resources) -> None:
        self.street_after = resources.phrases("address", "street_after")
        self.street_strong = resources.phrases("address", "street_after_strong")
        self.street_before = resources.phrases("address", "street_before")
        self.units = resources.phrases("address", "units")
        self.number_words = resources.phrases("address", "number_words")
        self.time_words = resources.phrases("address", "time_words")
        self.stopwords = resources.stopwords
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        ws = words(text)
        keys = [w.key for w in ws]
        spans: list[tuple[int, int]] = []
        for i, word in enumerate(ws):
            if _house_number(word):
                found = [self._number_first(ws, keys, i), self._unit(ws, keys, i)]
            elif self.street_before.starting_at(keys, i):
                found = [self._street_first(ws, keys, i)]
            else:
                found = []
            spans.extend(span for span in found if span)
        yield from (Span(start, end, 0.8) for start, end in _joined(text, spans))

    def _counts_time(self, ws: tuple[Word, ...], keys: list[str], i: int) -> bool:
        return i + 1 < len(ws) and bool(self.time_words.starting_at(keys, i + 1))

    def _number_first(self, ws: tuple[Word, ...], keys: list[str], i: int) -> tuple[int, int] | None:
        """ "12 High Street": the number, up to four words, a street word after them."""
        if self._counts_time(ws, keys, i) or i + 1 >= len(ws) or not _no_break(ws[i + 1].gap) or ws[i + 1].has_digit:
            return None
        found = None  # the last street word within reach: "14 Elm Grove Road" ends at "Road"
        for j in range(i + 2, min(i + 2 + BETWEEN, len(ws))):
            between = ws[i + 1:j]
            if not (_no_break(ws[j].gap) and "," not in ws[j].gap) or ws[j].has_digit:
                break
            if not self.street_after.starting_at(keys, j):
                continue
            plain_words = not any(w.form in self.stopwords for w in between)
            strong = self.street_strong.starting_at(keys, j) if plain_words else 0
            if strong or all(w.title or not w.cased for w in between) and (ws[j].title or not ws[j].cased):
                length = strong or self.street_after.starting_at(keys, j)
                found = (ws[i].start, ws[j + length - 1].end)
        return found

    def _street_first(self, ws: tuple[Word, ...], keys: list[str], i: int) -> tuple[int, int] | None:
        """ "ul. Długa 5/3": the street word, up to four words, then the number (maybe after "nr", "№")."""
        start = i + self.street_before.starting_at(keys, i)
        named = numbered = False
        for k in range(start, min(start + BETWEEN + 1, len(ws))):
            if not _no_break(ws[k].gap):
                return None
            if _house_number(ws[k]):
                # "ul. Długa 5" has a name; "গলি নং ৩", "گلی نمبر 5", "রোড ৫" are streets known by a number
                if not (named or numbered or not ws[i].cased) or self._counts_time(ws, keys, k):
                    return None
                end = k
                if end + 1 < len(ws) and ws[end + 1].gap.strip() in ("/", "-") and ws[end + 1].is_number:
                    end += 1
                return ws[i].start, ws[end].end
            if ws[k].has_digit:
                return None
            if self.number_words.starting_at(keys, k):
                numbered = True
            else:
                named = True
        return None

    def _unit(self, ws: tuple[Word, ...], keys: list[str], i: int) -> tuple[int, int] | None:
        """ "Flat 3": a dwelling word just before the number."""
        length = self.units.ending_before(keys, i)
        if not length or not _no_break(ws[i].gap) or self._counts_time(ws, keys, i):
            return None
        return ws[i - length].start, ws[i].end


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that follow each other, separated by a comma or a space, as one address."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and (start <= out[-1][1] or text[out[-1][1]:start].strip(" ,،") == ""):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
