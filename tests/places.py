"""The jurisdiction chain the small test graphs share: 全国 → 山东省 → 潍坊市 → 鲁安市 (fictional), and 济南市."""

from __future__ import annotations

from graph.ontology import Jurisdiction

CN = Jurisdiction(name="全国", level="全国")
SD = Jurisdiction(name="山东省", level="省", parent=CN.id)
WF = Jurisdiction(name="潍坊市", level="市", parent=SD.id)
LUAN = Jurisdiction(name="鲁安市", level="县", parent=WF.id)
JN = Jurisdiction(name="济南市", level="市", parent=SD.id)
