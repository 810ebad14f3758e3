"""Acceptance by the engine's own plan: an ad-hoc statement runs only if its EXPLAIN plan
holds nothing but read operators and calls no refused function or procedure.

Each engine is asked for the plan of the exact text it would run, so what is checked is
what the engine understood, not what a regular expression guessed. Both checks are
allow-lists: an operator, table function or procedure not named here is refused, so a
new engine version fails closed.

The two plan shapes:

* Ladybug: ``EXPLAIN`` returns one text cell, a drawing of boxes, each headed
  ``OPERATOR[id]``; table function calls name their function (``Function: READ_FTABLE``).
* Neo4j: the driver's result summary holds the plan as nested dicts with
  ``operatorType`` (``Expand(All)@neo4j``), ``args`` and ``children``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from wushe.graph.errors import QueryRefused

__all__ = [
    "LADYBUG_READ_OPERATORS", "LADYBUG_TABLE_FUNCTIONS", "NEO4J_READ_OPERATORS",
    "NEO4J_PROCEDURES", "NEO4J_FUNCTION_NAMESPACES", "check_ladybug_plan", "check_neo4j_plan",
    "ladybug_operators",
]

#: Ladybug physical operators that only read (scans, lookups, joins, expands, filters,
#: projections, aggregation, order, limits, unwind, path operators).
LADYBUG_READ_OPERATORS = frozenset({
    "RESULT_COLLECTOR", "PROJECTION", "FILTER", "FLATTEN", "SCAN_NODE_TABLE",
    "SCAN_REL_TABLE", "PRIMARY_KEY_SCAN_NODE_TABLE", "QUERY_PRIMARY_KEY_LOOKUP",
    "INDEX_LOOKUP", "SEMI_MASKER", "HASH_JOIN_BUILD", "HASH_JOIN_PROBE", "INTERSECT_BUILD",
    "INTERSECT", "CROSS_PRODUCT", "AGGREGATE", "AGGREGATE_FINALIZE", "AGGREGATE_SCAN",
    "MULTIPLICITY_REDUCER", "ORDER_BY", "ORDER_BY_MERGE", "ORDER_BY_SCAN", "TOP_K",
    "TOP_K_SCAN", "LIMIT", "SKIP", "UNWIND", "UNION_ALL_SCAN", "EMPTY_RESULT",
    "RECURSIVE_EXTEND", "PATH_PROPERTY_PROBE", "TABLE_FUNCTION_CALL", "DUMMY_SCAN",
    "DUMMY_SINK", "OFFSET",
    # count(r) over a whole relationship table (MATCH ()-[r:T]->() RETURN count(r))
    "COUNT_REL_TABLE",
})

#: Table functions a read plan may call: READ_FTABLE is the engine's own scan of an
#: intermediate table (UNWIND, OPTIONAL MATCH, UNION); the rest read only the catalog.
LADYBUG_TABLE_FUNCTIONS = frozenset({"READ_FTABLE", "TABLE_INFO", "SHOW_TABLES",
                                     "SHOW_FUNCTIONS"})

#: Neo4j 5 read operators (``@neo4j`` suffix removed).
NEO4J_READ_OPERATORS = frozenset({
    "ProduceResults", "EmptyResult", "Argument", "ArgumentTracker",
    "AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan",
    "SubtractionNodeByLabelsScan", "PartitionedAllNodesScan", "PartitionedNodeByLabelScan",
    "NodeByIdSeek", "NodeByElementIdSeek", "NodeIndexSeek", "NodeUniqueIndexSeek",
    "NodeIndexSeekByRange", "NodeUniqueIndexSeekByRange", "NodeIndexScan",
    "NodeIndexContainsScan", "NodeIndexEndsWithScan", "MultiNodeIndexSeek",
    "AssertingMultiNodeIndexSeek", "NodeCountFromCountStore", "RelationshipCountFromCountStore",
    "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
    "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
    "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek",
    "DirectedRelationshipByElementIdSeek", "UndirectedRelationshipByElementIdSeek",
    "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek",
    "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan",
    "DirectedRelationshipIndexSeekByRange", "UndirectedRelationshipIndexSeekByRange",
    "DirectedRelationshipIndexContainsScan", "UndirectedRelationshipIndexContainsScan",
    "DirectedRelationshipIndexEndsWithScan", "UndirectedRelationshipIndexEndsWithScan",
    "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
    "Expand(All)", "Expand(Into)", "OptionalExpand(All)", "OptionalExpand(Into)",
    "VarLengthExpand(All)", "VarLengthExpand(Into)", "VarLengthExpand(Pruning)",
    "BFSPruningVarLengthExpand", "BFSPruningVarLengthExpand(All)",
    "BFSPruningVarLengthExpand(Into)",
    "ShortestPath", "StatefulShortestPath(All)", "StatefulShortestPath(Into)", "Trail",
    "Repeat(Trail)", "ProjectEndpoints", "Filter", "Projection", "CacheProperties",
    "Aggregation", "EagerAggregation", "OrderedAggregation", "Distinct", "OrderedDistinct",
    "Sort", "PartialSort", "Top", "Top1WithTies", "PartialTop", "Limit", "ExhaustiveLimit",
    "Skip", "Unwind", "PartitionedUnwind", "Apply", "SemiApply", "AntiSemiApply",
    "LetSemiApply", "LetAntiSemiApply", "SelectOrSemiApply", "SelectOrAntiSemiApply",
    "LetSelectOrSemiApply", "LetSelectOrAntiSemiApply", "ConditionalApply",
    "AntiConditionalApply", "RollUpApply", "Optional", "Anti", "CartesianProduct",
    "NodeHashJoin", "NodeLeftOuterHashJoin", "NodeRightOuterHashJoin", "ValueHashJoin",
    "Union", "OrderedUnion", "Eager", "NullifyMetadata", "AssertSameNode",
    "AssertSameRelationship", "ProcedureCall",
})

#: Read procedures a statement may CALL on Neo4j (anything else: refused).
NEO4J_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
})

#: Namespaces of Neo4j's built-in functions; a dotted call outside them (apoc.load.json,
#: a user-defined function) is refused.
NEO4J_FUNCTION_NAMESPACES = frozenset({
    "date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector",
    "vector.similarity", "string",
})
_NEO4J_FUNCTIONS = frozenset({"db.namefromelementid"})

_LB_OPERATOR = re.compile(r"([A-Za-z_][\w()]*)\[(\d+)\]")
_LB_FUNCTION = re.compile(r"Function:\s*([A-Za-z_]\w*)")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_DOTTED_CALL = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*\(")


def ladybug_operators(plan_text: str) -> list[str]:
    """The operator names of a Ladybug ``EXPLAIN`` drawing, in the order drawn."""
    return [m.group(1) for m in _LB_OPERATOR.finditer(plan_text)]


def check_ladybug_plan(plan_text: str) -> None:
    """Refuse a Ladybug plan with any operator or table function off the allow-lists.

    Raises
    ------
    QueryRefused
        Naming the first operator or function refused, or ``plan`` when the drawing holds
        no operator at all (nothing understood: refuse rather than guess).
    """
    found = list(_LB_OPERATOR.finditer(plan_text))
    if not found:
        raise QueryRefused("plan", "(no operators found / 未识别出算子)")
    for m in found:
        if m.group(1) not in LADYBUG_READ_OPERATORS:
            raise QueryRefused("operator", m.group(1))
    # Every box of the drawing must have been read: count box tops against operators.
    boxes = plan_text.count("┌───")
    if boxes and boxes - 2 > len(found):  # the "Physical Plan" title is a box in a box
        raise QueryRefused("plan", "(unreadable plan / 执行计划无法解析)")
    for fn in _LB_FUNCTION.findall(plan_text):
        if fn.upper() not in LADYBUG_TABLE_FUNCTIONS:
            raise QueryRefused("function", fn)


def check_neo4j_plan(plan: Mapping[str, Any]) -> None:
    """Refuse a Neo4j plan with an operator, procedure or function off the allow-lists.

    Raises
    ------
    QueryRefused
        Naming the first operator, procedure or function refused.
    """
    for node in _walk(plan):
        op = str(node.get("operatorType", "")).split("@", 1)[0]
        if op not in NEO4J_READ_OPERATORS:
            raise QueryRefused("operator", op or "(unnamed / 未命名)")
        details = _STRING.sub("''", str((node.get("args") or {}).get("Details", "")))
        if op == "ProcedureCall":
            m = re.match(r"\s*([\w.`]+)\s*\(", details)
            name = (m.group(1) if m else details).replace("`", "")
            if name.lower() not in NEO4J_PROCEDURES:
                raise QueryRefused("function", name)
            details = details[m.end():] if m else ""
        for call in _DOTTED_CALL.findall(details):
            check_neo4j_function(call)


def check_neo4j_function(name: str) -> None:
    """Refuse a dotted function name outside Neo4j's built-in namespaces."""
    low = name.lower()
    ns = low.rsplit(".", 1)[0]
    if ns not in NEO4J_FUNCTION_NAMESPACES and low not in _NEO4J_FUNCTIONS:
        raise QueryRefused("function", name)


def _walk(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield plan
    for child in plan.get("children") or ():
        yield from _walk(child)
