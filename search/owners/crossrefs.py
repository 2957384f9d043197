"""Follow a statute's own cross-references from the conduct a complaint describes to who acts on it.

Statutes put the rule and the sanction in different articles: "第二十二条 携犬出户的，应当…（六）即时清除
犬只粪便" and, later, "第四十三条 …违反本条例第二十二条第六项规定的，由城管执法部门责令改正". A caller's
words match the rule; the referring article names the body in charge, often a different one for each
item ("第一、二、三项 … 由公安部门", "第六项 … 由城管执法部门"). So each referring paragraph is read as
(the articles and items it refers to, the body after 由), and scored by how well the question matches
what it refers to — the item's own line where it names items.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from graph.numerals import NUMERAL_CHARS, cn_to_int
from graph.queries.crossrefs import article_texts, authority_names, referring_articles
from graph.store.base import GraphStore
from search.owners.rows import UNIT_ROWS

_N = f"[{NUMERAL_CHARS}]+"
# one referring paragraph starts at each 违反本… (or 违反第N条, 有本条例第N条…, 未按照本条例第N条…): up to the next one
_SELF = r"本(?:条例|法|办法|规定|细则|决定|实施办法|规则)"
_BREACH = re.compile(rf"违反{_SELF}|违反第{_N}条|(?:有|实施){_SELF}第{_N}条|未(?:按照|依照){_SELF}第{_N}条")
# a paragraph whose conducts are listed after who acts: "…有下列行为之一的，由X责令改正…：（一）…；（二）…"
_LISTED = re.compile(r"有下列(?:行为|情形|违法行为)之一")
_REF = re.compile(rf"第({_N})条(?:之({_N}))?((?:第{_N}款)?(?:第[{NUMERAL_CHARS}、，,和及至]+项(?:至第{_N}项)?)?)")
_ITEM_PAREN = re.compile(rf"[（(]({_N})[)）]")  # 第（四）、（五）项 = 第四、五项
_OTHER_STATUTE = re.compile(r"》[^，。；]{0,6}$")  # a reference right after another statute's title is to that statute
_ITEMS = re.compile(rf"第([{NUMERAL_CHARS}、，,和及至]+)项")
# the body that acts: 由<body> followed by what it does
_ACTOR = re.compile(r"由([^，。；：,;]{2,40}?)(?=依法|依照|按照|责令|处以|处|给予|没收|予以|对|进行|吊销|收缴|暂扣|可以|"
                    r"组织|采取|限期|督促|负责|会同|决定|追回|作出|收回|撤销|取缔|查封|扣押|责成|提请|报请|通报|批评)")
_ITEM_LINE = re.compile(rf"^[（(]({_N})[)）]", re.M)
_NON_WORD = re.compile(r"\W")
_SENTENCE = re.compile(r"[。；;\n]")
_SENTENCES_KEPT = 4096  # texts whose naming sentences a matcher keeps
# "违反前款规定，擅自设置障碍物的，道路范围内由公安…；小区公共区域内，由住建…；其他公共场所内，由城管…": the conduct
# stated before the first body's place belongs to the sentences after it that state only a place
_LEAD_IN = re.compile(r"^违反[^。；]*?的，")
_PLACE_THEN_AGENT = re.compile(r"^[^，由。；]{0,30}?(?:内|外|范围|区域|以外|之外)，?由")  # 小区公共区域内，由 / 其他公共场所内，由
# a restated conduct counts when it fits at least this share of the best-fitting one, at this weight
CONDUCT_MIN_SHARE = 0.6
CONDUCT_WEIGHT = 0.8
CONDUCT_MAX = 1  # paragraphs taken on their conduct alone, best first (more crowd out duty-list bases)


@dataclass(frozen=True)
class Referral:
    """One paragraph of a referring article: the articles (and items) it refers to and the bodies that act."""

    article_id: str
    refs: tuple[tuple[str, tuple[int, ...]], ...]  # (article number in arabic form, items; () = whole article)
    authorities: tuple[tuple[str, str], ...]  # (authority id, name)
    conduct: str = ""  # the conduct the paragraph restates ("违反本条例规定，<conduct>的，由…"), '' when none


def _number(main: str, sub: str | None) -> str | None:
    try:
        return f"{cn_to_int(main)}之{cn_to_int(sub)}" if sub else str(cn_to_int(main))
    except ValueError:
        return None


def _items(spec: str) -> tuple[int, ...]:
    m = _ITEMS.search(spec.replace("项至第", "至"))  # 第二项至第四项 = 第二至四项
    if not m:
        return ()
    out: list[int] = []
    parts = re.split(r"[、，,和及]", m.group(1))
    for p in parts:
        lo, _, hi = p.partition("至")
        try:
            a = cn_to_int(lo)
            b = cn_to_int(hi) if hi else a
        except ValueError:
            continue
        out.extend(range(a, min(b, a + 30) + 1))
    return tuple(out)


class AuthorityMatcher:
    """Finds authority names (and their aliases) in a short span, longest first."""

    def __init__(self, rows: list[dict]):
        self._auto = ahocorasick.Automaton()
        forms: dict[str, tuple[str, str]] = {}
        for r in rows:
            for form in [r["name"], *(r.get("aliases") or [])]:
                if form and len(form) >= 2 and form not in forms:
                    forms[form] = (r["id"], r["name"])
        for form, value in forms.items():
            self._auto.add_word(form, (len(form), value))
        self.size = len(forms)
        self._sentences: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        self._unnamed: dict[str, str] = {}
        if forms:
            self._auto.make_automaton()

    def naming_sentences(self, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The sentences of a text that name authorities, each with their ids in the order found; kept with the
        matcher (one per graph version), since the same articles come back for many questions."""
        got = self._sentences.get(text)
        if got is None:
            found = ((s, self.find(s)) for s in _SENTENCE.split(text) if len(s) >= 4)
            got = tuple((s, tuple(au_id for au_id, _ in f)) for s, f in found if f)
            if len(self._sentences) >= _SENTENCES_KEPT:
                self._sentences.clear()
            self._sentences[text] = got
        return got

    def find(self, span: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for _, _, v in self._names(span):
            if v not in out:
                out.append(v)
        return out

    def unnamed(self, span: str) -> str:
        """The span with the names found blanked out: what it says, not who it names (kept as the naming
        sentences are: the same statute sentences are weighed for question after question)."""
        got = self._unnamed.get(span)
        if got is None:
            chars = list(span)
            for start, end, _ in self._names(span):
                chars[start:end + 1] = "_" * (end + 1 - start)  # a word character: no bigram spans the gap
            got = "".join(chars)
            if len(self._unnamed) >= _SENTENCES_KEPT:
                self._unnamed.clear()
            self._unnamed[span] = got
        return got

    def _names(self, span: str) -> list[tuple[int, int, tuple[str, str]]]:
        """(start, last character, value) of the longest name at each position, without overlaps."""
        if not self.size:
            return []
        found = sorted(((end - n + 1, end, v) for end, (n, v) in self._auto.iter(span)), key=lambda t: (t[0], -t[1]))
        out = []
        covered = -1
        for start, end, v in found:
            if start > covered:
                covered = end
                out.append((start, end, v))
        return out


_matchers: dict[tuple[int, str], AuthorityMatcher] = {}
_lock = threading.Lock()


def matcher_for(store: GraphStore, version: str | None = None) -> AuthorityMatcher:
    """The authority matcher of this graph, rebuilt after any write to it (`version`: the graph's, if already read)."""
    key = (id(store), store.version() if version is None else version)
    with _lock:
        if key not in _matchers:
            _matchers.clear()
            _matchers[key] = AuthorityMatcher(authority_names(store))
        return _matchers[key]


def parse_referrals(article_id: str, text: str, matcher: AuthorityMatcher,
                    designations: list[dict] | None = None) -> list[Referral]:
    """The referring paragraphs of one article, each with what it refers to and who acts.

    Who acts is read two ways: names found after 由 in the paragraph (`matcher`), and the designations
    extraction made for the article (`designations`: authority id, name, and the duty text after the
    mention, placing it in a paragraph). A name after 由 counts where extraction also designates it (the
    same normalisation as everywhere else); a designation counts in the paragraphs its duty text is in;
    a paragraph with neither keeps the names after 由."""
    designated = {d["id"]: d for d in designations or [] if d.get("id")}
    out: list[Referral] = []
    for seg in _paragraphs(text):
        cut = _rule_cut(seg)
        first = _ACTOR.search(seg)
        refs = _refs(_head(seg, cut))
        if not refs and first:  # 违反本条例规定，有第二十五条规定行为之一的，由…
            refs = _refs(seg[:first.start()])
        conduct = seg[cut + 2 : first.start()].strip("，,的 ") if cut >= 0 and first and first.start() > cut else ""
        conduct = "" if _REF.search(conduct) else conduct
        named: list[tuple[str, str]] = []
        for m in _ACTOR.finditer(seg):
            for a in matcher.find(m.group(1)):
                if a not in named:
                    named.append(a)
        actors = [a for a in named if a[0] in designated]
        for d in designated.values():
            if d.get("duty") and d["duty"] in seg and (d["id"], d["name"]) not in actors:
                actors.append((d["id"], d["name"]))
        if not actors:
            actors = named
        conduct = conduct if len(conduct) >= 4 else ""
        if not refs and first and _LISTED.search(seg[:first.start()]):
            out.extend(Referral(article_id, (), tuple(actors), c) for c in _listed(seg) if actors)
            continue
        if (refs or conduct) and actors:
            out.append(Referral(article_id, tuple(refs), tuple(actors), conduct))
    return out


def cited_rules(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The articles of its own statute (arabic numbers, with the items named; () = the whole article) that the
    paragraphs of a referring article refer to, read as parse_referrals reads them, without who acts."""
    return list(dict.fromkeys(ref for seg in _paragraphs(text) for ref in _refs(_head(seg, _rule_cut(seg)))))


def cited_articles(text: str) -> list[str]:
    """The numbers of `cited_rules` (search.focus: a sanction fits what the rule it cites says)."""
    return list(dict.fromkeys(n for n, _ in cited_rules(text)))


def _paragraphs(text: str) -> Iterator[str]:
    """The referring paragraphs of an article's text, each from its start to the next one's."""
    starts = _paragraph_starts(text)
    for i, s in enumerate(starts):
        yield text[s : starts[i + 1] if i + 1 < len(starts) else len(text)]


def _rule_cut(seg: str) -> int:
    """Where a referring paragraph's first 规定 is, if within its first 120 characters (-1 if not): its head names
    the articles it refers to, the conduct follows."""
    return seg.find("规定") if "规定" in seg[:120] else -1


def _head(seg: str, cut: int) -> str:
    """A referring paragraph's head, where the articles it refers to are named: up to its first 规定, else 80 chars."""
    return seg[:cut] if cut >= 0 else seg[:80]


def _paragraph_starts(text: str) -> list[int]:
    """Where referring paragraphs start: at each breach form, except one that follows a span naming no body
    acting — "违反本条例第十条规定，未按照本条例第九条…的，由…" is one paragraph, read by its head (第十条)."""
    kept: list[int] = []
    for s in (m.start() for m in _BREACH.finditer(text)):
        if not kept or _ACTOR.search(text, kept[-1], s):  # the paragraph before names who acts: a new one starts
            kept.append(s)
    return kept


def _refs(head: str) -> list[tuple[str, tuple[int, ...]]]:
    """The articles (and items) of the statute itself a paragraph's head refers to, in arabic form."""
    head = _ITEM_PAREN.sub(r"\1", head)
    out: list[tuple[str, tuple[int, ...]]] = []
    prev: re.Match | None = None
    for m in _REF.finditer(head):
        num = _number(m.group(1), m.group(2))
        if num and not _OTHER_STATUTE.search(head[: m.start()]):
            out.extend(_between(prev, m, head))
            out.append((num, _items(m.group(3) or "")))
        prev = m
    return out


def _between(prev: re.Match | None, m: re.Match, head: str) -> list[tuple[str, tuple[int, ...]]]:
    """The whole articles a range 第十条至第十二条 names between its ends (第十一条), none where `m` ends no range
    or the range spans more than 30 articles (a misread, not a breach of each)."""
    if prev is None or head[prev.end() : m.start()] != "至" or prev.group(2) or m.group(2) or prev.group(3):
        return []
    try:
        lo, hi = cn_to_int(prev.group(1)), cn_to_int(m.group(1))
    except ValueError:
        return []
    return [(str(n), ()) for n in range(lo + 1, hi)] if hi - lo <= 30 else []


def _listed(seg: str) -> list[str]:
    """The conducts a paragraph lists as its items, each without its number and closing punctuation."""
    lines = (seg[words:end].split("\n")[0].strip().rstrip("；;。，,").removesuffix("的")
             for _, _, words, end in _item_spans(seg))
    return [line for line in lines if len(line) >= 4]


def _item_spans(text: str) -> list[tuple[int | None, int, int, int]]:
    """Each item line of a text: its number (None when unreadable), where its marker starts, where its words
    start, and where it ends (the next item's marker, or the text's end)."""
    marks = list(_ITEM_LINE.finditer(text))
    out = []
    for i, m in enumerate(marks):
        try:
            n: int | None = cn_to_int(m.group(1))
        except ValueError:
            n = None
        out.append((n, m.start(), m.end(), marks[i + 1].start() if i + 1 < len(marks) else len(text)))
    return out


def item_text(article_text: str, item: int) -> str:
    """The line of item (N) of an article, '' when the article has no such item."""
    return next((article_text[start:end] for n, start, _, end in _item_spans(article_text) if n == item), "")


@lru_cache(maxsize=32_768)
def bigrams(text: str) -> frozenset[str]:
    """Remembered: a question is held against many sentences, and the same statute sentences recur from ask to ask."""
    t = _NON_WORD.sub("", text)
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def likeness(query: str, text: str) -> float:
    """Cosine of the two texts' sets of character bigrams: how alike a question and a restated conduct are."""
    a, b = bigrams(query), bigrams(text)
    return len(a & b) / (len(a) * len(b)) ** 0.5 if a and b else 0.0


def overlap(query: str, text: str) -> float:
    """Share of the text's character bigrams that the question also uses (how much of the rule it tells)."""
    grams = bigrams(text)
    return len(grams & bigrams(query)) / len(grams) if grams else 0.0


def authority_fit(text: str, query: str, matcher: AuthorityMatcher) -> dict[str, float]:
    """For each authority an article names, how well the sentences naming it fit the question.

    One article often gives different conduct to different bodies ("…的，由公安机关…；…的，由城市管理部门…"):
    the body whose sentence describes what the caller describes is the one that article makes competent.
    A sentence's fit is the character bigrams it shares with the question, each weighed by how few of the
    article's naming sentences use it: words every sentence repeats (犬只, 饲养) tell the bodies apart no
    better than none, and a body's long list of duties is not marked down for its length, as a share of the
    sentence would (real-place dev owner top-1 0.724 → 0.734: the 干扰他人生活 of a barking dog, the 假唱 in
    a penalty's last paragraph). The names a sentence holds are left out: they say who acts, not what is done,
    and a dispute's sides name the bodies too (→ 0.738). A conduct stated once and split by place ("违反…的，道路
    范围内由X…；小区公共区域内，由Y…") is each place's (real-place dev unchanged, dev4 +1: a 地锁 in a residential compound)."""
    sentences = matcher.naming_sentences(text)
    grams = [bigrams(matcher.unnamed(sentence)) for sentence, _ in sentences]
    lead: frozenset[str] = frozenset()
    at = 0
    for i, (sentence, _) in enumerate(sentences):
        found = text.find(sentence, at)
        if found >= 0:
            if "\n" in text[at:found]:
                lead = frozenset()  # a conduct stated in one paragraph is not the next one's
            at = found + len(sentence)
        own = _LEAD_IN.match(sentence)
        if own:
            lead = bigrams(matcher.unnamed(own.group(0)))
        elif lead and _PLACE_THEN_AGENT.match(sentence):
            grams[i] = grams[i] | lead  # "…内，由Y…": the conduct "违反…的，" stated before X's place is Y's too
        else:
            lead = frozenset()
    used = Counter(g for own in grams for g in own)
    asked = bigrams(query)
    out: dict[str, float] = {}
    for (_, found), own in zip(sentences, grams, strict=True):
        fit = sum(math.log(1 + len(sentences) / used[g]) for g in sorted(own & asked))  # one order: one sum
        for au_id in found:
            out[au_id] = max(out.get(au_id, 0.0), fit)
    return out


@dataclass(frozen=True)
class Settled:
    """A referring paragraph reached from the rule the question matched: who acts, and how well it fits."""

    penalty: dict  # the referring article's row (id, number, text, law_id, law_title, law_status, law_jurisdiction)
    rule_id: str  # the article referred to that the question matched best
    authority_id: str
    authority: str
    score: float  # the rule's relevance × how well the named items fit, in [0, 1]


def _referrals_of(store: GraphStore, law_ids: list[str]) -> list[tuple[dict, Referral]]:
    """(referring article's row, one of its paragraphs) for these statutes, read and parsed once per graph version."""
    version = store.version()
    matcher = matcher_for(store, version)

    def parsed(st: GraphStore, ids: list[str]) -> list[dict]:
        return [{"law_id": r["law_id"], "row": r,
                 "referrals": parse_referrals(r["id"], r["text"] or "", matcher, r.get("designations"))}
                for r in referring_articles(st, ids)]
    return [(w["row"], ref) for w in UNIT_ROWS.rows(store, version, "referrals", parsed, "law_id", law_ids)
            for ref in w["referrals"]]


def settle(store: GraphStore, law_ids: list[str], rule_relevance: Callable[[list[str]], dict[str, float]],
           query: str, law_relevance: dict[str, float] | None = None) -> list[Settled]:
    """Referring paragraphs of these statutes scored by the relevance of the rules they refer to.

    `rule_relevance(ids)` gives each article's relevance to the question in [0, 1] (from retrieval); a
    paragraph naming items is scored on those items' lines against the question instead of the whole
    article, relative to the best-fitting items of the same article. A paragraph that restates the
    conduct ("违反本条例规定，擅自…的，由…") is also scored on that conduct: its likeness to the question,
    against the best-fitting conduct of all the statutes, times its statute's relevance (`law_relevance`)."""
    referrals = _referrals_of(store, law_ids)
    if not referrals:
        return []
    rules = sorted({f"{r['law_id']}#第{num}条" for r, ref in referrals for num, _ in ref.refs})
    relevance = rule_relevance(rules) if rules else {}
    wanted = {f"{r['law_id']}#第{num}条" for r, ref in referrals for num, items in ref.refs if items}
    texts = article_texts(store, sorted(wanted & {a for a, v in relevance.items() if v > 0}))
    item_fit: dict[tuple[str, int], float] = {}
    for aid, text in texts.items():
        for n, start, _, end in _item_spans(text):
            if n is not None and (aid, n) not in item_fit:  # an item number twice: its first line, as item_text
                item_fit[(aid, n)] = overlap(query, text[start:end])
    best_item: dict[str, float] = {}
    for (aid, _), v in item_fit.items():
        best_item[aid] = max(best_item.get(aid, 0.0), v)
    fits = {id(ref): likeness(query, ref.conduct) for _, ref in referrals if ref.conduct}
    fits = dict(sorted(fits.items(), key=lambda kv: -kv[1])[:CONDUCT_MAX])
    top_fit = max(fits.values(), default=0.0)
    out: list[Settled] = []
    for row, ref in referrals:
        best, rule = 0.0, ""
        fit = fits.get(id(ref), 0.0)
        if top_fit > 0 and fit >= CONDUCT_MIN_SHARE * top_fit:
            best, rule = CONDUCT_WEIGHT * (law_relevance or {}).get(row["law_id"], 0.0) * fit / top_fit, row["id"]
        for num, items in ref.refs:
            aid = f"{row['law_id']}#第{num}条"
            rel = relevance.get(aid, 0.0)
            if rel <= 0:
                continue
            if items and best_item.get(aid, 0.0) > 0:
                rel *= max(item_fit.get((aid, i), 0.0) for i in items) / best_item[aid]
            if rel > best:
                best, rule = rel, aid
        if best > 0:
            out.extend(Settled(row, rule, au_id, au_name, best) for au_id, au_name in ref.authorities)
    return out
