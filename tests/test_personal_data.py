"""Personal data: names masked in the store and in exports, phone and ID numbers never in
clear anywhere in the store folder, and WUSHE_SHOW_FULL_NAMES for authorised deployments."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from wushe.app.export import frame_to_xlsx, to_gexf, to_graphml
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.loaders import read_import, salt_for_store

pytestmark = pytest.mark.store

PHONE = "13812345678"
ID_NUMBER = "33010619900101123X"
NAMES = {"V1": ("张小明", "张*明"), "V2": ("欧阳晓明", "欧**明"), "W1": ("李四", "李*")}


def _write_import(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Community.csv").write_text("id,name,kind\nM1,清波社区,urban\n", encoding="utf-8")
    (folder / "Volunteer.csv").write_text(
        "编号,姓名,联系电话,身份证号\n"
        f"V1,{NAMES['V1'][0]},{PHONE},{ID_NUMBER}\n"
        f"V2,{NAMES['V2'][0]},138 1234 5678,\n", encoding="utf-8")
    (folder / "SocialWorker.csv").write_text(
        f"id,name,certificate,role,phone\nW1,{NAMES['W1'][0]},none,community_worker,{PHONE}\n",
        encoding="utf-8")
    (folder / "LIVES_IN.csv").write_text("from,to\nV1,M1\nV2,M1\n", encoding="utf-8")
    return folder


def _load(tmp_path: Path) -> LadybugStore:
    store = LadybugStore(tmp_path / "store")
    tables = read_import(_write_import(tmp_path / "in"), salt=salt_for_store(store))
    store.load(tables, replace=True)
    return store


def _store_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_names_are_masked_in_the_store(tmp_path, monkeypatch):
    monkeypatch.delenv("WUSHE_SHOW_FULL_NAMES", raising=False)
    store = _load(tmp_path)
    df = store.run("MATCH (n) WHERE n.id IN ['V1', 'V2', 'W1'] RETURN n.id AS id, n.name AS name "
                   "ORDER BY id")
    assert df.values.tolist() == [[k, NAMES[k][1]] for k in ("V1", "V2", "W1")]
    raw = _store_bytes(store.path)
    for full, _ in NAMES.values():
        assert full.encode() not in raw
    store.close()


def test_phone_and_id_numbers_are_never_in_clear_in_the_store_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WUSHE_SALT", raising=False)
    store = _load(tmp_path)
    raw = _store_bytes(store.path)
    for secret in (PHONE, ID_NUMBER, "138 1234 5678", ID_NUMBER.lower(), PHONE[-8:]):
        assert secret.encode() not in raw, secret
        assert secret.encode("utf-16-le") not in raw, secret
    phones = store.run("MATCH (n) WHERE n.phone IS NOT NULL RETURN n.id AS id, n.phone AS p "
                       "ORDER BY id")
    # salted hashes, and the same number written two ways gives the same hash
    assert all(p.startswith("sha256:") and len(p) == 71 for p in phones["p"])
    assert phones["p"].nunique() == 1
    store.close()


def test_import_warns_about_masking_and_hashing(tmp_path, monkeypatch):
    monkeypatch.delenv("WUSHE_SHOW_FULL_NAMES", raising=False)
    result = read_import(_write_import(tmp_path / "in"), salt=b"s")
    texts = " ".join(n.zh + n.en for n in result.warnings)
    assert "脱敏" in texts and "哈希" in texts and "WUSHE_SHOW_FULL_NAMES" in texts


def test_show_full_names_setting_keeps_names_for_authorised_deployments(tmp_path, monkeypatch):
    monkeypatch.setenv("WUSHE_SHOW_FULL_NAMES", "1")
    store = _load(tmp_path)
    df = store.run("MATCH (v:Volunteer) RETURN v.id AS id, v.name AS name ORDER BY id")
    assert df["name"].tolist() == [NAMES["V1"][0], NAMES["V2"][0]]
    # phones stay hashed even then
    assert PHONE.encode() not in _store_bytes(store.path)
    store.close()


@pytest.fixture
def masked_store(tmp_path, monkeypatch):
    monkeypatch.delenv("WUSHE_SHOW_FULL_NAMES", raising=False)
    store = _load(tmp_path)
    yield store
    store.close()


def test_exports_of_query_results_hold_no_full_names_or_phones(masked_store):
    g = masked_store.subgraph("MATCH (v:Volunteer)-[r:LIVES_IN]->(c:Community) RETURN v, r, c")
    assert sorted(g.nodes[n].get("name") for n in ("V1", "V2")) == ["张*明", "欧**明"]
    df = masked_store.run("MATCH (v) WHERE v.id IN ['V1', 'V2', 'W1'] "
                          "RETURN v.id AS id, v.name AS name, v.phone AS phone ORDER BY id")
    xlsx = frame_to_xlsx(df)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row]
    assert "张*明" in cells
    for blob in (to_gexf(g), to_graphml(g), "\n".join(cells).encode()):
        for full, _ in NAMES.values():
            assert full.encode() not in blob
        assert PHONE.encode() not in blob and ID_NUMBER.encode() not in blob
