#!/usr/bin/env bash
# Install this adapter's pinned dependencies (package-lock.json) into node_modules/ beside this
# file. Idempotent: does nothing when node_modules/ already matches the lockfile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
stamp="node_modules/.iamspec-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "up to date: $here/node_modules"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "installed: $here/node_modules"
