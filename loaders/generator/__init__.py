"""Synthetic province generator: a seeded, calibrated 五社联动 graph at any scale.

The generator builds every table with numpy arrays (one ``numpy.random.Generator`` per
call, consumed in a fixed order, so a seed always gives the same tables) and pyarrow string
kernels, so the full province — ≈23,000 communities, ≈300,000 organizations, ≈160,000
social workers and 15.4 million volunteers — fits in a few minutes and a few GiB.

Modules, one subject each:

- :mod:`.calibration` — community profiles (modes, conditions) and province figures;
- :mod:`.regions` — real divisions (a CSV) or invented ones;
- :mod:`.names` — name pools and name makers;
- :mod:`.vectors` — vectorised draws, Arrow string columns, keyed pools;
- :mod:`.builder` — collects frames in schema order;
- :mod:`.province` — the stages (regions → communities → … → needs) and the entry points.

Run it with ``wushe generate`` (docs/generator.md).
"""

from wushe.loaders.generator.calibration import (
    CONDITION_PROBS,
    CONDITIONS,
    MODE_PROBS,
    MODES,
    SAMPLE_SEED,
    SAMPLE_VOLUNTEERS,
    VOLUNTEER_RATE,
)
from wushe.loaders.generator.province import (
    generate,
    generate_to,
    generate_with_profiles,
    make_sample,
    sample_tables,
)

__all__ = [
    "MODES",
    "MODE_PROBS",
    "CONDITIONS",
    "CONDITION_PROBS",
    "SAMPLE_SEED",
    "SAMPLE_VOLUNTEERS",
    "VOLUNTEER_RATE",
    "generate",
    "generate_to",
    "generate_with_profiles",
    "make_sample",
    "sample_tables",
]
