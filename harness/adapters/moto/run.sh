#!/usr/bin/env bash
# Start the adapter (install.sh first). Speaks the iamspec evaluator protocol on stdin/stdout.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/.venv/bin/python" -u "$here/adapter.py" "$@"
