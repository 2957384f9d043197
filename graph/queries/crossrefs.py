"""Articles that refer to other articles of their statute, and the names authorities go by.

A statute says what is forbidden in one article ("养犬人应当即时清除犬只粪便") and who acts on a breach in
another ("违反本条例第二十二条第六项规定的，由城管执法部门责令改正"). A complaint describes the conduct, so
it matches the first; the second settles who is in charge. These reads let search follow that link.
"""

from __future__ import annotations

from typing import Any

from graph.store.base import GraphStore

# `WITH l` starts from the law's id index instead of scanning every article
_PENALTY_ARTICLES = """
UNWIND $laws AS lid
MATCH (l:Law {id: lid})
WITH l
MATCH (l)-[:HAS_ARTICLE]->(a:Article)
WHERE a.text CONTAINS '违反' OR a.text CONTAINS '本条例第' OR a.text CONTAINS '本法第' OR a.text CONTAINS '本办法第'
      OR a.text CONTAINS '本规定第'
OPTIONAL MATCH (a)-[g:DESIGNATES]->(au:Authority)
RETURN a.id AS id, a.number AS number, a.text AS text, l.id AS law_id, l.title AS law_title,
       l.status AS law_status, l.jurisdiction AS law_jurisdiction,
       collect({id: au.id, name: au.name, duty: g.duty_text}) AS designations
"""

_ARTICLE_TEXTS = """
UNWIND $ids AS aid
MATCH (a:Article {id: aid})
RETURN a.id AS id, a.text AS text
"""

_AUTHORITY_NAMES = "MATCH (au:Authority) RETURN au.id AS id, au.name AS name, au.aliases AS aliases"


def referring_articles(store: GraphStore, law_ids: list[str]) -> list[dict[str, Any]]:
    """Articles of these statutes that may refer to a breach of the statute itself (违反本条例/本法/本办法…,
    违反第N条, 有本条例第N条…), with the authorities extraction found each designating (`designations`: id,
    name, and the duty text after the mention, which locates it in the article)."""
    return store.read(_PENALTY_ARTICLES, {"laws": law_ids}) if law_ids else []


def article_texts(store: GraphStore, article_ids: list[str]) -> dict[str, str]:
    """Text of each article that exists, by id."""
    if not article_ids:
        return {}
    return {r["id"]: r["text"] or "" for r in store.read(_ARTICLE_TEXTS, {"ids": article_ids})}


def authority_names(store: GraphStore) -> list[dict[str, Any]]:
    """Every authority with its normalised name and the aliases statutes use for it."""
    return store.read(_AUTHORITY_NAMES)
