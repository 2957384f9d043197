"""Per-file content hashes of statutes already fully written, so a re-run skips them (resumable loads).

One JSON file per graph under `data_dir/checkpoints/`; written atomically after every batch, so an
interrupted load resumes at the first batch that did not finish.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from graph.ids import slug


class Checkpoint:
    def __init__(self, data_dir: Path, graph: str, kind: str = "laws"):
        self.path = Path(data_dir) / "checkpoints" / f"{kind}-{slug(graph)}.json"
        self.done: dict[str, str] = {}
        if self.path.is_file():
            try:
                self.done = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                self.done = {}  # a torn checkpoint only costs a re-load

    def is_done(self, source: str, checksum: str) -> bool:
        return self.done.get(source) == checksum

    def mark(self, items: list[tuple[str, str]]) -> None:
        self.done.update(items)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.done, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.done = {}
        self.path.unlink(missing_ok=True)
