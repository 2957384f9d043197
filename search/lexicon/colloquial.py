"""Colloquial -> statute-term lexicon for query expansion.

Callers of the 12345 hotline say 噪音, 狗屎, 黑车; statutes say 噪声, 犬只粪便, 非法营运, so neither BM25 nor the
embedders find the right articles. `load_lexicon().rewrite(query)` appends the statute terms of every
colloquial key found in the query. Keys are matched as substrings (no segmentation: jieba splits callers'
phrases unpredictably), longest first, over NFKC-normalised, lower-cased text, so ＫＴＶ and ktv match KTV.
The data lives in colloquial.yaml next to this file; its header says how to add an entry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

try:  # optional C automaton: one pass over the text whatever the number of keys
    import ahocorasick
except ImportError:  # pragma: no cover - exercised only where pyahocorasick is not installed
    ahocorasick = None

DEFAULT_PATH = Path(__file__).with_name("colloquial.yaml")
VERSION = 1


def normalize(text: str) -> str:
    """The form keys and queries are compared in: full-width folded to ASCII, Latin lower-cased."""
    return unicodedata.normalize("NFKC", text).lower()


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~10x faster
    """SafeLoader that refuses duplicate mapping keys (plain YAML keeps the last one silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ValueError(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def validate(entries: Any, source: str = "lexicon") -> dict[str, tuple[str, ...]]:
    """Checked, stripped entries; a bad one raises ValueError naming its key, so a typo fails loudly on load."""
    if not isinstance(entries, Mapping):
        raise ValueError(f"{source}: 'entries' must be a mapping of key -> list of terms")
    out: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for key, value in entries.items():
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"{source}: entry {key!r}: key must be a non-empty string")
        name = key.strip()
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(f"{source}: entry {name!r}: value must be a non-empty list of statute terms")
        if not all(isinstance(t, str) and t.strip() for t in value):
            raise ValueError(f"{source}: entry {name!r}: every term must be a non-empty string, got {value!r}")
        terms = tuple(dict.fromkeys(t.strip() for t in value))
        if terms == (name,):
            raise ValueError(f"{source}: entry {name!r}: maps only to itself, which expands nothing")
        norm = normalize(name)
        if norm in seen:
            raise ValueError(f"{source}: entry {name!r}: same key as {seen[norm]!r} once normalised")
        seen[norm] = name
        out[name] = terms
    return out


def _blockers(phrases: Any, entries: Mapping[str, tuple[str, ...]], source: str) -> tuple[str, ...]:
    """Checked blockers: everyday phrases that hold a key and name nothing a statute governs (狗仗人势, 挂羊头卖狗肉)."""
    if not isinstance(phrases, list | tuple):
        raise ValueError(f"{source}: 'blockers' must be a list of phrases")
    keys = {normalize(k) for k in entries}
    out: list[str] = []
    for b in phrases:
        if not isinstance(b, str) or not b.strip():
            raise ValueError(f"{source}: blocker {b!r}: must be a non-empty string")
        norm = normalize(b.strip())
        if norm in keys:
            raise ValueError(f"{source}: blocker {b!r}: is also an entry's key")
        if not any(k in norm for k in keys):
            raise ValueError(f"{source}: blocker {b!r}: holds no key, so it blocks nothing")
        out.append(b.strip())
    return tuple(dict.fromkeys(out))


class Lexicon:
    """Colloquial keys -> statute terms, with a substring matcher built once."""

    def __init__(self, entries: Mapping[str, Sequence[str]], source: str = "lexicon",
                 blockers: Sequence[str] = ()):
        self.entries = validate(entries, source)
        self.source = source
        self.blockers = _blockers(blockers, self.entries, source)
        # a blocker matches as a key with no terms: it swallows the keys inside it (狗 in 狗仗人势) and adds nothing
        self._terms = {normalize(k): v for k, v in self.entries.items()} | {normalize(b): () for b in self.blockers}
        self._lengths = sorted({len(k) for k in self._terms}, reverse=True)
        self._automaton: Any = None
        if ahocorasick is not None and self._terms:
            auto = ahocorasick.Automaton()
            for key in self._terms:
                auto.add_word(key, key)
            auto.make_automaton()
            self._automaton = auto

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        """Whether `key` is an entry's key (a blocker matches like one but is none: its terms are empty)."""
        return isinstance(key, str) and bool(self._terms.get(normalize(key)))

    def _occurrences(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every (start, end, key) occurrence, overlapping ones included."""
        if self._automaton is not None:
            for end, key in self._automaton.iter(text):
                yield end + 1 - len(key), end + 1, key
            return
        terms, lengths = self._terms, self._lengths
        for i in range(len(text)):
            for n in lengths:
                if i + n <= len(text) and text[i:i + n] in terms:
                    yield i, i + n, text[i:i + n]

    def matches(self, text: str) -> list[tuple[int, str]]:
        """(position, key) of the keys that count, in text order: longest first, a key lying inside a
        longer matched key dropped (遛狗不拴绳 is not also 遛狗 and 不拴绳)."""
        found = sorted(set(self._occurrences(normalize(text))), key=lambda m: (m[0] - m[1], m[0]))
        kept: list[tuple[int, int, str]] = []
        for start, end, key in found:
            if not any(s <= start and end <= e for s, e, _ in kept):
                kept.append((start, end, key))
        return [(start, key) for start, _, key in sorted(kept)]

    def expand(self, text: str) -> list[str]:
        """Statute terms for the keys in the text, deduplicated, in order of appearance."""
        terms: dict[str, None] = {}
        for _, key in self.matches(text):
            terms.update(dict.fromkeys(self._terms[key]))
        return list(terms)

    def added(self, text: str) -> list[str]:
        """The statute terms for the keys in the text that it does not already hold: what `rewrite` appends."""
        norm = normalize(text)
        return [t for t in self.expand(text) if normalize(t) not in norm]

    def rewrite(self, text: str) -> str:
        """The text with its statute terms appended (those not already in it), for BM25 / vector queries."""
        return with_terms(text, self.added(text))


def with_terms(text: str, terms: list[str]) -> str:
    """`text` with `terms` appended, as BM25 reads an expanded question."""
    return f"{text} {' '.join(terms)}" if terms else text


def read_lexicon(path: str | Path) -> Lexicon:
    """Parse and validate a lexicon file (uncached: for tools and tests that load edited copies)."""
    p = Path(path)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except (ValueError, yaml.YAMLError) as e:  # one exception type for every bad file
        raise ValueError(f"{p}: {e}") from None
    if not isinstance(data, Mapping):
        raise ValueError(f"{p}: expected a mapping with 'version' and 'entries'")
    if data.get("version") != VERSION:
        raise ValueError(f"{p}: unsupported version {data.get('version')!r} (expected {VERSION})")
    if not data.get("entries"):
        raise ValueError(f"{p}: no entries")
    return Lexicon(data["entries"], str(p), data.get("blockers") or ())


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon at `path` (default: the shipped colloquial.yaml), parsed once per process."""
    return _cached(str(Path(path if path is not None else DEFAULT_PATH).resolve()))


@lru_cache(maxsize=8)
def _cached(path: str) -> Lexicon:
    return read_lexicon(path)
