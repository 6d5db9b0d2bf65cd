#!/usr/bin/env bash
# smoke.sh ADAPTER-DIR: install the adapter (and the protocol checker), then
#  1. start + run the basic fixture + stop, checking every answer's shape and its decisions;
#  2. start + run every fixture + stop, checking the shape of every answer (results, skipped
#     or errored are all fine here).
# Prints `N passed, N failed` per step; exits non-zero if a step fails.
set -euo pipefail
adapter="$(cd "$1" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/_python/install-venv.sh" "$here/_python/.venv" "$here/_python/requirements-check.txt" >/dev/null
"$adapter/install.sh" >/dev/null
check=("$here/_python/.venv/bin/python" "$here/_python/protocol_check.py")
echo "== $(basename "$adapter"): decisions on _smoke/basic.json"
"${check[@]}" --expect "$here/_smoke/basic.json" -- "$adapter/run.sh"
echo "== $(basename "$adapter"): answer shapes on every fixture"
"${check[@]}" "$here"/_smoke/*.json -- "$adapter/run.sh"
