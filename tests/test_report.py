"""Region reports (XLSX and Markdown) and the analyze() entry point on the worked example."""

import pandas as pd
import pytest
from fixtures_analysis import WINDOW, load_tiny_store

from wushe.app.report import build_report, write_report
from wushe.graph.analytics import analyze
from wushe.graph.errors import WusheError
from wushe.graph.schema import LINKAGE_MODES
from wushe.queries import registry

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = load_tiny_store(tmp_path_factory.mktemp("tiny") / "store")
    yield s
    s.close()


def test_every_analysis_query_runs_on_ladybug(store):
    names = [q.name for q in registry.list_queries("analysis")]
    assert len(names) == 17
    for q in registry.list_queries("analysis"):
        params = {"township_id": "T1"} if "township_id" in {p.name for p in q.params} else {}
        if "county_id" in {p.name for p in q.params}:
            params["county_id"] = "CO1"
        df = registry.run(store, q.name, **params)
        assert len(df) > 0, q.name


def test_township_participants_and_community_links(store):
    rows = registry.run(store, "township_participants", township_id="T2", year_from=2024,
                        year_to=2025)
    assert sorted(rows["project_id"].unique()) == ["P5", "P6", "P7"]
    links = registry.run(store, "community_links_via_orgs", county_id="CO1")
    # OT1 serves both C1 and C3; no other organization touches two communities.
    assert links.to_dict("records") == [{"source": "C1", "target": "C3", "shared_orgs": 1}]


def test_analyze_returns_every_table(store):
    an = analyze(store, years=WINDOW)
    assert an.years == WINDOW
    for name in ("coverage", "density", "modes", "index"):
        assert len(getattr(an, name)) == 7, name
    assert set(an.modes["mode"]) == {"community_led", "organization_carrier", "worker_driven",
                                     "volunteer_assisted", "charity_leveraged", "mixed", "none"}
    assert set(an.gaps["kind"]) == {"missing_element", "target_not_met", "low_density",
                                    "single_broker", "no_active_volunteer_org", "unmet_needs",
                                    "missing_data"}
    assert len(an.matches) > 0
    assert set(an.targets["level"]) == {"community", "township", "county", "city", "province"}
    assert "queries" in an.seconds


def test_township_report_holds_its_communities_and_level(store):
    rep = build_report(store, "T1", years=WINDOW)
    assert list(rep) == ["targets", "modes", "index", "gaps", "matches"]
    assert set(rep["targets"]["region_id"]) == {"T1"} and len(rep["targets"]) == 11
    assert list(rep["modes"]["community_id"]) == ["C1", "C2", "C3"]
    assert list(rep["modes"]["mode"]) == ["community_led", "organization_carrier",
                                          "worker_driven"]


def test_province_report_without_region(store):
    rep = build_report(store, years=WINDOW)
    assert set(rep["targets"]["region_id"]) == {"province"}
    assert len(rep["modes"]) == 7


def test_report_rejects_unknown_region(store):
    with pytest.raises(WusheError, match="is called or numbered 'X9'"):
        build_report(store, "X9")


def test_write_xlsx_has_one_sheet_per_part(store, tmp_path):
    rep = build_report(store, "C3", years=WINDOW)
    out = write_report(rep, tmp_path / "r.xlsx", fmt="xlsx")
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert list(sheets) == ["2025年目标完成情况", "联动模式", "联动指数与活力指数", "短板",
                            "精准对接建议"]
    assert sheets["联动模式"].loc[0, "联动模式"] == LINKAGE_MODES["worker_driven"][0]
    assert sheets["联动模式"].loc[0, "编号"] == "C3"
    assert len(sheets["2025年目标完成情况"]) == 4  # community level: four targets
    en = write_report(rep, tmp_path / "r-en.xlsx", fmt="xlsx", lang="en")
    assert list(pd.read_excel(en, sheet_name=None, engine="calamine"))[0] == "2025 targets"


def test_write_markdown_has_sections_in_the_reader_s_language(store, tmp_path):
    rep = build_report(store, "C7", years=WINDOW)
    text = write_report(rep, tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert "## 联动模式\n" in text
    assert "| C7 |" in text and "无项目" in text
    # the as-of date is named, and C7's blank certified figure shows as a data gap
    assert "目标基准日:**2025-12-31**" in text
    assert "| 数据不足 |" in text and "1个社区缺少此数据" in text


def test_report_judges_targets_at_the_as_of_date(store, tmp_path):
    import datetime as dt

    rep = build_report(store, years=WINDOW, as_of=dt.date(2024, 6, 1))
    t = rep["targets"].set_index("target")
    assert t.loc["orgs_4a", "value"] == 4       # O2-1's 5A is still valid on 2024-06-01
    assert set(t["as_of"]) == {"2024-06-01"}


def test_write_report_rejects_unknown_format(store, tmp_path):
    with pytest.raises(WusheError, match="Unknown report format 'pdf'"):
        write_report({}, tmp_path / "r.pdf", fmt="pdf")


def test_cli_report_names_the_date_and_scales_province_counts(store, tmp_path):
    from click.testing import CliRunner

    from wushe.app.cli import cli

    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--store", str(store.path), "--format", "md",
                                      "--out", str(out), "--as-of", "2024-06-01",
                                      "--province-share", "0.5"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "目标基准日:**2024-06-01**" in text
    # 4A+ on 2024-06-01: 4 (O2-1 still valid) against 3800 × 0.5
    row = next(line for line in text.splitlines() if "| 4A级及以上社会组织数 |" in line)
    assert "| 4 家 | 1,900 家 |" in row
