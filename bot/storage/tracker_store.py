"""Rasa's SQL tracker store, with its database work taken off the event loop and its event stream made cheap.

Rasa's :class:`~rasa.core.tracker_store.SQLTrackerStore` is the store the trust keeps conversations in (SQLite in
the embedded profile, PostgreSQL in production), and this class keeps its table and its behaviour. Two things about
it cost every conversation on a Rasa worker, measured with py-spy under `bench/` (about a third of a worker's time):

* it queries the database synchronously inside ``async`` methods, so while one conversation waits for PostgreSQL
  (or for an SQLite commit to reach the disk) every other conversation on that worker waits too. Here the queries,
  and the rebuilding of the tracker from its rows, run in a worker thread;
* with an event broker configured (doula's metrics, :mod:`bot.runtime.events`), Rasa's ``save`` first *retrieves
  the whole conversation again* to work out which events are new. The rows it is about to insert are exactly those
  new events, so here they are published from there: one query fewer and no second rebuild per message;
* to find which events are new, Rasa's ``save`` counts the conversation's stored rows (a query with a sub-query).
  A tracker this store built remembers how many of its events are stored (:data:`STORED`), so saving it needs no
  count; any other tracker (a copy, one made elsewhere) is counted as Rasa does.

Only one message of a conversation is handled at a time (the lock store), so no two threads ever save the same
conversation at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

# The attribute, set on a tracker this store retrieved or saved, holding how many of its events are in the table.
# Valid while the conversation's lock is held (Rasa retrieves, handles and saves under it), which is when it is used.
STORED = "_doula_events_stored"


class DoulaSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` (same table, same settings in ``endpoints.yml``) that does not block the event loop
    and publishes new events to the broker without reading the conversation a second time."""

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        return await asyncio.to_thread(self._retrieve_now, sender_id, fetch_events_from_all_sessions)

    def _retrieve_now(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions and len(tracker.events) == len(events):
            setattr(tracker, STORED, len(events))  # what Rasa's save would count: the rows since the last session
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not yet stored, then publish them (what Rasa's ``stream_events`` works out the long
        way)."""
        new_events = await asyncio.to_thread(self._save_now, tracker)
        if self.event_broker is not None and new_events:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    def _save_now(self, tracker: DialogueStateTracker) -> list[Event]:
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None or stored > len(tracker.events):
                new_events = list(self._additional_events(session, tracker))
            else:
                new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            if new_events:
                # One multi-row INSERT (the same rows Rasa writes), not an ORM object and a round trip per event.
                session.execute(self.SQLEvent.__table__.insert(),
                                [self._row(tracker.sender_id, event) for event in new_events])
                session.commit()
        setattr(tracker, STORED, len(tracker.events))
        return new_events

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
