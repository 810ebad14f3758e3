#!/usr/bin/env bash
# Install wushe and open the app on the embedded store, loading sample_data/ when empty.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
exec wushe app "$@"
