"""Streamlit's own file-uploader text in Chinese.

``st.file_uploader`` draws its button ("Upload"), its limit line ("200MB per file • CSV,
XLSX") and, while a file is dragged over it, "Drag and drop files here" in English whatever
the page's language, and offers no parameter to change them
(streamlit/streamlit#13500, open). The common workaround is CSS: hide the widget's text
(font size 0) and show the Chinese text as generated content in its place. The selectors
are the widget's ``data-testid`` attributes, which Streamlit's own tests rely on; the
browser journey (tests/test_browser_journey.py) reads the drawn text, so a Streamlit upgrade
that moves them fails there, not silently.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from wushe.app.views._i18n import lang

__all__ = ["uploader_css", "localise_uploader"]

_ZONE = '[data-testid="stFileUploaderDropzone"]'
_HINT = '[data-testid="stFileUploaderDropzoneInstructions"]'


def _quoted(text: str) -> str:
    """``text`` as a CSS string (our own fixed words: only quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_css(button: str, hint: str, drop: str) -> str:
    """CSS replacing the uploader's button text with ``button``, its limit line with
    ``hint`` and the line shown while a file is dragged over it with ``drop``.

    Examples
    --------
    >>> css = uploader_css("上传文件", "每个文件不超过 200MB", "将文件拖放到此处")
    >>> 'content: "上传文件"' in css and 'content: "每个文件不超过 200MB"' in css
    True
    """
    rules = []
    # the drag line is the zone's only child div without a test id
    for where, text in ((f"{_ZONE} button p", button), (f"{_HINT} span", hint),
                        (f"{_ZONE} > div:not([data-testid]) > span", drop)):
        rules.append(f"{where} {{ font-size: 0; }}")
        rules.append(f"{where}::after {{ content: {_quoted(text)}; font-size: 0.875rem; }}")
    return "\n".join(rules)


def localise_uploader(types: Sequence[str]) -> None:
    """In the Chinese UI, draw the page's file uploaders' own text in Chinese.

    ``types`` are the accepted file extensions, as given to ``st.file_uploader``.
    """
    if lang() != "zh":
        return
    limit = int(st.get_option("server.maxUploadSize"))
    kinds = "、".join(t.upper() for t in types)
    css = uploader_css("上传文件", f"每个文件不超过 {limit}MB · {kinds}", "将文件拖放到此处")
    st.html(f"<style>{css}</style>")
