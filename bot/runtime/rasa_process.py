"""`python -m bot.runtime.rasa_process run ...`: Rasa's own command line, with doula's fixes to Rasa applied first.

`doula run` starts Rasa this way (see :func:`bot.runtime.server.rasa_command`); the arguments are Rasa's. Each fix
is small, keeps Rasa's behaviour exactly, and says why it is needed. Sanic forks its workers from this process, so
they all run with the fixes.

* **The action server's reply is validated against a compiled schema.** Rasa 3.6 checks every reply of the action
  server with `jsonschema.validate(result, schema)`, which first validates the schema itself against the JSON-Schema
  meta-schema: about 20 ms of Rasa's event loop per action on this machine, for a schema that never changes. The
  same check with a validator built once costs about a tenth of that and raises the same error.
* **An event's class is found by a table, not by walking every subclass.** Reading a tracker turns each stored event
  back into an object, and Rasa 3.6 finds its class (`Event.resolve_by_type`) by listing every subclass of `Event`,
  recursively, for every event: about 4 % of a Rasa worker's CPU under load. The table is built from the same list
  and rebuilt when a name is not in it (an event class defined later), so the answer is the same.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

_applied = False


@functools.cache
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate does on every call, done once
    return validator_class(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result, with the validator built once (same errors, same message)."""
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        _action_response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action endpoint "
            f"is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


_event_classes: dict[str, Any] = {}


def _resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Rasa's Event.resolve_by_type, from a table of the same subclasses (the first of a name wins, as there)."""
    cls = _event_classes.get(type_name)
    if cls is None:
        import rasa.shared.utils.common
        from rasa.shared.core.events import Event

        for subclass in rasa.shared.utils.common.all_subclasses(Event):
            _event_classes.setdefault(subclass.type_name, subclass)
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def apply() -> None:
    """Apply the fixes to Rasa (once per process)."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
    _applied = True


def main(argv: list[str] | None = None) -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    if argv is not None:
        sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main()
