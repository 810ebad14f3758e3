"""Run the app from a checkout: ``streamlit run app.py`` (``wushe app`` does the same).

The router itself is ``app/main.py`` (``wushe.app.main``), shipped inside the wheel.
"""

import runpy
from importlib.util import find_spec

runpy.run_path(find_spec("wushe.app.main").origin, run_name="__main__")
