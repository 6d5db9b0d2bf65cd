#!/usr/bin/env bash
# Start the adapter (install.sh first). Speaks the iamspec evaluator protocol on stdin/stdout.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node "$here/adapter.js" "$@"
