"""The shipped 鲁安市 sample, loaded whole with the national laws: sizes, the planted gaps the
manifest lists, clean matters, and idempotence of `ingest sample`."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from ingest.sample import SAMPLE_DIR, load_sample, read_manifest

pytestmark = pytest.mark.slow
IN_FORCE = "(r.valid_to IS NULL)"


@pytest.fixture(scope="module")
def loaded(falkor_server, tmp_path_factory) -> Iterator[tuple[GraphStore, dict, float]]:
    tmp = tmp_path_factory.mktemp("sample")
    settings = Settings(data_dir=tmp, graph_uri=f"falkordb://127.0.0.1:{falkor_server.port}", graph_name="sample_t")
    store = open_store(settings)
    load_sample(store, settings=settings)
    start = time.perf_counter()
    load_sample(store, settings=settings)  # the laws are found and skipped; everything else re-runs
    rerun = time.perf_counter() - start
    yield store, read_manifest(SAMPLE_DIR), rerun
    store.clear()
    store.close()


def _leads(store: GraphStore, matter: str) -> set[str]:
    rows = store.read(
        f"MATCH (d:Department)-[r:RESPONSIBLE_FOR {{role: 'lead'}}]->(:Matter {{id: $m}}) WHERE {IN_FORCE} "
        "RETURN DISTINCT d.name AS d",
        {"m": matter},
    )
    return {r["d"] for r in rows}


def _basis_status(store: GraphStore, duty: str) -> list[str]:
    rows = store.read(
        "MATCH (:Duty {id: $d})-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law) RETURN l.status AS s", {"d": duty}
    )
    return [r["s"] for r in rows]


def test_sizes(loaded):
    store, _, _ = loaded
    c = store.counts()
    assert c["Department"] >= 38 and c["Duty"] >= 300 and c["Mandate"] >= 15
    assert c["[:BASED_ON]"] >= 300, "most bases resolve to national-law articles"
    assert c["[:BOUNDARY_WITH]"] >= 30


def test_reload_changes_nothing_and_is_fast(loaded):
    store, _, rerun = loaded
    before = store.counts()
    load_sample(store, laws=True)
    assert store.counts() == before
    assert rerun < 120, f"re-running the sample took {rerun:.0f}s"


def test_planted_no_owner(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"]["no_owner"]:
        assert store.get_node("Matter", gap["matter"]) is not None, gap
        assert _leads(store, gap["matter"]) == set(), gap


def test_planted_two_leads(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"]["two_leads"]:
        assert _leads(store, gap["matter"]) >= set(gap["leads"]), gap


def test_planted_list_vs_ruling(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"].get("list_vs_ruling", []):
        assert gap["list_lead"] in _leads(store, gap["matter"]), gap


def test_planted_stale_bases(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"]["repealed_basis"]:
        assert "已废止" in _basis_status(store, gap["duty"]), gap
    for gap in manifest["gaps"]["amended_basis"]:
        statuses = _basis_status(store, gap["duty"])
        assert statuses and all(s != "现行有效" for s in statuses), gap


def test_planted_push_down(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"]["pushed_down"]:
        holder = store.read(
            "MATCH (d:Department)-[:HOLDS {role: 'lead'}]->(:Duty {id: $duty}) RETURN d.name AS n, d.kind AS k",
            {"duty": gap["duty"]},
        )
        assert holder == [{"n": gap["holder"], "k": "township"}], gap
        arts = store.read(
            "MATCH (:Duty {id: $duty})-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law) "
            "OPTIONAL MATCH (a)-[:DESIGNATES]->(au:Authority) RETURN l.status AS s, collect(au.id) AS auth",
            {"duty": gap["duty"]},
        )
        assert arts and all(a["s"] == "现行有效" for a in arts), "the basis itself is current law"
        designated = {x for a in arts for x in a["auth"]}
        acts = {r["a"] for r in store.read(
            "MATCH (:Department {name: $n})-[:ACTS_AS]->(au:Authority) RETURN au.id AS a", {"n": gap["holder"]})}
        assert not designated & acts, "the township does not itself act as the authority the statute names"


def test_clean_matters_have_one_current_lead(loaded):
    store, manifest, _ = loaded
    for item in manifest["clean_matters"]:
        assert _leads(store, item["matter"]) == {item["lead"]}, item
        stale = store.read(
            "MATCH (:Matter {id: $m})<-[:ABOUT]-(d:Duty)-[:BASED_ON]->(:Article)<-[:HAS_ARTICLE]-(l:Law) "
            "WHERE l.status <> '现行有效' RETURN d.code AS c",
            {"m": item["matter"]},
        )
        assert stale == [], item
