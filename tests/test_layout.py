"""Layout rules of the codebase, checked by import-linter (contracts in .importlinter).

Imports only go down (app → analytics → queries → stores | loaders → graph base) and only
the app imports Streamlit; the contract file states both, this test runs the linter.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "queries", "app")


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency: pip install -e '.[test]'"
    result = subprocess.run([lint, "--config", str(ROOT / ".importlinter"), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_no_module_shadows_the_standard_library():
    names = {p.stem for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    assert names & set(sys.stdlib_module_names) == set()
