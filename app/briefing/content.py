"""What a briefing says: findings in plain sentences, computed from the analysis tables.

Every sentence names the table or figure it comes from, so a reader can check it; nothing
here formats a document (see :mod:`wushe.app.briefing.docx_writer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from wushe.app.report import SubRegion, report_from_facts, resolve_region
from wushe.graph.analytics.analysis import analyze_facts
from wushe.graph.analytics.facts import DEFAULT_AS_OF, Years, load_facts
from wushe.graph.analytics.gaps import GAP_KINDS
from wushe.graph.analytics.kept import kept_analysis, kept_facts
from wushe.graph.analytics.matches import matches
from wushe.graph.analytics.modes import MODES
from wushe.graph.backends.base import GraphBackend
from wushe.graph.schema import ELEMENTS

__all__ = ["Briefing", "Finding", "build_briefing", "fmt_value", "fmt_pct", "LANGS"]

LANGS = ("zh", "en")
#: How many under-connected communities the briefing lists.
WORST_N = 15
#: Community figures whose blanks the data-quality note counts (column → (中文, English)).
_FIGURES = {
    "population": ("常住人口", "population"),
    "fulltime_workers": ("专职社区工作者数", "full-time community workers"),
    "certified_workers": ("持证专职社区工作者数", "certified full-time workers"),
    "complex_star": ("综合体星级", "service-complex star"),
}
_MODE_NAMES = {key: (zh, en) for key, zh, en in MODES.values()}


@dataclass(frozen=True)
class Finding:
    """One sentence of the findings and the table or figure it is read from."""

    text: str
    source: str


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing shows, already in the reader's language.

    targets : the region's targets (one row per target, raw values)
    modes_by_area : communities per linkage mode (columns) in each sub-area (rows)
    index_values : the linkage index of every community in the region
    missing : communities missing each element (index: element display name)
    worst : the most under-connected communities with gaps and the top match, in words
    appendix : the detail tables behind every number, keyed by sheet
    """

    lang: str
    title: str
    region: str
    level: str
    data_date: str
    as_of: dt.date
    n_communities: int
    findings: list[Finding]
    targets: pd.DataFrame
    modes_by_area: pd.DataFrame
    area_label: str
    index_values: pd.Series
    missing: pd.Series
    worst: pd.DataFrame
    method: list[str]
    quality: list[str]
    appendix: dict[str, pd.DataFrame] = field(default_factory=dict)

    def t(self, zh: str, en: str) -> str:
        """The text in the briefing's language."""
        return zh if self.lang == "zh" else en


def fmt_pct(x: float, digits: int = 1) -> str:
    """A share as a percentage: ``fmt_pct(0.637)`` → ``'63.7%'``.

    >>> fmt_pct(0.6371), fmt_pct(1.0), fmt_pct(float("nan"))
    ('63.7%', '100.0%', '—')
    """
    return "—" if pd.isna(x) else f"{x * 100:.{digits}f}%"


def fmt_value(value: float, unit: str) -> str:
    """A target's value as people write it: shares as percentages, counts whole.

    >>> fmt_value(0.6371, "比例"), fmt_value(29.0, "家"), fmt_value(11.8769, "个/社区")
    ('63.7%', '29', '11.9')
    >>> fmt_value(float("nan"), "家")
    '—'
    """
    if pd.isna(value):
        return "—"
    if unit == "比例" or (unit == "个/社区" and value <= 1.0 and value != int(value)):
        return fmt_pct(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _att(x: float) -> str:
    """Attainment in whole percent, with one decimal below 1% so it never reads 0%."""
    return fmt_pct(x, 1 if x < 0.01 else 0)


def _share_unit(row: pd.Series) -> bool:
    """Targets whose value is a share of communities (every-community targets above level)."""
    return row["unit"] == "比例" or "占比" in str(row.get("note", ""))


def _target_text(row: pd.Series) -> tuple[str, str]:
    share = _share_unit(row)
    v = fmt_pct(row["value"]) if share else fmt_value(row["value"], row["unit"])
    tv = fmt_pct(row["target_value"]) if share else fmt_value(row["target_value"], row["unit"])
    return v, tv


def _target_findings(tg: pd.DataFrame, region: str, t) -> list[Finding]:
    src = t("见表1、图1", "see Table 1, Figure 1")
    # Targets that do not apply here are not counted; unknown ones cannot be judged.
    if "status" in tg.columns:
        tg = tg[tg["status"] != "not_applicable"]
        known = tg[tg["status"].isin(["met", "not_met"])]
    else:
        known = tg[tg["value"].notna()]
    met = int(known["met"].astype(bool).sum())
    out = [Finding(t(f"{region}{len(tg)}项2025年目标中,{met}项已达到,"
                     f"{len(known) - met}项未达到"
                     + (f",{len(tg) - len(known)}项因数据缺失无法判断" if len(known) < len(tg)
                        else "") + "。",
                     f"Of the {len(tg)} targets for 2025, {region} meets {met} and misses "
                     f"{len(known) - met}"
                     + (f"; {len(tg) - len(known)} cannot be judged for missing data"
                        if len(known) < len(tg) else "") + "."), src)]
    binding_missed = known[(known["binding"] == "binding") & ~known["met"].astype(bool)]
    for _, r in binding_missed.iterrows():
        v, tv = _target_text(r)
        gap = r["target_value"] - r["value"]
        gap_s = (f"{gap * 100:.1f}个百分点" if _share_unit(r) else fmt_value(gap, r["unit"]))
        gap_e = (f"{gap * 100:.1f} percentage points" if _share_unit(r)
                 else fmt_value(gap, r["unit"]))
        out.append(Finding(
            t(f"约束性指标「{r['zh']}」为{v},目标{tv},尚差{gap_s}。",
              f"Binding target '{r['en']}' stands at {v} against {tv}, {gap_e} short."), src))
    if len(binding_missed) == 0 and (known["binding"] == "binding").any():
        out.append(Finding(t("约束性指标全部达标。", "Every binding target is met."), src))
    expected_missed = known[(known["binding"] != "binding") & ~known["met"].astype(bool)]
    if len(expected_missed):
        r = expected_missed.sort_values("attainment").iloc[0]
        out.append(Finding(
            t(f"预期性指标中完成度最低的是「{r['zh']}」,完成{_att(r['attainment'])}。",
              f"Among expected targets, '{r['en']}' is furthest behind at "
              f"{_att(r['attainment'])} of its target."), src))
    return out


def _mode_findings(modes: pd.DataFrame, by_area: pd.DataFrame, area_label: str,
                   t) -> list[Finding]:
    src = t("见图2、表2", "see Figure 2, Table 2")
    n = len(modes)
    if n == 0:
        return []
    counts = modes["mode"].value_counts()
    k = int(counts.iloc[0])
    tied = sorted(counts.index[counts == k], key=list(_MODE_NAMES).index)
    zh = "、".join(_MODE_NAMES[m][0] for m in tied)
    en = ", ".join(_MODE_NAMES[m][1] for m in tied)
    if len(tied) == 1:
        first = Finding(t(f"{n}个社区中最常见的联动模式是{zh}({k}个,占{fmt_pct(k / n)})。",
                          f"The most common linkage mode among the {n} communities is {en} "
                          f"({k}, {fmt_pct(k / n)})."), src)
    else:
        first = Finding(t(f"{n}个社区中没有一种联动模式占多数:{zh}并列最多,各{k}个。",
                          f"No linkage mode prevails among the {n} communities: {en} tie "
                          f"with {k} each."), src)
    out = [first]
    charity = "charity_leveraged"
    k_ch = int(counts.get(charity, 0))
    if k_ch == 0:
        out.append(Finding(t("尚无社区形成社会慈善资源撬动型联动。",
                             "No community is charity-leveraged yet."), src))
    else:
        col = by_area[charity] if charity in by_area else pd.Series(dtype=int)
        where = col[col > 0].sort_values(ascending=False).head(3)
        places = "、".join(f"{a}({int(c)}个)" for a, c in where.items())
        places_en = ", ".join(f"{a} ({int(c)})" for a, c in where.items())
        out.append(Finding(
            t(f"社会慈善资源撬动型社区{k_ch}个,较多分布在{places}。",
              f"{k_ch} communities are charity-leveraged, most of them in {places_en}."), src))
    return out


def _missing_findings(missing: pd.Series, n_missing_any: int, n: int, t) -> list[Finding]:
    src = t("见图4", "see Figure 4")
    if n_missing_any == 0:
        return [Finding(t("所有社区五类要素齐全。",
                          "Every community has all five elements."), src)]
    top, k = missing.index[0], int(missing.iloc[0])
    return [Finding(
        t(f"{n_missing_any}个社区(占{fmt_pct(n_missing_any / n)})缺少至少一类要素,"
          f"缺少最多的是{top}({k}个社区)。",
          f"{n_missing_any} communities ({fmt_pct(n_missing_any / n)}) lack at least one "
          f"element; the most often missing is {top} ({k} communities)."), src)]


def _index_findings(values: pd.Series, worst_n: int, t) -> list[Finding]:
    if values.empty:
        return []
    med, low = values.median(), values.quantile(0.1)
    return [Finding(
        t(f"社区联动指数中位数为{med:.0f}分,最低的10%社区在{low:.0f}分以下;"
          f"联动指数最低的{worst_n}个社区列于表3。",
          f"The median linkage index is {med:.0f}; the lowest tenth of communities score "
          f"below {low:.0f}. The {worst_n} lowest are listed in Table 3."),
        t("见图3、表3", "see Figure 3, Table 3"))]


def _sub_areas(index: pd.DataFrame, sub: SubRegion) -> pd.Series:
    """Each community's sub-area name (the level below the region)."""
    return index[sub.name_col] if sub.name_col in index else pd.Series("—", index.index)


def _worst_ids(idx: pd.DataFrame, gaps: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` communities with the lowest linkage index (most gap severity breaks ties)."""
    severity = gaps.groupby("community_id")["severity"].sum()
    ranked = (idx.assign(severity=idx["community_id"].map(severity).fillna(0))
              .sort_values(["linkage_index", "severity", "community_id"],
                           ascending=[True, False, True]).head(n))
    return list(ranked["community_id"])


def _worst(ids: list[str], report: dict[str, pd.DataFrame], t) -> pd.DataFrame:
    """Table 3: the communities ``ids`` in order, their gaps and top match in words."""
    idx, gaps, matches = report["index"], report["gaps"], report["matches"]
    ranked = idx.set_index("community_id").loc[ids].reset_index()
    kinds = {k: t(*v) for k, v in GAP_KINDS.items()}
    rows = []
    for _, r in ranked.iterrows():
        g = gaps[gaps["community_id"] == r["community_id"]]
        g = g.sort_values(["severity", "kind"], ascending=[False, True])
        gap_words = "、" if t("zh", "en") == "zh" else "; "
        gap_text = gap_words.join(dict.fromkeys(kinds[k] for k in g["kind"])) or t("无", "none")
        m = matches[matches["community_id"] == r["community_id"]]
        m = m.sort_values(["rank", "fit"], ascending=[True, False])
        if m.empty:
            match_text = t("附近暂无可对接资源", "no nearby resource found")
        else:
            best = m.iloc[0]
            match_text = t(f"{best['resource_name']}({best['reason_zh']})",
                           f"{best['resource_name']} ({best['reason_en']})")
        rows.append({
            t("社区", "Community"): r["community"],
            t("所属乡镇(街道)", "Township"): r.get("township", ""),
            t("联动指数", "Linkage index"): round(float(r["linkage_index"]), 1),
            t("主要短板", "Main gaps"): gap_text,
            t("建议对接", "Suggested resource"): match_text,
        })
    return pd.DataFrame(rows)


def _method(tg: pd.DataFrame, t) -> list[str]:
    lines = [t(f"「{r['zh']}」:依据政策原文“{r['policy']}”。",
               f"'{r['en']}': from the policy sentence “{r['policy']}”.")
             for _, r in tg.iterrows()]
    lines += [
        t("联动模式:按各要素在社区项目中发起、牵头和出资的份额判断;领先第二位不足规定幅度时为混合型。",
          "Linkage mode: from each element's share of initiating, leading and funding the "
          "community's projects; when no element leads the runner-up by the set margin the "
          "community is mixed."),
        t("联动指数(0–100):党建引领、要素覆盖、联动密度和多要素项目等维度按权重合成。",
          "Linkage index (0–100): Party leadership, element coverage, linkage density and "
          "multi-element projects, weighted."),
        t("要素短板:社区未与某类要素建立联系即为缺失。",
          "Missing element: the community has no link to any actor of that element."),
    ]
    return lines


def _quality(communities: pd.DataFrame, orphans: int, t) -> list[str]:
    out = []
    n = len(communities)
    for col, (zh, en) in _FIGURES.items():
        if col in communities:
            k = int(communities[col].isna().sum())
            if k:
                out.append(t(f"{k}个社区(共{n}个)缺少“{zh}”数据,相关比率未计入这些社区。",
                             f"{k} of {n} communities lack the figure '{en}'; ratios leave "
                             "them out."))
    if orphans:
        out.append(t(f"{orphans}条记录未与任何社区或组织关联(孤立记录)。",
                     f"{orphans} records are linked to no community or organization (orphans)."))
    if not out:
        out.append(t("各项社区基础数据齐全,未发现孤立记录。",
                     "No community figure is blank and no record is orphaned."))
    return out


def build_briefing(backend: GraphBackend, region: str | None = None, *, lang: str = "zh",
                   years: Years = None, as_of: dt.date | None = None,
                   data_date: dt.date | None = None, worst_n: int = WORST_N) -> Briefing:
    """The briefing of one region (the province when ``region`` is None).

    Parameters
    ----------
    backend : GraphBackend
        The store to read.
    region : str, optional
        A city, county, township or community, by id or by name.
    lang : {"zh", "en"}
        The reader's language (default Chinese).
    years : (int, int), optional
        The project window (default: all years).
    as_of : datetime.date, optional (default=2025-12-31)
        The date the targets are judged at (ratings expire relative to it).
    data_date : datetime.date, optional
        The date the data describes, shown on the title page (default: the data date of
        the store's current version, see ``wushe versions``).
    worst_n : int, optional (default=15)
        How many under-connected communities Table 3 lists.

    Raises
    ------
    WusheError
        for an unknown or ambiguous region, or an unknown language.
    """
    from wushe.graph.errors import WusheError
    from wushe.queries import registry

    if lang not in LANGS:
        raise WusheError(f"Unknown language '{lang}'; use zh or en.",
                         f"未知的语言「{lang}」;请使用 zh 或 en。")

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    as_of = as_of or DEFAULT_AS_OF
    # The analysis kept with the store's version was made for the default window and date;
    # matches are computed below for the listed communities only (the slow step).
    kept = years is None and as_of == DEFAULT_AS_OF
    facts = (kept_facts(backend) if kept else None) or load_facts(backend, years=years,
                                                                  as_of=as_of)
    analysis = (kept_analysis(backend) if kept else None) or analyze_facts(
        facts, with_matches=False)
    place = resolve_region(facts.communities, region)
    report = report_from_facts(facts, region, analysis=analysis)
    tg, modes, idx = report["targets"], report["modes"], report["index"]
    comm = facts.communities
    comm = comm[comm["community_id"].isin(idx["community_id"])]
    idx = idx.merge(comm[["community_id", "township", "county", "city"]], on="community_id",
                    how="left")

    name = t(place.name, "Province") if place.level == "province" else place.name
    sub = place.sub_region()
    area = _sub_areas(idx, sub).rename("area")
    mode_area = modes[["community_id", "mode"]].merge(
        pd.concat([idx["community_id"], area], axis=1), on="community_id", how="left")
    by_area = (mode_area.pivot_table(index="area", columns="mode", aggfunc="size", fill_value=0)
               if len(mode_area) else pd.DataFrame())

    gaps = report["gaps"]
    miss = gaps[gaps["kind"] == "missing_element"]
    element_names = {k: t(*v) for k, v in ELEMENTS.items()}
    missing = (miss["item"].map(element_names).value_counts()
               if len(miss) else pd.Series(dtype=int))
    n = len(idx)
    worst_ids = _worst_ids(idx, report["gaps"], worst_n)
    report["matches"] = matches(facts, report["gaps"][report["gaps"]["community_id"].isin(
        worst_ids)], n=1)
    worst = _worst(worst_ids, {**report, "index": idx}, t)

    findings = (_target_findings(tg, name, t)
                + _mode_findings(modes, by_area, t(sub.label_zh, sub.label_en), t)
                + _missing_findings(missing, int(miss["community_id"].nunique()), max(n, 1), t)
                + _index_findings(idx["linkage_index"], len(worst), t))
    orphans = int(registry.run(backend, "orphans")["orphans"].sum())
    quality = _quality(comm, orphans, t)
    if data_date is None and (current := backend.current_version()) is not None:
        data_date = dt.date.fromisoformat(current.data_date) if current.data_date else None
    date_text = data_date.isoformat() if data_date else t("未注明", "not given")
    return Briefing(
        lang=lang,
        title=t(f"{name}“五社联动”分析简报", f"Five-social linkage briefing: {name}"),
        region=name, level=place.level, data_date=date_text, as_of=as_of,
        n_communities=n, findings=findings, targets=tg, modes_by_area=by_area,
        area_label=t(sub.label_zh, sub.label_en), index_values=idx["linkage_index"],
        missing=missing, worst=worst, method=_method(tg, t), quality=quality,
        appendix=report,
    )
