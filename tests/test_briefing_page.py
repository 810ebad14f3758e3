"""The overview's briefing button (Streamlit AppTest on the hand-drawn province of
tests/test_app_pages.py): the Word file it offers is the region's briefing."""

from __future__ import annotations

import io

import pytest
from docx import Document
from test_app_pages import app, tiny_store  # noqa: F401  (fixtures)

pytestmark = pytest.mark.store


def test_overview_makes_the_region_briefing_for_download(app, tiny_store) -> None:  # noqa: F811
    at = app(tiny_store)
    assert not [b for b in at.get("download_button")]
    at.button(key="briefing_make").click().run()
    assert not at.exception, at.exception
    level, region_id, lang, doc = at.session_state["briefing_doc"]
    assert (level, region_id, lang) == ("province", None, "zh")
    paragraphs = [p.text for p in Document(io.BytesIO(doc)).paragraphs]
    assert paragraphs[0] == "全省“五社联动”分析简报"
    # the same count the overview shows: 0 of 10 targets met on the hand-drawn province
    assert "全省11项2025年目标中,0项已达到,11项未达到。(见表1、图1)" in paragraphs
    assert len(at.get("download_button")) == 1
    # another region: the old file is not offered for it
    at.selectbox(key="ov_drill").set_value("C1").run()
    assert len(at.get("download_button")) == 0
