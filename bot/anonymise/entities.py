"""What the anonymiser finds and what it returns: typed spans of the original text, and the text with placeholders.

The placeholders are part of the contract with the MVP exports and the theme classifier: a coordinator reads
"my midwife [NAME] was kind", so that she knows a person was named without knowing who. They are ASCII, the same in
every language, and never themselves mistaken for something to redact, so redacting twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
NHS_NUMBER = "NHS_NUMBER"
PHONE = "PHONE"
EMAIL = "EMAIL"
POSTCODE = "POSTCODE"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
HOSPITAL_NUMBER = "HOSPITAL_NUMBER"
ADDRESS = "ADDRESS"

# When two findings overlap, they become one span of the type listed first: the more specific and better-validated
# finding names it (a valid NHS number inside what also looks like a phone number is an NHS number).
ENTITY_TYPES = (NHS_NUMBER, EMAIL, HOSPITAL_NUMBER, DATE_OF_BIRTH, PHONE, POSTCODE, ADDRESS, PERSON)

PLACEHOLDERS = {entity_type: f"[{entity_type}]" for entity_type in ENTITY_TYPES} | {PERSON: "[NAME]"}


@dataclass(frozen=True)
class Entity:
    """A span of the ORIGINAL text (``text[start:end]``) and what it is."""

    type: str
    start: int
    end: int

    def to_dict(self) -> dict[str, int | str]:
        return {"type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Redaction:
    """The text with every entity replaced by its placeholder, and the entities (offsets in the original text)."""

    text: str
    entities: tuple[Entity, ...]


def placeholder(entity_type: str) -> str:
    return PLACEHOLDERS[entity_type]
