"""Pseudonymous sender ids: a keyed hash (HMAC-SHA256) of the channel and the address the channel knows her by.

The same woman on the same channel always gets the same id (so her conversation continues), nobody without the key
can turn the id back into a phone number, and ids from two channels never collide.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonymous_id(channel: str, address: str, key: str) -> str:
    """`<channel>-<32 hex chars>` for `address` (a phone number, chat id or browser id) on `channel`."""
    digest = hmac.new(key.encode("utf-8"), f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:32]}"
