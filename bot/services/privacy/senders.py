"""Who a privacy request is about: `<channel>:<address>` as she is known on a channel, turned into the pseudonymous
id that every store uses, exactly as the channel computes it (bot/gateway/identity.py).

Staff know her by her number or chat id; doula's stores know only `sms-<hmac>`, `whatsapp-<hmac>`, ... The address
is hashed here and never stored or printed.
"""

from __future__ import annotations

import re

from bot.gateway.identity import pseudonymous_id

CHANNELS = ("sms", "whatsapp", "telegram", "webchat")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Channel ids are `<channel>-<32 hex>`; the REST channel (tests, integrations) passes its own ids through.
_ID = re.compile(r"[A-Za-z0-9_.:@+-]{1,255}")


class SenderError(ValueError):
    """A `--sender` or `--sender-id` that cannot be the id of anyone; the message says what is expected."""


def sender_id_for(spec: str, key: str) -> str:
    """The pseudonymous id of `sms:+447700900123`, `whatsapp:+447700900123`, `telegram:123456` or
    `webchat:<browser id>`, hashed with `key` (DOULA_SENDER_KEY)."""
    channel, _, address = spec.strip().partition(":")
    channel = channel.lower()
    if channel not in CHANNELS or not address:
        raise SenderError(f"--sender must be <channel>:<address> with a channel among {', '.join(CHANNELS)}, "
                          "e.g. sms:+447700900123")
    if channel in ("sms", "whatsapp"):
        number = address.replace(" ", "")
        if not _E164.fullmatch(number):
            raise SenderError(f"a {channel} address is the number as Twilio sends it, in international form, "
                              "e.g. +447700900123")
        # Twilio's From of a WhatsApp message keeps its prefix, and the channel hashes it as it comes.
        address = f"whatsapp:{number}" if channel == "whatsapp" else number
    if channel == "telegram" and not re.fullmatch(r"-?[0-9]{1,20}", address):
        raise SenderError("a telegram address is the numeric chat id, e.g. telegram:123456789")
    return pseudonymous_id(channel, address, key)


def check_sender_id(sender_id: str) -> str:
    """`sender_id` if it can be a sender id (one word: a pasted address with spaces is refused)."""
    sender_id = sender_id.strip()
    if not _ID.fullmatch(sender_id):
        raise SenderError("--sender-id must be a pseudonymous id such as sms-<32 hex characters>")
    return sender_id
