"""The retrieval facade: load the persisted indexes once, answer hybrid searches in milliseconds.

Candidate-owner ranking and analogous-ruling search call `Retriever.search`; each `Hit` carries the
unit, both component scores with their ranks, and the fused score (= vector_part + lexical_part).

With two vector tiers (the static tier beside e5) each tier ranks the allowed units it has vectors
for and the two rankings are fused by rank (`fuse_ranks`) into the one vector ranking that meets BM25.
That ranking's score column is the static tier's cosine, the one space every unit has: so a hit's
vector score stays comparable between searches of one query, as owner ranking expects.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import numpy as np

from graph.errors import DutygraphError
from graph.settings import Settings, get_settings
from search.embedders import Embedder, make_embedder
from search.embedders.query_cache import QueryVectors
from search.feedback import with_feedback
from search.filters import UnitFilter, UnitTable
from search.hybrid import FusionParams, Scores, fuse_ranks, fused_top
from search.index_build import LEXICAL, TABLE, UNITS, VECTORS, VECTORS_STATIC, index_dir
from search.lexical import LexicalIndex
from search.manifest import MANIFEST, Manifest, TierInfo, tier_label
from search.statutes import by_mean_cosine, statute_codes
from search.unit_store import UnitStore
from search.units import TextUnit
from search.vector import VectorIndex
from search.vector.tiers import VectorTier, covered_rows

RetrievalMode = Literal["hybrid", "vector", "lexical"]  # which rankings a search fuses


class IndexUnavailable(DutygraphError):
    """The search indexes are missing or were built with another model: `dutygraph index rebuild`."""


class Hit(Scores):
    """A retrieved unit with the parts of its fused score."""

    unit: TextUnit


class PreparedQuery:
    """One query text, embedded and BM25-scored at most once however many searches it runs.

    An ask searches the same text three times (all units, articles, rulings) with different masks; the
    query vector and the BM25 scores over every unit do not depend on the mask. Held per call; only the query
    vector may come from an earlier ask of the same text (the retriever's `query_vectors`).
    """

    def __init__(self, retriever: Retriever, text: str, lexical_text: str | None = None, feedback: bool = False):
        self.text, self._retriever = text, retriever
        self.lexical_text = lexical_text or text  # BM25 may read an expanded text (search.lexicon)
        self.feedback = feedback  # BM25 adds the words the first units reached share (search.feedback)
        self.feedback_words: list[str] = []
        self._vectors: dict[str, np.ndarray] = {}
        self._sims: dict[str, np.ndarray | None] = {}
        self._lexical: np.ndarray | None = None

    def vector(self, tier: VectorTier | None = None) -> np.ndarray:
        """The query embedded by a tier's model (default: the main one)."""
        tier = tier or self._retriever.tiers[0]
        v = self._vectors.get(tier.name)
        if v is None:
            v = self._vectors[tier.name] = self._retriever.query_vectors.get(tier.embedder.name, self.text,
                                                                              tier.embedder.embed_query)
        return v

    def _similarities(self, tier: VectorTier) -> np.ndarray | None:
        if tier.name not in self._sims:
            held = self._retriever.held_scan(tier.name, self.text)
            self._sims[tier.name] = held if held is not None else tier.index.similarities(self.vector(tier))
        return self._sims[tier.name]

    def _tier_top(self, tier: VectorTier, n: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Top `n` (scores, positions) by cosine in one tier; an exact index is scanned once per query."""
        vectors = tier.index
        sims = self._similarities(tier) if vectors.kind == "flat" else None
        if sims is None:  # HNSW, or an empty index
            return vectors.search(self.vector(tier), n, mask)
        return vectors.top(sims, n, mask)

    def vector_top(self, n: int, mask: np.ndarray | None, rrf_k: int = 60) -> tuple[np.ndarray, np.ndarray]:
        """Top `n` (scores, positions) among allowed units: one tier's cosines, or the tiers fused by rank."""
        tiers = self._retriever.ranking_tiers()
        if len(tiers) == 1:
            return self._tier_top(tiers[0], n, tiers[0].allowed(mask))
        ranked = [self._tier_top(t, n, t.allowed(mask))[1] for t in tiers]
        positions = fuse_ranks(ranked, [t.weight for t in tiers], rrf_k, n, [t.covered for t in tiers])
        return self._cosines(self._retriever.tiers[-1], positions), positions

    def _cosines(self, tier: VectorTier, positions: np.ndarray) -> np.ndarray:
        sims = self._similarities(tier) if tier.index.kind == "flat" else None
        if sims is not None:
            return sims[positions].astype(np.float32)
        return (tier.index.vectors()[positions] @ self.vector(tier)).astype(np.float32)

    def lexical_scores(self) -> np.ndarray:
        if self._lexical is None:
            r = self._retriever
            self._lexical = r.lexical.scores(self.lexical_text)
            if self.feedback:
                self._lexical, self.feedback_words = with_feedback(self._lexical, self._main_cosines(),
                                                                   self.lexical_text, r.lexical, r.units)
        return self._lexical

    def _main_cosines(self) -> np.ndarray | None:
        """The first ranking tier's cosine with every unit (NaN where it has no vector), where that tier is
        scanned exactly anyway; else None. A tier with no share of the ranking is not scanned for feedback."""
        return self._tier_cosines(self._retriever.ranking_tiers()[0])

    def _tier_cosines(self, tier: VectorTier) -> np.ndarray | None:
        """`tier`'s cosine with every unit (NaN where it has no vector) where it is scanned exactly; else None."""
        if tier.index.kind != "flat" or not len(tier.index):
            return None
        sims = self._similarities(tier)
        if sims is None or tier.covered is None:
            return sims
        return np.where(tier.covered, sims, np.nan)


class Retriever:
    def __init__(self, folder: Path, manifest: Manifest, embedder: Embedder, vectors: VectorIndex,
                 lexical: LexicalIndex, table: UnitTable, units: UnitStore, fusion: FusionParams,
                 tiers: list[VectorTier] | None = None, query_cache: int = 0):
        self.folder, self.manifest, self.embedder = folder, manifest, embedder
        self.vectors, self.lexical, self.table, self.units = vectors, lexical, table, units
        self.fusion = fusion
        self.weight_set = False
        self.feedback = True  # where the lexicon is silent, BM25 adds the first units' shared words (search.feedback)
        # the main tier first; the static tier, when built beside it, last
        self.tiers = tiers or [VectorTier(tier_label(manifest.embedder_spec), embedder, vectors, 1.0)]
        self.query_vectors = QueryVectors(query_cache)
        self._held = threading.local()  # similarities scanned together for one request (`embedded_together`)
        self._coverage: dict[tuple[UnitFilter, int], float] = {}  # main_coverage per filter
        self._coverage_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings | None = None, *, embedder: Embedder | None = None,
             folder: Path | None = None) -> Retriever:
        """Load the indexes of the configured graph; queries are embedded with the model that built them."""
        s = settings or get_settings()
        folder = (folder or index_dir(s)).resolve()  # one version of the index, whatever a rebuild swaps in meanwhile
        if not (folder / MANIFEST).exists():
            raise IndexUnavailable(f"no search index in {folder}: run `dutygraph index rebuild`")
        manifest = Manifest.load(folder)
        emb = embedder or make_embedder(manifest.embedder_spec, s)
        if emb.name != manifest.model or emb.dim != manifest.dim:
            raise IndexUnavailable(
                f"the index in {folder} was built with {manifest.model} ({manifest.dim} dims) but the embedder "
                f"is {emb.name} ({emb.dim} dims): make the model available or run `dutygraph index rebuild`"
            )
        ef = int(manifest.hnsw.get("ef_search", s.hnsw_ef_search))
        vectors = VectorIndex.load(folder / VECTORS, ef_search=ef)
        tiers = None
        if manifest.static is not None:
            share = static_share(s.static_weight, manifest)
            tiers = [VectorTier(tier_label(manifest.embedder_spec), emb, vectors, 1.0 - share,
                                covered_rows(vectors, manifest.unembedded)),
                     _static_tier(folder, manifest.static, s, ef, share)]
        r = cls(folder, manifest, emb, vectors, LexicalIndex.load(folder / LEXICAL), UnitTable.load(folder / TABLE),
                UnitStore(folder / UNITS), FusionParams(weight=s.hybrid_weight), tiers, s.query_cache)
        # a weight the user set overrides the one ask() derives from the tiers' coverage
        r.weight_set = "hybrid_weight" in s.model_fields_set
        r.feedback = s.retrieval_feedback
        return r

    def __len__(self) -> int:
        return len(self.vectors)

    def warm(self) -> None:
        """Run one search, so the segmenter's dictionary (~2 s) and the model load before the first caller; read which
        statute each article belongs to (search.statutes, ~0.4 s for 139k articles)."""
        self.search("夜间施工噪音扰民", k=1)
        statute_codes(self.units, self.table)

    def ranking_tiers(self) -> list[VectorTier]:
        """The tiers whose cosines rank units: those with a share of the vector ranking, else the main one."""
        return [t for t in self.tiers if t.weight > 0] or self.tiers[:1]

    @contextmanager
    def embedded_together(self, texts: list[str]) -> Iterator[None]:
        """`texts` embedded by the main tier in one batch, for this thread's searches of them until the block ends:
        the texts one request searches one after another (a compound dispute and each of its statements) cost
        about 60% of embedding each on its own. Texts whose vector the cache keeps are not embedded again.
        Where that tier ranks and is exact, the batch is also scanned against every unit in one pass
        (VectorIndex.similarities_many), and each text's search takes its row."""
        tier = self.tiers[0]
        emb = tier.embedder
        todo = [t for t in dict.fromkeys(texts) if not self.query_vectors.has(emb.name, t)]
        vectors = dict(zip(todo, emb.embed_queries(todo), strict=True)) if len(todo) > 1 else {}
        scans = self._scan_together(tier, vectors)
        before = getattr(self._held, "scans", {})
        self._held.scans = {**before, **scans}
        try:
            with self.query_vectors.held(emb.name, vectors):
                for text in vectors:  # kept for later asks, as a search of each would keep it (its scan is held)
                    self.query_vectors.get(emb.name, text, emb.embed_query)
                yield
        finally:
            self._held.scans = before

    def _scan_together(self, tier: VectorTier, vectors: dict[str, np.ndarray]) -> dict[tuple[str, str], np.ndarray]:
        """(tier, text) → the text's cosine with every unit, for texts embedded together."""
        if len(vectors) < 2 or not any(t is tier for t in self.ranking_tiers()):
            return {}
        sims = tier.index.similarities_many(np.stack(list(vectors.values())))
        if sims is None:  # HNSW
            return {}
        sims.flags.writeable = False  # shared by the searches of each text, as a prepared query's own would be
        return {(tier.name, text): row for text, row in zip(vectors, sims, strict=True)}

    def held_scan(self, tier: str, text: str) -> np.ndarray | None:
        """`text`'s similarities in `tier` where this thread's request scanned them together, else None."""
        return getattr(self._held, "scans", {}).get((tier, text))

    def prepare(self, text: str, lexical_text: str | None = None, feedback: bool = False) -> PreparedQuery:
        """A query to pass to several `search` calls (see PreparedQuery); `lexical_text`, when given, is
        what BM25 scores instead of `text` (the vectors still embed `text`); with `feedback`, BM25 also scores
        the words the first units reached share (search.feedback)."""
        return PreparedQuery(self, text, lexical_text, feedback)

    def search(
        self,
        text: str | PreparedQuery,
        kinds: Iterable[str] | None = None,
        jurisdictions: Iterable[str] | None = None,
        k: int = 20,
        *,
        descendants: bool = False,
        fusion: FusionParams | None = None,
        mode: RetrievalMode = "hybrid",
        fetch: int | None = None,
        where: UnitFilter | None = None,
    ) -> list[Hit]:
        """Best `k` units for `text` (a string, or a prepared query), optionally only of some kinds and places.

        `jurisdictions` are ids matched exactly (with `descendants`, places under them too); `where`
        replaces both with a ready filter, e.g. `UnitFilter.applicable_to(place)`. `mode` runs one side
        alone (the ablations). Each side contributes its top `fetch` (default max(50, 3k)).
        """
        params = fusion or self.fusion
        if mode == "vector":
            params = params.model_copy(update={"weight": 1.0})
        elif mode == "lexical":
            params = params.model_copy(update={"weight": 0.0})
        mask = self.table.mask(where if where is not None else UnitFilter.of(kinds, jurisdictions, descendants))
        if mask is not None and not mask.any():
            return []
        n = fetch or max(50, 3 * k)
        query = text if isinstance(text, PreparedQuery) else self.prepare(text)
        vec = query.vector_top(n, mask, params.rrf_k) if params.weight > 0 else _NONE
        lex = self.lexical.top(query.lexical_scores(), n, mask) if params.weight < 1 else _NONE
        fused = fused_top(vec, lex, params, k)
        units = self.units.get([p for p, _ in fused])
        return [_hit(units[p], parts) for p, parts in fused if p in units]

    def statutes(self, query: PreparedQuery, where: UnitFilter, n: int, fallback: bool = False) -> list[tuple[str, str]]:
        """(statute id, place) of the `n` statutes whose allowed articles the question's main-tier vector is closest
        to on average (search.statutes); none where that tier is not scanned exactly. `fallback`: a tier's that holds
        a vector for every unit (the static tier) instead, for a KB whose main tier is not filled enough to rank
        statutes (`main_coverage`); none where there is no such tier."""
        tier = next((t for t in self.tiers[1:] if t.covered is None), None) if fallback else self.ranking_tiers()[0]
        cosines = query._tier_cosines(tier) if tier is not None else None
        if cosines is None:
            return []
        codes = statute_codes(self.units, self.table)
        return by_mean_cosine(codes, cosines, self._articles_mask(where), n)

    def main_coverage(self, where: UnitFilter) -> float:
        """The share of the allowed articles the main ranking tier holds a vector for (1.0 where it lacks none).
        `index fill` embeds units most useful first, so a partly filled tier holds a statute's opening articles
        and those naming a body, not the rest: a mean over them is no statute's mean."""
        covered = self.ranking_tiers()[0].covered
        if covered is None:
            return 1.0
        key = (where, len(covered))
        with self._coverage_lock:
            share = self._coverage.get(key)
        if share is None:
            mask = self._articles_mask(where)
            n = len(covered) if mask is None else int(np.count_nonzero(mask[:len(covered)]))
            held = int(np.count_nonzero(covered if mask is None else covered & mask[:len(covered)]))
            share = held / n if n else 1.0
            with self._coverage_lock:
                if len(self._coverage) > 256:
                    self._coverage.clear()
                self._coverage[key] = share
        return share

    def _articles_mask(self, where: UnitFilter) -> np.ndarray | None:
        return self.table.mask(where.model_copy(update={"kinds": frozenset({"Article"})}))

    def close(self) -> None:
        self.units.close()


def static_share(weight: float, manifest: Manifest) -> float:
    """The static tier's share of the vector ranking: `weight` (DUTYGRAPH_STATIC_WEIGHT) times the share of
    units the transformer has not embedded yet, so the static tier fills in where e5 is missing and gives
    way as e5 fills in (on the search bench's KB, fully embedded, fusing it at 0.5 lowered owner top-1 from
    0.771 to 0.746, at 0.2 to 0.754); 1 = the static tier alone."""
    if weight >= 1.0:
        return 1.0
    n = manifest.unit_count
    missing = manifest.unembedded / n if n else 0.0
    return weight * missing


def _static_tier(folder: Path, info: TierInfo, s: Settings, ef: int, share: float) -> VectorTier:
    """The static tier's model (from the data directory's models) and index; IndexUnavailable if the model is gone."""
    emb = make_embedder(info.embedder_spec, s)
    if emb.name != info.model or emb.dim != info.dim:
        raise IndexUnavailable(f"the static tier of {folder} needs {info.model} ({info.dim} dims), which is not in "
                               f"{s.data_dir}/models: run `dutygraph index rebuild`")
    return VectorTier("static", emb, VectorIndex.load(folder / VECTORS_STATIC, ef_search=ef), share)


_HIT_FIELDS = frozenset(Hit.model_fields)


def _hit(unit: TextUnit, parts: dict[str, float | int | None]) -> Hit:
    """`Hit.model_construct(unit=unit, **parts)` for `fused_top`'s parts, which are every other field, in field order
    and already of their types: the same object without model_construct's walk over the fields for defaults and
    aliases (3.7 → 1.2 µs a hit; a split ask makes ~150 in its ~6 searches). No validation, as model_construct."""
    hit = Hit.__new__(Hit)
    object.__setattr__(hit, "__dict__", {**parts, "unit": unit})
    object.__setattr__(hit, "__pydantic_fields_set__", set(_HIT_FIELDS))
    object.__setattr__(hit, "__pydantic_extra__", None)
    object.__setattr__(hit, "__pydantic_private__", None)
    return hit


_NONE: tuple[np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64))
