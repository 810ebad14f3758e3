#!/usr/bin/env bash
# The wheel works on its own: build it, install it into a clean virtualenv outside the
# checkout, and run generate → load → query → report and one app page from the installed
# files only. Run by .ci/run after the tests.
#
# The virtualenv sees the system's site-packages (the dependencies scripts/test.sh
# installed) and gets the wheel with --no-deps, so no download is needed; the check below
# makes sure every `wushe` module comes from the wheel, never from the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d /tmp/wushe-wheel.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 -m pip wheel --quiet --disable-pip-version-check --no-deps \
  -w "$work/dist" .
python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  "$work"/dist/wushe-*.whl

# Every tracked file of the package folders is in the wheel (a missing subpackage or data
# file fails here, not on a user's machine).
git -c core.quotepath=off ls-files graph loaders queries app sample_data \
  | grep -v -e '/__pycache__/' -e '^sample_data/template/.*\.md$' > "$work/tracked.txt"

cd "$work"   # outside the checkout: nothing can be imported from it
export WUSHE_STORE="$work/store" WUSHE_SALT="wheel-check"
bin="$work/venv/bin"
"$bin/python" - "$work/tracked.txt" "$repo" <<'EOF'
import sys
from pathlib import Path

import wushe.app
import wushe.graph
import wushe.loaders
import wushe.queries
import wushe.sample_data

venv = Path(sys.prefix).resolve()
repo = Path(sys.argv[2]).resolve()
folders = {"graph": wushe.graph, "loaders": wushe.loaders, "queries": wushe.queries,
           "app": wushe.app, "sample_data": wushe.sample_data}
for mod in folders.values():
    where = Path(mod.__file__).resolve()
    assert venv in where.parents and repo not in where.parents, f"{mod.__name__} from {where}"
missing = []
for line in Path(sys.argv[1]).read_text().splitlines():
    top, _, rest = line.partition("/")
    installed = Path(folders[top].__file__).parent / rest
    if not installed.exists():
        missing.append(line)
assert not missing, f"not in the wheel: {missing}"
print(f"wheel holds every tracked package file ({len(Path(sys.argv[1]).read_text().split())})")
EOF

"$bin/wushe" generate data --seed 3 --scale 0.002 --volunteers 2000
"$bin/wushe" load data --store "$WUSHE_STORE" --replace
"$bin/wushe" query --store "$WUSHE_STORE" --name community_elements --format csv > elements.csv
test "$(wc -l < elements.csv)" -gt 1
"$bin/wushe" report --store "$WUSHE_STORE" --format md --out report.md
grep -q "|" report.md

# One page of the installed app, through Streamlit's AppTest on the installed main.py.
"$bin/python" - <<'EOF'
from pathlib import Path

import wushe.app
from streamlit.testing.v1 import AppTest

main = Path(wushe.app.__file__).parent / "main.py"
at = AppTest.from_file(str(main), default_timeout=180).run()
assert not at.exception, at.exception
titles = [t.value for t in at.title]
assert titles, "the overview page drew no title"
print(f"installed app page drawn: {titles[0]}")
EOF
echo "wheel check passed"
