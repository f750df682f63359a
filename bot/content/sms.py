"""SMS length arithmetic: a message is sent as GSM-7 when every character is in the GSM 03.38 alphabet, otherwise
as UCS-2, and long messages are split into segments (153 GSM-7 characters or 67 UCS-2 code units each)."""

from __future__ import annotations

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each costs two characters (escape + char)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def length(text: str) -> tuple[str, int]:
    """('GSM-7', septets) or ('UCS-2', UTF-16 code units) of `text`."""
    if is_gsm7(text):
        return "GSM-7", sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return "UCS-2", len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments `text` takes."""
    encoding, units = length(text)
    single, multi = (160, 153) if encoding == "GSM-7" else (70, 67)
    if units <= single:
        return 1
    return -(-units // multi)
