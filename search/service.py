"""The one search service of a process: every search (ask, analogous rulings, gap reports and their owner
suggestions) runs through it, over one graph store and the current index, with one set of caches.

    service = SearchService(store, OpenIndex(Retriever.open(settings)))
    service.ask("剧本杀店的消防和内容谁管?", jurisdiction="鲁安市")

The CLI opens one for a command; the server's search processes each keep one (api.web.searches). What it
derives from the graph (the place resolved from a name, the departments' names) is kept while the graph's
write version is unchanged, so any write — an upload in the server, a CLI ingest beside it — is seen by
the next search of every process.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from graph.places import Place, resolve_place
from graph.queries.evidence import department_names
from graph.settings import Settings
from graph.store.base import GraphStore
from search.ask import AskResult, Aspect, answer, strip_named, with_context_of
from search.aspects import OWN_FLOOR, in_context, statements, weighed
from search.aspects import sides as dispute_sides
from search.aspects import split as split_aspects
from search.gaps import GapItem, find_gaps
from search.owners import Candidate
from search.retriever import IndexUnavailable, RetrievalMode, Retriever
from search.rulings_similar import AnalogousRuling, similar_rulings

T = TypeVar("T")
# similar rulings asked for on their own (the rulings page): how many to rank, and how many matter units
# to draw their categories from
RULINGS_POOL = 60
RULING_MATTERS = 5
ASPECT_K = 5  # candidates an aspect of a compound dispute is answered with


class IndexSource(Protocol):
    """Where the current search indexes come from (a server reopens them after a rebuild)."""

    def get(self) -> Retriever: ...


@dataclass
class OpenIndex:
    """Indexes opened once, as they were when a command started (the CLI, benchmarks, tests)."""

    retriever: Retriever

    def get(self) -> Retriever:
        return self.retriever

    def close(self) -> None:
        self.retriever.close()


@dataclass
class MissingIndex:
    """No index built yet: searches that need one raise why; gap reports fall back to the unit space."""

    reason: IndexUnavailable

    def get(self) -> Retriever:
        raise self.reason


class GraphCache:
    """Values derived from the graph, dropped as soon as its write version moves."""

    MAX = 512

    def __init__(self, store: GraphStore):
        self.store = store
        self._version: str | None = None
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def refresh(self) -> str:
        """The graph's version now; a new one empties the cache."""
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
        return version

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = make()
        with self._lock:
            if len(self._values) >= self.MAX:
                self._values.clear()
            self._values[key] = value
        return value


class SearchService:
    """Ask, similar rulings and gap reports over one store and the current index."""

    def __init__(self, store: GraphStore, index: IndexSource, settings: Settings | None = None):
        self.store, self.index, self.settings = store, index, settings
        self.cache = GraphCache(store)
        self._held = threading.local()  # the indexes one ask took, for its statements and aspects (`_one_index`)

    @classmethod
    def open(cls, settings: Settings, store: GraphStore, *, required: bool = True) -> SearchService:
        """For one command: the indexes as they are now (`close()` releases them). `required=False` opens
        the service without indexes where none is built (gap reports work without one)."""
        try:
            index: IndexSource = OpenIndex(Retriever.open(settings))
        except IndexUnavailable as exc:
            if required:
                raise
            index = MissingIndex(exc)
        return cls(store, index, settings)

    def close(self) -> None:
        closer = getattr(self.index, "close", None)
        if closer is not None:
            closer()

    # -- places and names ----------------------------------------------------------------------------
    def place(self, jurisdiction: str | None) -> Place:
        """The place asked for (name, short name, path or id), resolved once per graph version."""
        self.cache.refresh()
        return self.cache.get(("place", jurisdiction), lambda: resolve_place(self.store, jurisdiction))

    def department_forms(self, place: Place) -> list[tuple[str, str]]:
        """(surface form, department id) for every name and alias of the place's departments, longest first."""
        def make() -> list[tuple[str, str]]:
            forms = [(n, r["id"]) for r in department_names(self.store, place.id)
                     for n in [r["name"], *(r.get("aliases") or [])] if n and len(n) >= 3]
            return sorted(forms, key=lambda f: -len(f[0]))
        return self.cache.get(("names", place.id), make)

    # -- searches ------------------------------------------------------------------------------------
    def ask(self, text: str, jurisdiction: str | None = None, as_of: str | dt.date | None = None, *,
            mode: RetrievalMode = "hybrid", k: int = 10, vector_weight: float | None = None, expand: bool = True,
            with_context: bool = True, split: bool = False,
            aspects: list[tuple[str, str]] | None = None) -> AskResult:
        """Candidate owners with evidence, analogous rulings and basis articles for `text` in a place.

        `with_context=False` ranks the owners only (no rulings, no basis articles): gap suggestions.
        `split`: where the dispute raises several matters (search.aspects), each is answered on its own.
        `aspects`: the matters as an adjudicator drew them — (name, the words it covers) — each answered on
        its own instead of the automatic split (merged, split or renamed on the case page)."""
        with self.store.one_version(), self._one_index():
            return self._ask(text, jurisdiction, as_of, mode=mode, k=k, vector_weight=vector_weight, expand=expand,
                             with_context=with_context, split=split, aspects=aspects)

    def _ask(self, text: str, jurisdiction: str | None, as_of: str | dt.date | None, *, mode: RetrievalMode,
             k: int, vector_weight: float | None, expand: bool, with_context: bool, split: bool,
             aspects: list[tuple[str, str]] | None) -> AskResult:
        place = self.place(jurisdiction)
        day = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
        retriever = self._retriever()
        forms = self.department_forms(place)
        together = self._searched_texts(text, place, forms, aspects) if split or aspects else []
        with retriever.embedded_together(together):
            result = answer(self.store, retriever, place, forms, text, day, mode=mode, k=k,
                            vector_weight=vector_weight, expand=expand, with_context=with_context)
            if split or aspects:
                t = time.perf_counter()
                named = dispute_sides(text, forms) | {c.id for c in result.candidates if c.named_in_dispute}
                result.aspects = (self.answer_aspects(aspects, place.id, day, result.candidates, named) if aspects
                                  else self.aspects(text, place.id, day, result.candidates, named))
                result.timings_ms["aspects"] = round((time.perf_counter() - t) * 1000, 2)
        return result

    @contextmanager
    def asks_together(self, asks: list[tuple[str, str | None, bool]]) -> Iterator[None]:
        """Until the block ends, asks of these (text, place, split) in this thread find every text they embed already
        embedded, all in one forward pass and scanned against the vectors in one pass, and read the graph's version
        and take the indexes once between them: a search process handed several waiting asks (api.web.searches)
        streams the model's weights and pays the encoder's small steps once for all, not once an ask (4 asks:
        ~20% less e5 CPU). Each vector is the one the text gets alone (search.embedders.e5torch), so the answers
        are too. An ask whose place or index is missing is left out; asking it then reports why."""
        with self.store.one_version(), self._one_index():
            texts: list[str] = []
            for text, jurisdiction, split in asks:
                with suppress(Exception):  # noqa: BLE001 - that ask raises it itself, as a problem for its caller
                    texts += self._embedded_texts(text, jurisdiction, split)
            retriever = None
            if len(texts) > 1:
                with suppress(Exception):  # noqa: BLE001 - no index yet (IndexUnavailable, or the server's 503)
                    retriever = self._retriever()
            if retriever is None:
                yield
                return
            with retriever.embedded_together(texts):
                yield

    def _embedded_texts(self, text: str, jurisdiction: str | None, split: bool) -> list[str]:
        """The texts an ask of `text` embeds before its split is known: the dispute and, split, its statements
        (`_searched_texts`), or the dispute alone, as `answer` embeds it."""
        place = self.place(jurisdiction)
        forms = self.department_forms(place)
        together = self._searched_texts(text, place, forms, None) if split else []
        return together or [strip_named(text, forms)[0] if place.mode == "department" else text]

    @contextmanager
    def _one_index(self) -> Iterator[None]:
        """Until the block ends, this thread's searches use the indexes the first of them takes: an ask's statements
        and aspects search the version the ask itself searched, and the index source is asked once per ask, not
        once per statement (a server's source stats the manifest each time: ~0.15 ms a call)."""
        if getattr(self._held, "open", False):  # already inside one
            yield
            return
        self._held.open, self._held.retriever = True, None
        try:
            yield
        finally:
            self._held.open, self._held.retriever = False, None

    def _retriever(self) -> Retriever:
        """The current indexes, or those this thread's ask took (`_one_index`); taken lazily, so an ask of an
        unknown place still says so before a missing index does."""
        held = getattr(self._held, "retriever", None)
        if held is None:
            held = self.index.get()
            if getattr(self._held, "open", False):
                self._held.retriever = held
        return held

    @staticmethod
    def _searched_texts(text: str, place: Place, forms: list[tuple[str, str]],
                        aspects: list[tuple[str, str]] | None) -> list[str]:
        """What a split ask of `text` embeds, as `answer` embeds it (the department names taken out where the
        place has a directory): the whole text and each statement, or each aspect given; none where the
        dispute has fewer than two statements (it is not split). Embedded in one batch before the searches."""
        parts = [words for _, words in aspects] if aspects else [s.text for s in statements(text)]
        if not aspects and len(parts) < 2:
            return []
        return [strip_named(t, forms)[0] if place.mode == "department" else t for t in [text, *parts]]

    def aspects(self, text: str, place: str, as_of: str | None = None,
                whole: list[Candidate] | None = None, named: set[str] | None = None) -> list[Aspect]:
        """The matters of a compound dispute, each answered on its own (its owners read in the context of the
        whole dispute's, `whole`, and of the bodies its sides name, `named`); empty where it raises one matter."""
        ranked: dict[str, AskResult] = {}  # each statement's owners, ranked as its aspect would be: reused there

        def rank(statement: str) -> list[Candidate]:
            ranked[statement] = self.ask(statement, place, as_of, k=ASPECT_K, with_context=False)
            return ranked[statement].candidates[:3]

        out = []
        for name, _, members in split_aspects(text, rank, whole or []):
            asked = "；".join(m.text for m in members)
            out.append(self._aspect(name, "；".join(m.words for m in members), asked, place, as_of, whole,
                                    ranked.get(asked), named))
        return out

    def answer_aspects(self, given: list[tuple[str, str]], place: str, as_of: str | None = None,
                       whole: list[Candidate] | None = None, named: set[str] | None = None) -> list[Aspect]:
        """Each (name, words) answered on its own, in the order given (in the whole dispute's context)."""
        return [self._aspect(name, words, words, place, as_of, whole, named=named) for name, words in given]

    def _aspect(self, name: str, words: str, asked: str, place: str, as_of: str | None,
                whole: list[Candidate] | None, ranked: AskResult | None = None,
                named: set[str] | None = None) -> Aspect:
        """One matter answered on its own (`asked`), its owners read in the whole dispute's context; `ranked`:
        `asked` already ranked for owners (a statement of the split), only its rulings and articles are left.
        Its owners are re-scored with its rulings and precedents weighed up (search.aspects.weighed)."""
        sub = with_context_of(ranked) if ranked is not None else self.ask(asked, place, as_of, k=ASPECT_K)
        sub.candidates = in_context(weighed(sub.candidates), whole or [], named=named or frozenset(),
                                    floor=OWN_FLOOR)
        return Aspect.of(name, words, sub)

    def owners(self, text: str, jurisdiction: str | None, as_of: str | None = None, limit: int = 5) -> list[Candidate]:
        """The owner ranking of `ask` alone (same recipe, without rulings and articles)."""
        return self.ask(text, jurisdiction, as_of, k=limit, with_context=False).candidates

    def rulings(self, text: str, jurisdiction: str | None, k: int = RULINGS_POOL) -> list[AnalogousRuling]:
        """Rulings ranked by similarity to `text`, the place's own first."""
        place = self.place(jurisdiction)
        retriever = self.index.get()
        ruling_hits = retriever.search(text, kinds=["Ruling"], k=k)
        matter_hits = retriever.search(text, kinds=["Matter"], k=RULING_MATTERS)
        return similar_rulings(self.store, text, place.id, ruling_hits, matter_hits, k=k)

    def gaps(self, kinds: Iterable[str] | None = None, jurisdiction: str | None = None,
             as_of: dt.date | str | None = None, *, suggest: bool = True, embedder: Any = None,
             progress: Callable[[str], None] | None = None,
             options: dict[str, dict[str, Any]] | None = None) -> list[GapItem]:
        """Gaps as of a date, their unowned matters' owners suggested by this service's ranking. Work orders
        and units are embedded by `embedder`, else the index's (its vectors are cached), else the configured one."""
        place = self.place(jurisdiction).id if jurisdiction else None
        if embedder is None:
            try:
                embedder = self.index.get().embedder
            except Exception:  # noqa: BLE001 - no index yet (IndexUnavailable, or the server's 503 problem)
                embedder = None
        return find_gaps(self.store, kinds, place, as_of, settings=self.settings, embedder=embedder, suggest=suggest,
                         progress=progress, options=options, owners=self._suggestions)

    def _suggestions(self, text: str, place: str, as_of: str, limit: int) -> list[Candidate]:
        return self.owners(text, place, as_of, limit)
