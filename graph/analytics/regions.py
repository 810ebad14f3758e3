"""The region tree: which regions hold which, by id, from the ``regions`` query's rows.

The tree is one row per community with ``<level>_id`` and ``<level>`` (name) columns for
city, county, township and community (the ``regions`` named query). Levels follow
:data:`wushe.graph.schema.REGION_LEVELS` (top-down, the province first).
"""

from __future__ import annotations

import pandas as pd

from wushe.graph.schema import REGION_LEVELS

__all__ = [
    "LEVEL_NAMES",
    "TREE_LEVELS",
    "child_level",
    "children",
    "communities_in",
    "in_region",
    "region_name",
    "region_path",
    "searchable",
]

#: level → (中文, English) display name
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "province": ("全省", "Province"),
    "city": ("市", "City"),
    "county": ("县(市、区)", "County"),
    "township": ("乡镇(街道)", "Township"),
    "community": ("社区", "Community"),
}
#: the levels the tree has columns for (below the province), top-down
TREE_LEVELS: tuple[str, ...] = REGION_LEVELS[1:]


def child_level(level: str) -> str | None:
    """The level one below ``level``; None below communities.

    Examples
    --------
    >>> child_level("province"), child_level("township"), child_level("community")
    ('city', 'community', None)
    """
    i = REGION_LEVELS.index(level)
    return REGION_LEVELS[i + 1] if i + 1 < len(REGION_LEVELS) else None


def children(tree: pd.DataFrame, level: str,
             parent_id: str | None = None) -> list[tuple[str, str]]:
    """``(id, name)`` of the regions at ``level`` inside ``parent_id``.

    Parameters
    ----------
    tree : pandas.DataFrame
        The region tree (rows of the ``regions`` query).
    level : {"city", "county", "township", "community"}
    parent_id : str, optional
        A region one level up; all regions at ``level`` when None or empty.

    Returns
    -------
    list of (str, str)
        In the tree's order, each region once.

    Examples
    --------
    >>> tree = _example_tree()
    >>> children(tree, "township", "c1")
    [('t1', 'North'), ('t2', 'South')]
    >>> children(tree, "county")
    [('c1', 'Lake'), ('c2', 'Hill')]
    """
    df = tree
    i = TREE_LEVELS.index(level)
    if i > 0 and parent_id:
        df = df[df[f"{TREE_LEVELS[i - 1]}_id"] == parent_id]
    df = df.dropna(subset=[f"{level}_id"]).drop_duplicates(f"{level}_id")
    return list(zip(df[f"{level}_id"], df[level], strict=True))


def region_name(tree: pd.DataFrame, level: str, region_id: str) -> str:
    """Display name of a region (its id when the tree does not hold it).

    Examples
    --------
    >>> region_name(_example_tree(), "township", "t2"), region_name(_example_tree(), "city", "z")
    ('South', 'z')
    """
    hit = tree.loc[tree[f"{level}_id"] == region_id, level]
    return str(hit.iloc[0]) if len(hit) else region_id


def region_path(tree: pd.DataFrame, level: str, region_id: str) -> dict[str, str]:
    """The ids of ``region_id`` and of every region above it, keyed by level.

    Examples
    --------
    >>> region_path(_example_tree(), "township", "t3")
    {'city': 'y', 'county': 'c2', 'township': 't3'}
    >>> region_path(_example_tree(), "township", "nowhere")
    {}
    """
    hit = tree[tree[f"{level}_id"] == region_id]
    if hit.empty:
        return {}
    row = hit.iloc[0]
    return {lv: row[f"{lv}_id"] for lv in TREE_LEVELS[: TREE_LEVELS.index(level) + 1]}


def communities_in(tree: pd.DataFrame, level: str | None, region_id: str | None) -> list[str]:
    """Sorted ids of the communities inside a region (all of them for the province).

    ``level`` None or "province" (or no ``region_id``) means the whole province.

    Examples
    --------
    >>> communities_in(_example_tree(), "county", "c1")
    ['m1', 'm2', 'm3']
    >>> communities_in(_example_tree(), None, None)
    ['m1', 'm2', 'm3', 'm4']
    """
    df = tree.dropna(subset=["community_id"])
    if level and level != "province" and region_id:
        df = df[df[f"{level}_id"] == region_id]
    return sorted(df["community_id"].unique().tolist())


def in_region(rows: pd.DataFrame, tree: pd.DataFrame, level: str,
              region_id: str | None) -> pd.DataFrame:
    """Per-community ``rows`` joined with their region columns, kept if inside the region.

    ``rows`` need a ``community_id`` column; a clashing column of the tree gets the suffix
    ``_region``. ``level`` "province" (or no ``region_id``) keeps every community.

    Examples
    --------
    >>> rows = pd.DataFrame({"community_id": ["m1", "m4"], "score": [1.0, 2.0]})
    >>> in_region(rows, _example_tree(), "county", "c2")[["community_id", "township", "score"]]
      community_id township  score
    0           m4     Hill    2.0
    """
    out = rows.merge(tree.dropna(subset=["community_id"]), on="community_id", how="inner",
                     suffixes=("", "_region"))
    if level != "province" and region_id:
        out = out[out[f"{level}_id"] == region_id]
    return out.reset_index(drop=True)


def searchable(tree: pd.DataFrame) -> pd.DataFrame:
    """Every region once, with the names of the regions above it: what a search box lists.

    Two regions of the same name are told apart by their parents (翠苑街道 in 西湖区 or in
    another county), so a user picks by name and never types an id.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``id``, ``name`` and ``parents`` (names above, nearest first, joined
        with " · "), top level first, then by name.

    Examples
    --------
    >>> s = searchable(_example_tree())
    >>> s[s["level"] == "community"][["name", "parents"]].values.tolist()[:2]
    [['A', 'North · Lake · X'], ['B', 'North · Lake · X']]
    >>> s[s["level"] == "county"][["id", "name", "parents"]].values.tolist()
    [['c2', 'Hill', 'Y'], ['c1', 'Lake', 'X']]
    """
    frames = []
    for i, level in enumerate(TREE_LEVELS):
        df = tree.dropna(subset=[f"{level}_id"]).drop_duplicates(f"{level}_id")
        if df.empty:
            continue
        above = list(reversed(TREE_LEVELS[:i]))
        parents = pd.Series("", index=df.index, dtype=object)
        for k, col in enumerate(above):  # column-wise: a row-wise join costs seconds
            parents = parents + (" · " if k else "") + df[col].astype(str).astype(object)
        frames.append(pd.DataFrame({"level": level, "id": df[f"{level}_id"].to_numpy(),
                                    "name": df[level].astype(str).to_numpy(),
                                    "parents": parents.to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=["level", "id", "name", "parents"])
    out = pd.concat(frames, ignore_index=True)
    order = out["level"].map(TREE_LEVELS.index)
    return (out.assign(_o=order).sort_values(["_o", "name", "parents"])
            .drop(columns="_o").reset_index(drop=True))


def _example_tree() -> pd.DataFrame:
    """Two cities, two counties, three townships, four communities (for the examples)."""
    rows = [("x", "X", "c1", "Lake", "t1", "North", "m1", "A"),
            ("x", "X", "c1", "Lake", "t1", "North", "m2", "B"),
            ("x", "X", "c1", "Lake", "t2", "South", "m3", "C"),
            ("y", "Y", "c2", "Hill", "t3", "Hill", "m4", "D")]
    cols = [c for lv in TREE_LEVELS for c in (f"{lv}_id", lv)]
    return pd.DataFrame(rows, columns=cols)
