"""The whole analysis gives the same tables on the embedded store and on a real Neo4j."""

import dataclasses

import pandas as pd
import pytest
from fixtures_analysis import WINDOW, load_tiny_store, tiny_graph_tables

from wushe.graph.analytics import analyze
from wushe.graph.backends.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j


def _frames(result) -> dict[str, pd.DataFrame]:
    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)
            if isinstance(getattr(result, f.name), pd.DataFrame)}


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a defined order, plain dtypes (the stores may return rows in any order)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None or v is pd.NA
                                    or (isinstance(v, float) and v != v) else v)
    keys = [c for c in out.columns if out[c].map(lambda v: isinstance(v, list | dict)).sum()
            == 0]
    return out.sort_values(keys, kind="stable", na_position="first",
                           key=lambda s: s.astype(str)).reset_index(drop=True)


def _assert_same(a, b) -> None:
    fa, fb = _frames(a), _frames(b)
    assert fa.keys() == fb.keys()
    for name in fa:
        left, right = _canonical(fa[name]), _canonical(fb[name])
        assert list(left.columns) == list(right.columns), name
        assert len(left) == len(right), name
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False,
                                      rtol=1e-9, obj=name)


@pytest.fixture(scope="module")
def neo(neo4j_server):
    store = Neo4jStore(neo4j_server.uri)
    yield store
    store.close()


def test_worked_example_analysis_is_identical_on_both_stores(neo, tmp_path):
    lb = load_tiny_store(tmp_path / "store")
    neo.clear()
    neo.load(tiny_graph_tables(), replace=True)
    a, b = analyze(lb, years=WINDOW), analyze(neo, years=WINDOW)
    assert len(b.modes) == 7 and set(b.modes["mode"]) >= {"community_led", "mixed", "none"}
    _assert_same(a, b)


def test_sample_data_analysis_is_identical_on_both_stores(neo, sample_ladybug, sample_tables):
    neo.clear()
    neo.load(sample_tables, replace=True)
    a, b = analyze(sample_ladybug), analyze(neo)
    assert len(b.modes) == 252 and len(b.gaps) > 0 and len(b.matches) > 0
    _assert_same(a, b)
