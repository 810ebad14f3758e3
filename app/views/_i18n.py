"""Language of the app: Chinese by default, English switchable.

The switch itself lives in ``app.py``'s sidebar (key ``"lang"``, values ``"zh"``/``"en"``)
and is mirrored in the URL (``?lang=en``) so a shared link opens in the same language.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["LANGS", "lang", "pick", "tr"]

#: Language codes and how the switch shows them.
LANGS: dict[str, str] = {"zh": "中文", "en": "English"}


def lang() -> str:
    """The current language code: ``"zh"`` (default) or ``"en"``."""
    return "en" if st.session_state.get("lang") == "en" else "zh"


def tr(zh: str, en: str) -> str:
    """Pick the text for the current language.

    Parameters
    ----------
    zh, en : str
        The Chinese and the English text.

    Returns
    -------
    str
        ``en`` when the switch says English, otherwise ``zh``.
    """
    return en if lang() == "en" else zh


def pick(text: str) -> str:
    """The current language's half of a ``"中文 English"`` text (as some library notes are);
    notes joined by ";" are halved each. Other text is returned unchanged."""
    from wushe.app.readable import half

    return half(text, lang())
