#!/usr/bin/env bash
# Creates .venv/ and installs the exact lock. Idempotent: `make` only calls it when the lock or pyproject changed.
#
# Why --no-deps --ignore-requires-python: Rasa 3.6.21 declares Requires-Python <3.11 and pins matplotlib<3.6
# (no wheel for 3.11). The lock was resolved with Python 3.10 markers and overrides (requirements/overrides.txt),
# so installing it whole, without re-resolving, gives the verified environment on 3.10 and 3.11 alike.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.10 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 10), (3, 11)) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

python=$(pick_python) || { echo "doula needs Python 3.10 or 3.11 (set PYTHON=/path/to/python)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

echo "==> installing the locked environment (requirements/requirements.lock)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python \
  --require-hashes -r requirements/requirements.lock 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
echo "==> installing doula (editable)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

# Telemetry and Sentry error reporting both try the network; keep them off for this user as well as by env var.
RASA_TELEMETRY_ENABLED=false .venv/bin/rasa telemetry disable >/dev/null 2>&1 || true

sha256sum requirements/requirements.lock pyproject.toml > .venv/.installed
echo "==> installed"
