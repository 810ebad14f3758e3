#!/usr/bin/env bash
# Refresh docs/screenshots/ from the browser tests: they open every page in both languages
# on the sample data and leave one shot per page in tests/artifacts/screenshots/ (ignored by
# git, so a test run never changes a tracked file); this copies those shots over the docs'.
# Needs what scripts/test.sh installs (chromium, a CJK font). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf tests/artifacts/screenshots
python3 -m pytest -q tests/test_browser.py -k test_page_renders_with_data "$@"
mkdir -p docs/screenshots
cp tests/artifacts/screenshots/*.png docs/screenshots/
ls docs/screenshots
