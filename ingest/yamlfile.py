"""Reading a YAML source file: every way it can fail is an IngestError naming the file and, where YAML knows
it, the line. YAML reads `2023-02-30` as a date and fails with a plain ValueError; that is a bad file too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import IngestError


def read_yaml(path: Path, text: str | None = None, failure: str = "cannot read YAML") -> Any:
    """The parsed document of `path` (or of `text`, already read from it); `failure` opens the error's reason."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8") if text is None else text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(path, f"{failure}: {exc}") from None
    except (ValueError, OverflowError) as exc:  # an impossible date or time in a value
        raise IngestError(path, f"{failure}: a bad date or number: {exc}") from None
