"""The overview's "briefing" button: make the Word briefing of the region, then download it."""

from __future__ import annotations

import streamlit as st

from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr

__all__ = ["briefing_download"]

_KEY = "briefing_doc"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def briefing_download(level: str, region_id: str | None, region_name: str) -> None:
    """A button that makes the briefing (a few seconds) and a download button for it."""
    wanted = (level, region_id, lang())
    if st.button(tr("生成分析简报(Word)", "Make the briefing (Word)"), key="briefing_make",
                 icon=":material/description:"):
        with st.spinner(tr("正在生成简报……", "Making the briefing…")):
            st.session_state[_KEY] = (*wanted, _data.briefing_docx(level, region_id, lang()))
    made = st.session_state.get(_KEY)
    if made and made[:3] == wanted:
        st.download_button(tr("下载简报", "Download the briefing"), made[3],
                           file_name=tr(f"{region_name}五社联动分析简报.docx",
                                        f"{region_name} five-social linkage briefing.docx"),
                           mime=_DOCX, key="briefing_download", icon=":material/download:")
