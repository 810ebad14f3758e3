"""Cypher as researchers write it (Neo4j's dialect): typed parameters and translation.

:func:`translate` rewrites a Neo4j statement for the embedded Ladybug store or refuses it
with the portable form; :func:`parse_param` reads ``-p name=value`` like Neo4j's ``:param``.
"""

from wushe.graph.cypher.params import format_params, parse_param, parse_params
from wushe.graph.cypher.translate import Translation, Untranslatable, apply_post, translate

__all__ = ["translate", "Translation", "Untranslatable", "apply_post", "parse_param",
           "parse_params", "format_params"]
