"""The shared spaCy pipeline: blank Chinese with the jieba segmenter plus our rule components.

Built once per process (jieba's dictionary takes about a second to load). No model download.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=4)
def authority_pipeline(user_table: str | None = None) -> Language:
    """spaCy's blank Chinese pipeline (jieba segmenter) + authority_mentions → role_cues → designations (see ingest.extract.designations).

    `user_table` is a YAML merged over the built-in authority table (setting `authority_table`).
    """
    from ingest.extract import designations  # noqa: F401  (registers the components)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("authority_mentions", config={"table": user_table or ""})
    nlp.add_pipe("role_cues")
    nlp.add_pipe("designations")
    return nlp
