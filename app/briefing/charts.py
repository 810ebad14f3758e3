"""The briefing's four charts, drawn with matplotlib into PNG bytes with a CJK font."""

from __future__ import annotations

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from wushe.graph.errors import WusheError  # noqa: E402

__all__ = ["attainment_chart", "modes_chart", "index_chart", "missing_chart", "cjk_font"]

#: CJK fonts tried in order (Debian: fonts-wqy-microhei, fonts-noto-cjk; Windows: SimHei).
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC",
                "Microsoft YaHei", "SimHei")
_DPI = 150
_MET, _MISSED, _UNKNOWN = "#2e7d32", "#c62828", "#9e9e9e"
_MODE_COLORS = {
    "community_led": "#1565c0", "organization_carrier": "#2e7d32", "worker_driven": "#6a1b9a",
    "volunteer_assisted": "#ef6c00", "charity_leveraged": "#c62828", "mixed": "#78909c",
    "none": "#cfd8dc",
}


@cache
def cjk_font() -> str:
    """The family name of an installed font that draws Chinese.

    Raises
    ------
    WusheError
        when none is installed (charts would show empty boxes instead of Chinese).
    """
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return family
    raise WusheError(
        "No Chinese font is installed for the charts; install one, e.g. "
        "'apt-get install fonts-wqy-microhei'.",
        "图表缺少中文字体;请先安装,例如 'apt-get install fonts-wqy-microhei'。")


def _figure(height: float) -> tuple[plt.Figure, plt.Axes]:
    plt.rcParams["font.family"] = [cjk_font(), "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(6.3, height), dpi=_DPI)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def attainment_chart(targets: pd.DataFrame, lang: str) -> bytes:
    """Each target's attainment (value ÷ target) as a bar, the 100% line marked."""
    zh = lang == "zh"
    df = targets.iloc[::-1]
    fig, ax = _figure(0.35 * len(df) + 1.0)
    att = (df["attainment"].astype(float) * 100).clip(upper=150)
    colors = [_UNKNOWN if pd.isna(v) else (_MET if m else _MISSED)
              for v, m in zip(df["value"], df["met"].astype(bool), strict=True)]
    labels = [f"{r['zh'] if zh else r['en']}{' *' if r['binding'] == 'binding' else ''}"
              for _, r in df.iterrows()]
    ax.barh(labels, att.fillna(0), color=colors)
    ax.axvline(100, color="#424242", linewidth=1, linestyle="--")
    for y, v in enumerate(att):
        ax.text((0 if pd.isna(v) else v) + 2, y, "—" if pd.isna(v) else f"{v:.0f}%",
                va="center", fontsize=7)
    ax.set_xlim(0, 165)
    ax.set_xlabel("完成度(%,* 为约束性指标)" if zh else "Attainment (%, * binding)")
    ax.tick_params(axis="y", labelsize=7)
    return _png(fig)


def modes_chart(by_area: pd.DataFrame, area_label: str, lang: str,
                mode_names: dict[str, tuple[str, str]], top: int = 12) -> bytes:
    """Communities per linkage mode, stacked, for the largest ``top`` sub-areas."""
    zh = lang == "zh"
    df = by_area.loc[by_area.sum(axis=1).sort_values(ascending=False).index[:top]].iloc[::-1]
    fig, ax = _figure(0.3 * max(len(df), 3) + 1.2)
    left = pd.Series(0, index=df.index)
    for mode in [m for m in _MODE_COLORS if m in df.columns]:
        name = mode_names.get(mode, (mode, mode))[0 if zh else 1]
        ax.barh(df.index.astype(str), df[mode], left=left, color=_MODE_COLORS[mode],
                label=name)
        left = left + df[mode]
    ax.set_xlabel("社区数" if zh else "Communities")
    ax.set_ylabel(area_label)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=6, ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              frameon=False)
    return _png(fig)


def index_chart(values: pd.Series, lang: str) -> bytes:
    """The distribution of the linkage index (0–100) over the region's communities."""
    zh = lang == "zh"
    fig, ax = _figure(2.4)
    ax.hist(values.dropna(), bins=range(0, 105, 5), color="#1565c0", edgecolor="white")
    if len(values.dropna()):
        med = float(values.median())
        ax.axvline(med, color="#c62828", linestyle="--", linewidth=1)
        ax.text(med + 1, ax.get_ylim()[1] * 0.9, ("中位数 " if zh else "median ") + f"{med:.0f}",
                fontsize=7, color="#c62828")
    ax.set_xlabel("联动指数" if zh else "Linkage index")
    ax.set_ylabel("社区数" if zh else "Communities")
    return _png(fig)


def missing_chart(missing: pd.Series, lang: str) -> bytes:
    """How many communities lack each element, most often missing first."""
    zh = lang == "zh"
    fig, ax = _figure(2.2)
    s = missing.sort_values()
    ax.barh(s.index.astype(str), s.values, color="#ef6c00")
    for y, v in enumerate(s.values):
        ax.text(v, y, f" {int(v)}", va="center", fontsize=7)
    ax.set_xlabel("缺少该要素的社区数" if zh else "Communities lacking the element")
    if s.empty:
        ax.text(0.5, 0.5, "无" if zh else "none", transform=ax.transAxes, ha="center")
    return _png(fig)
