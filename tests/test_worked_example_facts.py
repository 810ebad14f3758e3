"""The worked example's Facts on file are what the analysis queries return for it.

The unit layer runs the analytics on tests/fixtures/worked_example_facts/ (no store); this
test, in the store layer, keeps those files equal to the queries' answer on a real store.
"""

import dataclasses

import pandas as pd
import pytest
from fixtures_analysis import WINDOW, load_tiny_store, worked_example_facts

from wushe.graph.analytics import load_facts

pytestmark = pytest.mark.store


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (a CSV cannot tell NaN from None in a text column)."""
    return df.astype(object).where(df.notna(), None)


def test_facts_on_file_equal_the_queries_on_the_worked_example(tmp_path):
    store = load_tiny_store(tmp_path / "store")
    try:
        live = load_facts(store, years=WINDOW)
    finally:
        store.close()
    on_file = worked_example_facts()
    assert on_file.years == live.years == WINDOW
    for f in dataclasses.fields(live):
        a, b = getattr(live, f.name), getattr(on_file, f.name)
        if not isinstance(a, pd.DataFrame):
            continue
        hint = f"{f.name} is stale: run python tests/fixtures_analysis.py"
        assert dict(a.dtypes.astype(str)) == dict(b.dtypes.astype(str)), hint
        pd.testing.assert_frame_equal(_plain(a), _plain(b), obj=hint)
