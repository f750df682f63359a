"""`doula run`, with its `var/` directory private to this benchmark run: `python -m bench.product_process <var dir>
run --no-train`.

Why: `doula run` writes the endpoints Rasa reads (tracker store, lock store, action server URL) to `var/endpoints.yml`
in the checkout. Several `doula run`s started at once from one checkout (the e2e tests and this benchmark, on a shared
machine) overwrite each other's file, and a Rasa process may then start with another run's action server and
database. Nothing else changes: this is `bot.cli.main` with `bot.paths.VAR_DIR` pointed elsewhere before the runtime
module is imported (it binds the name at import).
"""

from __future__ import annotations

import sys
from pathlib import Path

import bot.paths


def main(argv: list[str]) -> int:
    bot.paths.VAR_DIR = Path(argv[0])
    from bot.cli import main as doula

    return doula(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
