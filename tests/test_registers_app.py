"""The data page's mapping step for registers (Streamlit AppTest, real embedded store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wushe.graph.backends.ladybug_store import LadybugStore

APP = str(Path(__file__).resolve().parents[1] / "app" / "main.py")

DIVISIONS = ("市,县(市、区),乡镇(街道),社区(村),统计用区划代码,城乡分类代码\n"
             "杭州市,西湖区,北山街道,福亭社区,330106002001,111\n")
# a platform export whose headers the synonyms do not know: 队员 and 小区
EXPORT = "队员,志愿者编号,小区,服务时长\n张小明,ZJ001,福亭社区,4\n"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "store"))
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    app.switch_page("views/data.py").run()
    assert not app.exception, app.exception
    return app


def test_mapping_step_maps_unknown_headers_previews_and_loads(at: AppTest, tmp_path: Path):
    at.file_uploader(key="upload_files").set_value([
        ("社区名单.csv", DIVISIONS.encode(), "text/csv"),
        ("志愿者导出.csv", EXPORT.encode(), "text/csv")]).run()
    assert not at.exception, at.exception
    volunteers = next(i for i, s in enumerate(at.selectbox)
                      if s.key and s.key.startswith("reg_kind_") and s.value == "volunteers")
    n = at.selectbox[volunteers].key.removeprefix("reg_kind_")
    assert at.selectbox(key=f"reg_field_{n}_volunteer_no").value == "志愿者编号"  # recognised
    assert at.selectbox(key=f"reg_field_{n}_name").value == "—"  # 队员 is not a known header
    at.selectbox(key=f"reg_field_{n}_name").set_value("队员").run()
    at.selectbox(key=f"reg_field_{n}_community").set_value("小区").run()
    # the preview names each field as the page does (姓名, not name)
    preview = next(d.value for d in at.dataframe if "志愿者编号" in d.value.columns)
    assert preview.to_dict("records") == [{"姓名": "张小明", "志愿者编号": "ZJ001",
                                           "所在社区": "福亭社区", "服务时长": "4"}]
    at.button(key="reg_load").click().run()
    assert not at.exception, at.exception
    assert at.success[-1].value == "已导入 5 个节点、4 条关系。"  # 4 regions, 1 volunteer
    store = LadybugStore(tmp_path / "store")
    lives = store.run("MATCH (v:Volunteer)-[:LIVES_IN]->(c:Community) RETURN v.name AS v, "
                      "c.name AS c")
    assert lives.values.tolist() == [["张*明", "福亭社区"]]
