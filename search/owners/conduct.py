"""Which of a statute's sanction articles states the conduct a question describes.

A statute sanctions each conduct in its own article, or its own item (项) of an article, each naming the body
that acts on it: "…侵占楼道…养犬的，由城市管理行政执法机关…" beside "…饲养烈性犬…的，由公安机关…". Retrieval weighs
whole articles, so the article with the most of the statute's common words (犬只, 饲养) can outrank the one on the
very conduct. Read against the other sanction articles of its statute that the question reached, an article
fits as well as its best item or sentence does, on the words that tell the statute's conducts apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from search.owners.crossrefs import AuthorityMatcher, bigrams

_SPAN = re.compile(r"[。；;\n]")


def spans(text: str) -> list[str]:
    """An article's sentences and item lines: each states at most one conduct."""
    return [s for s in _SPAN.split(text) if len(s) >= 4]


def conduct_fit(conducts: dict[str, list[str]], query: str, matcher: AuthorityMatcher) -> dict[str, float]:
    """For each article (`conducts`, by id: the texts that state a statute's sanction article's conduct — its own,
    and the rules it cites), how well its best-fitting span fits the question, as a share of the best article's,
    in [0, 1]; {} where none shares a word with it.

    A span's fit is the character bigrams it shares with the question, each weighed by how few of all the
    articles' spans use it (authority_fit's weighing, over a statute instead of an article); names are left out."""
    grams = {u: [bigrams(matcher.unnamed(s)) for t in texts for s in spans(t)] for u, texts in conducts.items()}
    used = Counter(g for own in grams.values() for span in own for g in span)
    n = sum(len(own) for own in grams.values())
    asked = bigrams(query)
    fit = {u: max((math.fsum(math.log(1 + n / used[g]) for g in sorted(span & asked)) for span in own), default=0.0)
           for u, own in grams.items()}
    best = max(fit.values(), default=0.0)
    return {u: f / best for u, f in fit.items()} if best > 0 else {}
