"""Hypothesis strategies for what arrives from outside: JSON values, Telegram updates, JSON message bodies."""

from __future__ import annotations

import json

from hypothesis import strategies as st

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63), st.text(max_size=20),
                    st.floats(allow_nan=False, allow_infinity=False))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
USER = st.fixed_dictionaries({"id": st.integers(0, 10**10), "is_bot": st.booleans(),
                              "first_name": st.text(max_size=10)})
CHAT = st.fixed_dictionaries({"id": st.one_of(st.integers(-10**12, 10**12), SCALARS),
                              "type": st.one_of(st.sampled_from(["private", "group", "supergroup", "channel"]),
                                                SCALARS)})
MESSAGE = st.fixed_dictionaries(
    {"message_id": st.one_of(st.integers(0, 10**6), SCALARS), "date": st.one_of(st.integers(0, 2**31), SCALARS),
     "chat": st.one_of(CHAT, SCALARS)},
    optional={"text": st.one_of(st.text(max_size=60), st.sampled_from(["/start", "/stop@bot", "/", "/x y"]), SCALARS),
              "caption": st.one_of(st.text(max_size=20), SCALARS),
              "voice": st.one_of(st.fixed_dictionaries({"file_id": st.text(max_size=5),
                                                        "file_unique_id": st.text(max_size=5),
                                                        "duration": st.integers(0, 100)}), SCALARS),
              "from": st.one_of(USER, SCALARS)})
UPDATE = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(0, 2**31), SCALARS)},
    optional={"message": st.one_of(MESSAGE, SCALARS), "edited_message": MESSAGE,
              "callback_query": st.fixed_dictionaries(
                  {"id": st.text(max_size=8), "chat_instance": st.text(max_size=5), "from": USER},
                  optional={"data": st.text(max_size=10), "message": MESSAGE}),
              "junk": JSON})
SENDER = st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True)  # a sender id both channels accept
JSON_BODY = st.one_of(
    st.binary(max_size=200),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"sender": st.one_of(st.text(max_size=70), SENDER, SCALARS),
                           "message": st.one_of(st.text(max_size=100), SCALARS)},
                          optional={"metadata": JSON}).map(lambda d: json.dumps(d).encode()),
)
