"""Shared fixtures: hand-drawn tiny graph, sample-data stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"
