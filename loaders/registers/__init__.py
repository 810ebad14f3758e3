"""Registers import: the tables offices keep, read into the same validated graph.

Pipeline, one module per stage::

    files ─► header (title rows, 序号, notes) ─► mapping (synonyms | mapping file | app)
          ─► build (ids, entity merge, resolver) ─► validate (today's cell rules) ─► GraphTables

Register kinds are data (:mod:`.kinds`); :mod:`.resolver` holds the one index of known
entities; :mod:`.updates` makes a newer register replace what it describes; :mod:`.writer`
writes a graph back as registers. See docs/registers.md.
"""

from __future__ import annotations

from wushe.loaders.registers.kinds import KINDS, Field, Ref, RegisterKind, kind
from wushe.loaders.registers.mapping import (
    ColumnMap,
    MappingFile,
    dump_mapping,
    load_mapping,
    parse_mapping,
)
from wushe.loaders.registers.pipeline import (
    RegisterImport,
    RegisterSummary,
    is_graph_shaped,
    looks_graph_shaped,
    read_registers,
)
from wushe.loaders.registers.updates import Change, Changes
from wushe.loaders.registers.writer import register_frames, write_registers

__all__ = [
    "KINDS",
    "Change",
    "Changes",
    "ColumnMap",
    "Field",
    "MappingFile",
    "Ref",
    "RegisterImport",
    "RegisterKind",
    "RegisterSummary",
    "dump_mapping",
    "is_graph_shaped",
    "kind",
    "load_mapping",
    "looks_graph_shaped",
    "parse_mapping",
    "read_registers",
    "register_frames",
    "write_registers",
]
