"""Rebuild the tracker an action saw, from a tracker recorded on a running doula (see record.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

TRACKERS = Path(__file__).with_name("trackers")


@dataclass
class RecordedTurn:
    tracker: Tracker  # as the action server received it, right after her message
    action: str  # the action Rasa ran next
    bot_messages: list[dict[str, Any]]  # what that action sent
    slot_events: dict[str, Any]  # the slots it set


def recorded_turns(name: str) -> list[RecordedTurn]:
    """One entry per user message of recording `name`, in order."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    events = state["events"]
    turns = []
    for index, event in enumerate(events):
        if event["event"] != "user":
            continue
        before = events[: index + 1]
        slots: dict[str, Any] = {}
        for past in before:
            if past["event"] == "slot":
                slots[past["name"]] = past["value"]
        after = []
        for later in events[index + 1:]:
            if later["event"] == "user":
                break
            after.append(later)
        action = next(e["name"] for e in after if e["event"] == "action" and e["name"] != "action_listen")
        tracker = Tracker(
            sender_id=state["sender_id"],
            slots=slots,
            latest_message=event["parse_data"],
            events=before,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )
        turns.append(
            RecordedTurn(
                tracker=tracker,
                action=action,
                bot_messages=[e for e in after if e["event"] == "bot"],
                slot_events={e["name"]: e["value"] for e in after if e["event"] == "slot"},
            )
        )
    return turns
