#!/usr/bin/env bash
# Install every adapter's pinned dependencies, and the protocol checker's (jsonschema).
# Idempotent: each step does nothing when its install already matches its lockfile.
# Needs python3 (3.10+) with venv, and node + npm (18+). Used by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/_python/install-venv.sh" "$here/_python/.venv" "$here/_python/requirements-check.txt"
for adapter in "$here"/*/; do
  name="$(basename "$adapter")"
  [[ "$name" == _* ]] && continue
  echo "== $name"
  "$adapter/install.sh"
done
