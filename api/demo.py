"""The README's main job. For now a small hand-written demo graph and an as-of owners query;
it grows into the sample jurisdiction and `ask` as those land."""

from __future__ import annotations

import datetime as dt

from rich.table import Table

from api.console import console
from graph.ontology import Department, DepartmentIn, Jurisdiction, Matter, ResponsibleFor
from graph.queries.assignments import owners_of_matter
from graph.store import open_store

DEMO_SOURCE = "demo:鲁安市夜间噪声分工意见(2021)"


def _demo_graph() -> tuple[list, list, list]:
    city = Jurisdiction(name="鲁安市", level="县", code="370999")
    depts = {
        n: Department(name=n, jurisdiction=city.id)
        for n in ("鲁安市公安局", "鲁安市综合行政执法局", "鲁安市生态环境局", "鲁安市住房和城乡建设局")
    }
    noise = Matter(name="夜间停车场货车噪声", path=["噪声", "社会生活噪声", "夜间停车场货车噪声"])
    old = ResponsibleFor(
        src=depts["鲁安市生态环境局"].id, dst=noise.id, source="demo:旧分工(2018)", role="lead",
        valid_from=dt.date(2018, 3, 1), valid_to=dt.date(2021, 6, 1),
    )
    new = [
        ResponsibleFor(src=depts["鲁安市公安局"].id, dst=noise.id, source=DEMO_SOURCE, locator="第二条",
                       role="lead", valid_from=dt.date(2021, 6, 1)),
        ResponsibleFor(src=depts["鲁安市综合行政执法局"].id, dst=noise.id, source=DEMO_SOURCE, locator="第三条",
                       role="cooperate", valid_from=dt.date(2021, 6, 1)),
    ]
    ins = [DepartmentIn(src=d.id, dst=city.id, source="demo:机构目录") for d in depts.values()]
    return [city, noise, *depts.values()], ins, [old, *new]


def run_demo() -> None:
    nodes, ins, assignments = _demo_graph()
    with open_store() as store:
        store.upsert_nodes(nodes)
        store.upsert_edges([*ins, *assignments], actor="demo")
        for as_of in ("2019-05-01", dt.date.today().isoformat()):
            rows = owners_of_matter(store, "停车场", as_of)
            t = Table("事项 matter", "部门 department", "role", "basis", "valid", title=f"谁负责「停车场噪声」? as of {as_of}")
            for r in rows:
                t.add_row(r["matter"], r["department"], r["role"], f"{r['source']} {r['locator'] or ''}",
                          f"{r['valid_from']} → {r['valid_to'] or '…'}")
            console.print(t)
        report = store.changelog.verify()
        console.print(f"change log: {report.entries} entries, {'intact' if report.ok else 'TAMPERED'}")
