"""Integration: a handful of real statutes from the LawRefBook snapshot (skipped where it is absent).

The files are copied into a temporary folder at test time (keeping their place in the layout), never
into the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.laws import find_article, load_laws

FILES = (
    "DLC/山东地方法规/地方性法规/山东/烟台市养犬管理条例(2021-09-30).md",
    "行政法规/专利法实施细则(2010-01-09).md",
    "行政法规/专利法实施细则(2023-12-11).md",
    "DLC/上海地方法规/地方性法规/上海/上海市养犬管理条例.md",
)

pytestmark = pytest.mark.lawrefbook


@pytest.fixture
def sample(lawrefbook: Path, tmp_path: Path) -> Path:
    root = tmp_path / "lrb"
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(lawrefbook / rel, root / rel)
    return root


def designations(store: GraphStore, article_id: str) -> set[tuple[str, str]]:
    rows = store.read("MATCH (:Article {id: $id})-[e:DESIGNATES]->(a:Authority) RETURN a.name AS n, e.role AS r",
                      {"id": article_id})
    return {(r["n"], r["r"]) for r in rows}


def test_real_statutes(store: GraphStore, settings: Settings, sample: Path) -> None:
    report = load_laws(store, sample, settings=settings)
    assert report.laws == 4 and report.skipped == 0
    yantai = store.read("MATCH (l:Law {title: '烟台市养犬管理条例'}) RETURN properties(l) AS l")[0]["l"]
    assert yantai["jurisdiction"] == "jur:全国/山东省/烟台市"
    assert yantai["level"] == "地方性法规" and yantai["issuer"] == "烟台市人民代表大会常务委员会"
    shanghai = store.read("MATCH (l:Law {title: '上海市养犬管理条例'}) RETURN l.jurisdiction AS j")[0]["j"]
    assert shanghai == "jur:全国/上海市"

    art4 = find_article(store, "烟台市养犬管理条例", "第四条")
    got = designations(store, art4)
    assert {("公安机关", "lead"), ("城市管理部门", "lead"), ("农业农村主管部门", "lead")} <= got
    assert {("财政部门", "cooperate"), ("市场监督管理部门", "cooperate")} <= got
    assert designations(store, find_article(store, "烟台市养犬管理条例", 5)) == {
        ("乡镇人民政府", "territorial"), ("街道办事处", "territorial"),
    }

    versions = store.read(
        "MATCH (l:Law {title: '中华人民共和国专利法实施细则'}) RETURN l.version AS v, l.status AS s, l.id AS id ORDER BY v"
    )
    assert [(r["v"], r["s"]) for r in versions] == [("2010-01-09", "已修改"), ("2023-12-11", "现行有效")]
    ends = store.read(
        "MATCH (:Law {id: $id})-[:HAS_ARTICLE]->()-[e:DESIGNATES]->() RETURN DISTINCT e.valid_to AS t",
        {"id": versions[0]["id"]},
    )
    assert ends == [{"t": "2023-12-11"}]
    assert find_article(store, "专利法实施细则", 3, as_of="2015-06-01") == f"{versions[0]['id']}#第3条"
    assert find_article(store, "《中华人民共和国专利法实施细则》", "第三条") == f"{versions[1]['id']}#第3条"
