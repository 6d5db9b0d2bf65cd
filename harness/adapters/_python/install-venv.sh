#!/usr/bin/env bash
# install-venv.sh VENV REQUIREMENTS: create or refresh the virtualenv VENV from REQUIREMENTS
# (exact pins). Idempotent: a stamp holding the requirements' hash skips the work when nothing
# changed. Python: $PYTHON, else python3 (3.10 or newer).
set -euo pipefail
venv="$1"
req="$2"
py="${PYTHON:-python3}"
stamp="$venv/.iamspec-requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "up to date: $venv"
  exit 0
fi
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-virtualenv -r "$req"
echo "$want" > "$stamp"
echo "installed: $venv"
