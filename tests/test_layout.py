"""Layout rules of the codebase: data flows one way and only the app imports Streamlit."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("graph", "loaders", "queries")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_only_the_app_and_its_views_import_streamlit():
    offenders = [str(p.relative_to(ROOT)) for pkg in LIBRARY for p in (ROOT / pkg).rglob("*.py")
                 if "streamlit" in _imports(p)]
    assert offenders == []


def test_the_library_never_imports_the_app():
    offenders = [str(p.relative_to(ROOT)) for pkg in LIBRARY for p in (ROOT / pkg).rglob("*.py")
                 if _imports(p) & {"views", "app"}]
    assert offenders == []


def test_no_module_shadows_the_standard_library():
    import sys

    names = {p.stem for pkg in (*LIBRARY, "views") for p in (ROOT / pkg).rglob("*.py")}
    assert names & set(sys.stdlib_module_names) == set()
