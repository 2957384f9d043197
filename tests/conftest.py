"""Shared fixtures: one real FalkorDB server (with its Bolt listener) for the whole test session.

Each test gets its own graph name on that server, so tests never see each other's data. The Bolt
listener serves a single graph, so Bolt tests clear it first.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings, get_settings
from graph.store import open_store
from graph.store.base import GraphStore
from graph.store.falkor_server import MAX_BOLT_PORT, EmbeddedFalkorDB, ServerInfo, free_port

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# tests call the API faster than any person: per-caller rate limits are tested where they are set explicitly
os.environ.setdefault("DUTYGRAPH_API_RATE_ANONYMOUS", "0")
os.environ.setdefault("DUTYGRAPH_API_RATE_KEYED", "0")
LAWREFBOOK = Path(__file__).resolve().parents[1].parent / "shared" / "lawrefbook"
_counter = itertools.count()


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("falkordb")


@pytest.fixture(scope="session")
def falkor_server(server_dir: Path) -> Iterator[ServerInfo]:
    server = EmbeddedFalkorDB(server_dir, port=0, bolt_port=free_port(below=MAX_BOLT_PORT))
    info = server.acquire()
    # the server is locked by a password: every `falkordb://` settings of the tests, and the commands they run, use it
    os.environ["DUTYGRAPH_FALKORDB_PASSWORD"] = info.password
    yield info
    server.release()


@pytest.fixture
def settings(falkor_server: ServerInfo, tmp_path: Path) -> Settings:
    """Settings for a fresh graph on the shared server; data_dir is private to the test."""
    return Settings(
        data_dir=tmp_path / "data",
        graph_uri=f"falkordb://127.0.0.1:{falkor_server.port}",
        graph_name=f"t{os.getpid()}_{next(_counter)}",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[GraphStore]:
    s = open_store(settings)
    yield s
    s.clear()
    s.close()


@pytest.fixture
def kb_store(store: GraphStore) -> GraphStore:
    """The test's graph holding the owner-ranking knowledge base (tests/owners_kb.py)."""
    from tests import owners_kb

    owners_kb.build_kb(store)
    return store


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The test's graph as the `dutygraph` command sees it (DUTYGRAPH_* variables), cleared afterwards."""
    monkeypatch.setenv("DUTYGRAPH_GRAPH_URI", settings.graph_uri)
    monkeypatch.setenv("DUTYGRAPH_GRAPH_NAME", settings.graph_name)
    monkeypatch.setenv("DUTYGRAPH_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()
    with open_store(settings) as s:
        s.clear()


@pytest.fixture(scope="session")
def _bolt_session_store(falkor_server: ServerInfo, server_dir: Path) -> Iterator[GraphStore]:
    """One driver for the whole session: FalkorDB 4.16's Bolt listener stops answering new
    connections after a client disconnects, so the tests never close it before the end."""
    s = open_store(
        Settings(
            data_dir=server_dir / "bolt-client",
            graph_uri=f"bolt://127.0.0.1:{falkor_server.bolt_port}",
            neo4j_user="falkordb",
            graph_name="falkordb",
        )
    )
    yield s
    s.close()


@pytest.fixture
def bolt_store(_bolt_session_store: GraphStore) -> Iterator[GraphStore]:
    _bolt_session_store.clear()
    if _bolt_session_store.changelog.anchor is not None:
        _bolt_session_store.changelog.anchor.unlink(missing_ok=True)
    yield _bolt_session_store
    _bolt_session_store.clear()


@pytest.fixture(scope="session")
def sample_kb(falkor_server: ServerInfo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The 鲁安市 sample + national laws, indexed like the demo (about 2 minutes, once per session)."""
    from tests.sample_kb import build_sample_kb

    settings = build_sample_kb(tmp_path_factory.mktemp("sample_kb"), falkor_server.port)
    keeper = open_store(settings)  # opened now, so the teardown needs no new connection
    yield settings
    keeper.clear()
    keeper.close()


@pytest.fixture
def lawrefbook() -> Path:
    if not LAWREFBOOK.is_dir():
        pytest.skip(f"LawRefBook snapshot not found at {LAWREFBOOK} (only in developers' checkouts and CI)")
    return LAWREFBOOK
