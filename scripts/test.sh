#!/usr/bin/env bash
# The one test command: installs what the tests need, then runs every test.
#   Python deps (pip), Debian's chromium (browser tests), the local Neo4j 5.26
#   built from Maven Central (started and stopped by the test session itself).
#
#   bash scripts/test.sh          every layer (unit, store, neo4j, browser, slow)
#   bash scripts/test.sh --fast   the unit layer only: no store, no server, no browser
#                                 (tests not marked store/neo4j/browser/slow; < 60 s)
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

if [ "${1:-}" = "--fast" ]; then
  shift
  ruff check .
  # WUSHE_TEST_LAYER=unit makes opening a store fail the test (tests/conftest.py).
  WUSHE_TEST_LAYER=unit exec python3 -m pytest --doctest-modules graph loaders queries app \
    tests -m "not store and not neo4j and not browser and not slow" "$@"
fi

# Debian's chromium for the browser tests, and a CJK font so Chinese pages render.
# LibreOffice (headless) and poppler turn the Word briefing into PDF and PNG pages.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi" \
    || ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei \
    >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui poppler-utils >/dev/null
fi

# Build the local Neo4j once (Maven Central only); tests start it on a free port.
python3 -m wushe.graph.backends.neo4j_local build

ruff check .
python3 -m pytest --doctest-modules graph loaders queries app tests "$@"
