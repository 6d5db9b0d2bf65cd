#!/usr/bin/env bash
# Install this adapter's pinned dependencies (requirements.txt) into .venv/ beside this file.
# Idempotent: does nothing when .venv/ already holds exactly requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../_python/install-venv.sh" "$here/.venv" "$here/requirements.txt"
