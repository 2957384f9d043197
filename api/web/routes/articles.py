"""GET /articles/{id}: what a citation opens — an article's text, its statute's status and version, the
authorities it designates and the same article in the statute's other versions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.web.deps import StoreDep, read_router
from api.web.lookup_models import ArticleDetail, ArticleVersion, Designation
from api.web.routes.common import clean, one_or_404
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/articles/{article_id:path}", response_model=ArticleDetail,
            summary="One article with its text, status and versions")
def get_article(
    store: StoreDep,
    article_id: Annotated[str, Path(description="An article id `<law id>#第N条`, percent-encoded ('#' → %23).",
                                    examples=["law:d01cf9fd4abcae88#第6条"])],
) -> ArticleDetail:
    """What a citation opens: the article's text, chapter, the statute's title, status and version, the
    authorities it designates, and the same article number in the statute's other versions."""
    row = one_or_404(store, q.ARTICLE, "article", article_id)
    return ArticleDetail(
        **clean(row, "law_effective"),
        designates=[Designation(**d) for d in q.rows(store, q.ARTICLE_DESIGNATES, id=article_id)],
        other_versions=[ArticleVersion(**clean(v, "effective")) for v in q.rows(store, q.ARTICLE_VERSIONS, id=article_id)],
    )
