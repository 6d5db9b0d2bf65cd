#!/usr/bin/env bash
# Install this adapter, run it through the protocol on the fixtures in ../_smoke/, check the answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../_python/smoke.sh" "$here"
