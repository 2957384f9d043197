"""GET /vocabulary: the Chinese labels the pages show for the answers' codes (roles, relations, gap kinds)."""

from __future__ import annotations

from fastapi import APIRouter

from api.vocabulary import as_dict as vocabulary_tables
from api.web.lookup_models import Vocabulary

router = APIRouter(tags=["lookups"])


@router.get("/vocabulary", response_model=Vocabulary, summary="The Chinese labels for the API's codes")
def get_vocabulary() -> Vocabulary:
    """The labels the pages show for codes in the answers (`HOLDS lead` → 承担权责（牵头）), from the one
    table the CLI uses too (api.vocabulary). Open without a key: it holds no data, and a page needs it
    before anyone has entered one."""
    return Vocabulary(**vocabulary_tables())
