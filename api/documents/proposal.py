"""Reading a stored proposal (the /ask JSON contract) for documents: field by field, with defaults.

A case keeps the answer as it was when attached, so a document may meet a proposal from before a field
existed, or one with fields added since (an answer split into `aspects`, each with its own lead,
cooperating and territorial bodies, basis articles and rulings). These readers take what is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

COOPERATE = 4  # cooperating bodies taken from a ranked answer (as the case page's "按建议填写" does)
TERRITORIAL = 3


def parties(value: Any) -> list[tuple[str, str]]:
    """(name, task) for a body, or a list of them, as a proposal may give it: a name, {name, task}, or a
    candidate ({name, role, evidence}) whose task is its strongest evidence."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [(value, "")]
    if isinstance(value, dict):
        name = value.get("name") or value.get("department") or value.get("id") or ""
        task = value.get("task") or value.get("duty") or value.get("duty_text") or ""
        if not task and value.get("evidence"):
            task = f"依据：{value['evidence'][0].get('citation', '')}"
        return [(str(name), str(task))] if name else []
    if isinstance(value, Iterable):
        return [x for v in value for x in parties(v)]
    return [(str(value), "")]


def parties_text(value: Any, sep: str = "；") -> str:
    return sep.join(n + (f"（{t}）" if t else "") for n, t in parties(value))


def article_ids(value: Any) -> list[str]:
    """Article ids from a basis list: ids, or {id: …} rows (the /ask `articles`), each once, in order."""
    out: list[str] = []
    for v in value or []:
        aid = v.get("id") if isinstance(v, dict) else v
        if isinstance(aid, str) and aid:
            out.append(aid)
    return list(dict.fromkeys(out))


def aspects(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in answer.get("aspects") or [] if isinstance(a, dict)]


def aspect_name(a: dict[str, Any], i: int) -> str:
    name = a.get("name") or a.get("aspect") or a.get("matter") or f"方面{i}"
    return str(name.get("name") or name.get("id")) if isinstance(name, dict) else str(name)


def cooperating(d: dict[str, Any]) -> Any:
    return d.get("cooperating", d.get("cooperate"))


def basis_articles(d: dict[str, Any]) -> list[Any]:
    """The division's basis articles, best first; one marked not valid (repealed, amended) is no basis."""
    found = d.get("basis_articles", d.get("articles")) or []
    return [a for a in found if not (isinstance(a, dict) and a.get("valid") is False)]


def whole_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """One division from an answer not split into aspects: its own lead/cooperating fields where it has them,
    else the first lead among the ranked candidates and the cooperating and territorial ones after it."""
    cands = [c for c in answer.get("candidates") or [] if isinstance(c, dict)]
    by_role = {r: [c for c in cands if c.get("role") == r] for r in ("lead", "cooperate", "territorial")}
    return {
        "lead": answer.get("lead") or by_role["lead"][:1],
        "cooperating": cooperating(answer) or by_role["cooperate"][:COOPERATE],
        "territorial": answer.get("territorial") or by_role["territorial"][:TERRITORIAL],
        "basis_articles": basis_articles(answer),
        "rulings": answer.get("rulings") or [],
    }
