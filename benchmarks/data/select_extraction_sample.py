"""How the labelled extraction set was drawn (kept so the draw can be repeated and audited).

For each statute listed in extraction_statutes.txt: 5 articles at random among those naming an
authority-like word (部门 / 机关 / 人民政府 …) and 1 among the rest, seeded by the file path. The
articles were then labelled by reading them (see extraction_labels.yaml for the rules), not by
running the extractor. Prints one JSON line per drawn article: file, article number, text.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))

from ingest.extract.run import may_designate  # noqa: E402
from ingest.laws.files import read_statute  # noqa: E402


def draw(root: Path) -> list[dict]:
    out = []
    for rel in (HERE / "extraction_statutes.txt").read_text(encoding="utf-8").split():
        doc = read_statute(root / rel)
        rng = random.Random(rel)
        named = [a for a in doc.articles if may_designate(a.text)]
        other = [a for a in doc.articles if not may_designate(a.text)]
        picked = rng.sample(named, min(5, len(named))) + rng.sample(other, min(1, len(other)))
        for a in sorted(picked, key=lambda a: a.ordinal):
            out.append({"file": rel, "article": a.number, "text": a.text})
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "lawrefbook"
    for item in draw(root):
        print(json.dumps(item, ensure_ascii=False))
