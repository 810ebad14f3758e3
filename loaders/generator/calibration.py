"""Calibration of the synthetic province: community profiles and province figures.

Each community draws a *profile* — a linkage mode (who initiates, leads and funds its
projects) and a condition (well linked, missing an element, single broker, idle) — with the
probabilities :data:`MODE_PROBS` and :data:`CONDITION_PROBS`; the matrices below turn a
mode into project roles. The counts follow ``../shared/data/README.md`` (docs/generator.md
lists each figure and its source).
"""

from __future__ import annotations

import numpy as np

from wushe.graph.schema import ELEMENT_MODES, ELEMENT_ORDER

__all__ = [
    "BUDGET_FACTOR", "CATEGORY_MIX", "CONDITIONS", "CONDITION_PROBS", "DELIVER_P", "E_CHARITY",
    "E_COMM", "E_ORG", "E_VOL", "E_WORKER", "FUND_P", "FUND_W", "KIND_P", "LEAD_P", "MODES",
    "MODE_PROBS", "ORGS_PER", "RATED_SHARE", "RATING_LEVELS", "RATING_P",
    "REGISTERED_CENTRE_SHARE", "REGISTERED_COMMUNITY_SHARE", "RURAL_RANGE", "SAMPLE_SEED",
    "SAMPLE_VOLUNTEERS", "SW_SERVE_LAMBDA", "TOWNSHIP_HAS_URBAN", "TOWNSHIP_ORG_REGISTRATION_P",
    "TOWNSHIP_ORGS_PER_COMMUNITY", "URBAN_RANGE",
    "VOLUNTEER_RATE", "VOL_SERVE_LAMBDA",
]

# --------------------------------------------------------------------------- profiles
#: the modes a community can draw (the schema's names), in the rows' order of the matrices
MODES: tuple[str, ...] = (*(ELEMENT_MODES[e] for e in ELEMENT_ORDER), "mixed")
MODE_PROBS: tuple[float, ...] = (0.18, 0.18, 0.14, 0.14, 0.14, 0.22)
CONDITIONS: tuple[str, ...] = (
    "normal", "well_linked", "no_orgs", "no_charity", "no_volunteers", "single_broker",
    "idle",
)
CONDITION_PROBS: tuple[float, ...] = (0.68, 0.08, 0.04, 0.07, 0.04, 0.06, 0.03)

# Element order used by the role matrices: the five elements (五社).
E_COMM, E_ORG, E_WORKER, E_VOL, E_CHARITY = range(5)
# Who initiates / leads a project, per mode (rows follow MODES).
LEAD_P = np.array([
    [0.70, 0.10, 0.10, 0.05, 0.05],
    [0.10, 0.70, 0.10, 0.05, 0.05],
    [0.10, 0.10, 0.70, 0.05, 0.05],
    [0.10, 0.10, 0.05, 0.70, 0.05],
    [0.15, 0.10, 0.05, 0.05, 0.65],
    [0.20, 0.20, 0.20, 0.20, 0.20],
])
# Who delivers a project, per mode.
DELIVER_P = np.array([
    [0.50, 0.40, 0.10, 0.00, 0.00],
    [0.05, 0.90, 0.05, 0.00, 0.00],
    [0.05, 0.15, 0.80, 0.00, 0.00],
    [0.10, 0.40, 0.00, 0.50, 0.00],
    [0.20, 0.60, 0.20, 0.00, 0.00],
    [0.20, 0.40, 0.25, 0.15, 0.00],
])
# Funding sources per mode: probability of (government, charity, self) and amount weights.
FUND_P = np.array([
    [1.00, 0.15, 0.10], [0.80, 0.20, 0.40], [0.90, 0.20, 0.10],
    [0.25, 0.30, 0.50], [0.40, 1.00, 0.10], [0.60, 0.40, 0.40],
])
FUND_W = np.array([
    [1.0, 0.2, 0.1], [0.7, 0.2, 0.3], [0.8, 0.2, 0.1],
    [0.5, 0.5, 0.5], [0.2, 1.0, 0.1], [0.4, 0.4, 0.3],
])
BUDGET_FACTOR = np.array([1.0, 1.0, 1.0, 0.15, 1.2, 1.0])
VOL_SERVE_LAMBDA = np.array([2.0, 2.0, 2.0, 9.0, 2.0, 3.0])
SW_SERVE_LAMBDA = np.array([0.4, 0.4, 2.0, 0.2, 0.4, 0.8])

# ------------------------------------------------------------------------ calibration
_PROVINCE_VOLUNTEERS = 15_400_000
_PROVINCE_POPULATION = 66_270_000
VOLUNTEER_RATE = _PROVINCE_VOLUNTEERS / _PROVINCE_POPULATION
# Communities per township by township kind: [low, high) for urban and rural counts.
URBAN_RANGE = {"street": (6, 15), "town": (0, 2), "township": (0, 1), "other": (1, 6)}
RURAL_RANGE = {"street": (0, 5), "town": (12, 34), "township": (8, 16), "other": (0, 6)}
TOWNSHIP_HAS_URBAN = 0.15      # a 乡 with one small community at its seat
KIND_P = {"street": 488, "town": 618, "township": 258, "other": 23}
ORGS_PER = {"urban": 19.8, "rural": 9.4}      # before the 4% no-org communities
TOWNSHIP_ORGS_PER_COMMUNITY = 2.2             # registered county-level orgs (≈51,000)
REGISTERED_COMMUNITY_SHARE = 18_600 / 262_000
# Township-based organizations' registering authority: province, city, county (no
# provincial breakdown found; most social-work agencies register with the county).
TOWNSHIP_ORG_REGISTRATION_P = (0.03, 0.12, 0.85)
# Service centres registered as legal entities (登记的); no provincial figure found.
REGISTERED_CENTRE_SHARE = 0.85
# Before volunteer-service teams are folded into 服务 (+≈4.5 points), giving ≈42/24/16/16.
CATEGORY_MIX = {"服务": 0.375, "文体": 0.25, "自治": 0.165, "平安": 0.165, "志愿": 0.015,
                 "调解": 0.015, "慈善": 0.015}
RATING_LEVELS = ("1A", "2A", "3A", "4A", "5A")
RATING_P = (0.05, 0.17, 0.505, 0.22, 0.055)   # of rated orgs; 20% rated → 5.5% 4A+
RATED_SHARE = 0.20

SAMPLE_SEED = 20250101
SAMPLE_VOLUNTEERS = 20_000
