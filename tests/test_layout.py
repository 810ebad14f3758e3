"""Layout rules of the codebase, checked by import-linter (contracts in .importlinter).

Imports only go down (app → analytics → queries → stores | loaders → graph base), only the
app imports Streamlit, and the benchmark imports no UI module; the contract file states
them, this test runs the linter.
"""

import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "queries", "app")


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str], monkeypatch):
    monkeypatch.chdir(ROOT)  # `bench` is imported from the checkout
    monkeypatch.syspath_prepend(str(ROOT))
    code = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True,
                        no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 broken" in out


def test_no_module_shadows_the_standard_library():
    names = {p.stem for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    assert names & set(sys.stdlib_module_names) == set()
