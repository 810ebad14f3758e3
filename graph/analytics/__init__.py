"""Analytics: policy targets, coverage and density, linkage modes, indices, gaps, matches.

Counting happens in the database (queries/analysis); these modules turn the counts into
scores with pandas, and run networkx only on projections that queries return.
See docs/metrics.md for every definition and the policy sentence it serves.
"""

from wushe.graph.analytics.analysis import Analysis, analyze, analyze_facts
from wushe.graph.analytics.config import target_specs, thresholds, weights
from wushe.graph.analytics.coverage import ELEMENT_PAIRS, coverage, density
from wushe.graph.analytics.facts import Facts, load_facts
from wushe.graph.analytics.gaps import GAP_KINDS, gaps
from wushe.graph.analytics.idle import idle_resources
from wushe.graph.analytics.index import dimension_scores, linkage_index
from wushe.graph.analytics.matches import NEED_CATEGORIES, matches
from wushe.graph.analytics.modes import MODES, label_modes, linkage_modes
from wushe.graph.analytics.network import (
    adamic_adar,
    betweenness,
    clique_betweenness,
    coparticipation_pairs,
    pair_counts,
)
from wushe.graph.analytics.targets import targets, targets_from_facts

__all__ = [
    "Analysis", "analyze", "analyze_facts", "target_specs", "thresholds", "weights",
    "ELEMENT_PAIRS", "coverage", "density", "Facts", "load_facts", "GAP_KINDS",
    "NEED_CATEGORIES", "gaps", "idle_resources", "matches", "dimension_scores",
    "linkage_index", "MODES", "label_modes", "linkage_modes", "adamic_adar", "betweenness",
    "clique_betweenness", "coparticipation_pairs", "pair_counts", "targets",
    "targets_from_facts",
]
