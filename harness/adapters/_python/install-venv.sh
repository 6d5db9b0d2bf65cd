#!/usr/bin/env bash
# Create or refresh <adapter>/.venv from <adapter>/requirements.txt (exact pins).
# Idempotent: a stamp holding the requirements' hash skips the work when nothing changed.
# Python: $PYTHON, else python3 (3.10 or newer).
set -euo pipefail
dir="$1"
py="${PYTHON:-python3}"
venv="$dir/.venv"
stamp="$venv/.iamspec-requirements.sha256"
want="$(sha256sum "$dir/requirements.txt" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$(basename "$dir"): up to date ($venv)"
  exit 0
fi
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-virtualenv -r "$dir/requirements.txt"
echo "$want" > "$stamp"
echo "$(basename "$dir"): installed into $venv"
