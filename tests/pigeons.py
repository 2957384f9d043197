"""The pigeon-keeping rule the dated-law tests share: a city's rule on rooftop 鸽棚 naming 城市管理部门, and the
agriculture body (with its 鲁安市 department) that a later text names instead."""

from __future__ import annotations

from graph.ontology import Authority, Department
from tests.places import LUAN

AGRI_AU = Authority(name="农业农村主管部门")
AGRI = Department(name="鲁安市农业农村局", jurisdiction=LUAN.id, level="县")
PIGEON_ASK = "邻居在居民楼顶搭鸽棚养鸽子，鸽子粪便到处都是"
CITY_RULE = "在居民楼顶违规搭建鸽棚饲养鸽子，鸽子粪便污染环境的，由城市管理部门责令拆除鸽棚。"
