"""The server process of ``wushe app``: the pages' libraries are imported and the first
page's data computed (:func:`wushe.app.views._data.warm_up`) as the server starts, so the
first official to open the app does not wait for them.

``python -m wushe.app.serve ARGS…`` is ``streamlit run ARGS…`` after those imports.
"""

from __future__ import annotations

import importlib
import sys
import threading

__all__ = ["PRELOAD", "main"]

#: What the pages import (a few seconds on a cold interpreter): paid at start instead.
PRELOAD = ("pandas", "numpy", "networkx", "plotly.express", "plotly.graph_objects",
           "pyarrow.parquet", "wushe.app.views._data", "wushe.app.views._widgets",
           "wushe.app.views._progress", "wushe.app.export", "wushe.app.netmap",
           "wushe.graph.analytics.analysis", "wushe.graph.analytics.kept",
           "wushe.queries.registry")


def _warm_up() -> None:
    import logging

    # Outside a page run Streamlit warns that there is no script context: expected here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR)
    try:
        from wushe.app.views import _data

        _data.warm_up()
    except Exception:  # noqa: BLE001 - the pages compute it then, and show any error
        logging.getLogger(__name__).warning("warm-up failed", exc_info=True)


def main() -> None:
    """Import :data:`PRELOAD`, start computing what the first page reads, then hand over
    to Streamlit's own command line."""
    for name in PRELOAD:
        importlib.import_module(name)
    threading.Thread(target=_warm_up, name="wushe-warm-up", daemon=True).start()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
