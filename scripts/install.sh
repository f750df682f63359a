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

# The staff console's browser tests drive Debian's Chromium through Playwright (never `playwright install`, which
# downloads a browser from outside the distribution). Install it when missing; never fail the install over it.
install_chromium() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 && return 0
  # A fresh machine may have no package lists yet.
  apt-get update -qq >/dev/null 2>&1 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1
}
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium (browser tests of the staff console)"
    install_chromium || echo "WARNING: apt-get could not install chromium; the staff console's browser tests will" \
      "fail until it is installed (apt-get install -y --no-install-recommends chromium)" >&2
  else
    echo "WARNING: /usr/bin/chromium is missing and this is not root with apt-get: the staff console's browser" \
      "tests will fail until it is installed (sudo apt-get install -y --no-install-recommends chromium)" >&2
  fi
fi

sha256sum requirements/requirements.lock pyproject.toml > .venv/.installed
echo "==> installed"
