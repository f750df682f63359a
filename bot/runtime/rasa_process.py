"""`python -m bot.runtime.rasa_process run ...`: Rasa's own command line, with doula's fixes to Rasa applied first.

`doula run` starts Rasa this way (see :func:`bot.runtime.server.rasa_command`); the arguments are Rasa's. Each fix
is small, keeps Rasa's behaviour exactly, and says why it is needed. Sanic forks its workers from this process, so
they all run with the fixes.

* **The action server's reply is validated against a compiled schema.** Rasa 3.6 checks every reply of the action
  server with `jsonschema.validate(result, schema)`, which first validates the schema itself against the JSON-Schema
  meta-schema: about 20 ms of Rasa's event loop per action on this machine, for a schema that never changes. The
  same check with a validator built once costs about a tenth of that and raises the same error.
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


def apply() -> None:
    """Apply the fixes to Rasa (once per process)."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    _applied = True


def main(argv: list[str] | None = None) -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    if argv is not None:
        sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main()
