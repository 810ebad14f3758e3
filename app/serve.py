"""The server process of ``wushe app``: the pages' libraries are imported before the first
visit, so the first official to open the app does not wait for them.

``python -m wushe.app.serve ARGS…`` is ``streamlit run ARGS…`` after those imports.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["PRELOAD", "main"]

#: What the pages import (a few seconds on a cold interpreter): paid at start instead.
PRELOAD = ("pandas", "numpy", "networkx", "plotly.express", "plotly.graph_objects",
           "pyarrow.parquet", "wushe.app.views._data", "wushe.app.views._widgets",
           "wushe.app.views._progress", "wushe.app.export", "wushe.app.netmap",
           "wushe.graph.analytics.analysis", "wushe.graph.analytics.kept",
           "wushe.queries.registry")


def main() -> None:
    """Import :data:`PRELOAD`, then hand over to Streamlit's own command line."""
    for name in PRELOAD:
        importlib.import_module(name)
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
