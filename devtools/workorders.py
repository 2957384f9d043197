"""Synthetic hotline work orders for the sample jurisdiction and for benchmarks: seeded and deterministic.

Most orders go straight to the department that owns their matter and are closed there; a few are sent
to a plausible wrong department first and come back (退回). Planted on purpose, for gap discovery:

- ping-pong matters (推诿热点): orders about them bounce between several departments before the
  matter's owner in the table below accepts them — the owner may itself be among those that sent one
  back (see `PING_PONG`);
- a new kind of business (新业态) that no duty or matter covers: complaints about 萌宠互动馆 (撸猫馆 /
  猫咖), recent and rising, left unclassified by the operators (see `NEW_BUSINESS`). No one owns them:
  every department they are sent to sends them back, the hotline centre closes them with an answer,
  and their final department (最终承办单位) is empty — the label of a gap, with no correct department;
- the effect of the home rulings (抓落实): a share of the orders (`EFFECT_SHARE`) fall in the year before
  and the year after a ruling's decision on their matter (rulings/home.yaml). Before it, about half are
  first sent to a body the matter was confused with (a wrong first guess, or a party the ruling later made
  only cooperating) and come back, and they take longer to close; after it, almost all go straight to the
  ruled lead. After a ruling, its lead is the matter's owner in every later order too.

    python -m devtools.workorders --rows 3600 --seed 7 --out ingest/samples/luan/workorders.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.matters.taxonomy import read_taxonomy, walk
from ingest.workorders.records import HEADERS, format_events

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
TERRITORIAL = "属地"  # replaced by the order's own township office
HOTLINE = "市社会治理服务中心"  # the 12345 centre: closes an order no department takes, with an answer
TOWNSHIPS = ("鲁城街道", "安平街道", "东关街道", "西湖街道", "汶河街道", "高新区街道", "石埠镇", "青龙镇", "南台镇", "北洛镇",
             "双河镇", "大王庄镇")
STREETS = ("人民路", "文化路", "胜利街", "健康街", "东风路", "和平路", "新华路", "幸福路", "汶河大道", "青年路")
PLACES = ("小区", "路口", "广场", "农贸市场", "商业街", "村", "公园", "学校门口")
CHANNELS = (("12345热线", 70), ("政务网站", 8), ("微信公众号", 10), ("政务APP", 8), ("市长信箱", 4))
ASKS = ("请相关部门尽快处理。", "多次反映未解决，要求尽快处理。", "影响正常生活，请求处理。", "希望有关部门核实处理。", "请尽快安排人员查看。")
RETURN_REASONS = ("不属于本部门职责", "该事项已划转其他部门", "无执法依据，建议改派", "属地管理事项，建议派属地", "非本部门监管范围")
START = dt.datetime(2025, 1, 1)
END = dt.datetime(2026, 10, 31, 18)

# Owner of a matter for simulation: the department that closes most orders, and plausible wrong first guesses.
BY_CATEGORY: dict[str, tuple[str, tuple[str, ...]]] = {
    "噪声": ("市综合执法局", ("市生态环境分局", "市公安局")),
    "市容环卫": ("市综合执法局", ("市住建局", TERRITORIAL)),
    "违法建设": ("市综合执法局", ("市自然资源和规划局", "市住建局")),
    "占道经营": ("市综合执法局", ("市市场监管局", "交警大队")),
    "食品安全": ("市市场监管局", ("市农业农村局", "市卫健局")),
    "物业管理": ("市住建局", (TERRITORIAL,)),
    "养犬管理": ("市公安局", ("市综合执法局", "市农业农村局")),
    "交通出行": ("交警大队", ("市交通运输局", "市综合执法局")),
    "供水供热燃气": ("市住建局", ("水务集团", "热力公司")),
    "环境污染": ("市生态环境分局", ("市综合执法局",)),
    "劳动保障": ("市人社局", ("市住建局",)),
    "教育培训": ("市教体局", ("市市场监管局",)),
    "医疗卫生": ("市卫健局", ("市市场监管局", "市医保局")),
    "安全生产": ("市应急局", ("市市场监管局",)),
    "消防安全": ("市消防救援大队", ("市住建局", TERRITORIAL)),
    "文化旅游": ("市文旅局", ("市市场监管局",)),
    "新业态": ("市市场监管局", ("市文旅局", "市公安局")),
    "农业农村": ("市农业农村局", ("市生态环境分局", TERRITORIAL)),
    "水务河道": ("市水利局", ("市综合执法局",)),
    "市场监管": ("市市场监管局", ("市商务局",)),
    "民政殡葬": ("市民政局", (TERRITORIAL,)),
    "住房房产": ("市住建局", ("市自然资源和规划局",)),
}
BY_MATTER: dict[str, str] = {
    "广场舞噪声": "市公安局", "邻里生活噪声": "市公安局", "机动车改装排气噪声": "交警大队", "鸣笛噪声": "交警大队",
    "工厂设备噪声": "市生态环境分局", "小作坊加工噪声": "市生态环境分局", "垃圾清运不及时": "市园林环卫服务中心",
    "道路保洁不到位": "市园林环卫服务中心", "树木修剪": "市园林环卫服务中心", "公园设施损坏": "市园林环卫服务中心",
    "小区内垃圾堆放": "市住建局", "农村乱占耕地建房": "市自然资源和规划局", "非法占用土地": "市自然资源和规划局",
    "设施农业用地违规": "市自然资源和规划局", "宅基地违法建设": "市农业农村局", "未取得施工许可施工": "市住建局",
    "集市占用公路": "公路中心", "餐饮油烟扰民": "市综合执法局", "农产品种植养殖环节质量安全": "市农业农村局",
    "私屠滥宰": "市农业农村局", "病死畜禽": "市农业农村局", "电梯故障": "市市场监管局", "二次供水设施": "水务集团",
    "无物业老旧小区管理": TERRITORIAL, "业主大会成立": TERRITORIAL, "流浪犬收容": "市综合执法局",
    "共享单车乱停放": "市交通运输局", "占用消防通道停车": "市消防救援大队", "城市道路破损": "市住建局",
    "公路路面损坏": "公路中心", "井盖缺失": "市城市管理服务中心", "出租车拒载绕路": "市交通运输局", "非法营运黑车": "市交通运输局",
    "公交线路站点": "市交通运输局", "货车超限超载": "市交通运输局", "停水": "水务集团", "水质问题": "水务集团",
    "供水管网漏损": "水务集团", "室温不达标": "热力公司", "供热收费": "热力公司", "供热管网漏水": "热力公司",
    "燃气开户报装": "燃气公司", "停电": "供电公司", "施工扬尘": "市住建局", "露天焚烧": "市综合执法局",
    "灯光扰民": "市综合执法局", "养老保险待遇": "市人社局", "医保报销": "市医保局", "药店违规销售药品": "市市场监管局",
    "游乐设施安全": "市市场监管局", "锅炉压力容器": "市市场监管局", "工地安全隐患": "市住建局",
    "违规燃放烟花爆竹": "市公安局", "剧本杀": "市文旅局", "密室逃脱": "市文旅局", "无人机扰民": "市公安局",
    "民宿管理": "市文旅局", "农村厕所改造": TERRITORIAL, "农村垃圾治理": TERRITORIAL, "土地承包经营纠纷": TERRITORIAL,
    "预付卡退费": "市商务局", "办证难": "市自然资源和规划局", "托育机构": "市卫健局", "医疗美容": "市卫健局",
}


@dataclass(frozen=True)
class PingPong:
    """A matter whose orders bounce: `share` of its orders are returned 1..`max_returns` times among `circle`
    before the matter's owner takes them."""

    matter: str
    circle: tuple[str, ...]
    share: float
    max_returns: int
    weight: float  # against 1 for every other matter (set so that the recent orders, the ruling-effect
    # share aside, hold as many of its orders as before that share was added)


PING_PONG = (
    PingPong("停车场夜间货车噪声", ("市生态环境分局", "市综合执法局", "交警大队", "市交通运输局", "市住建局", TERRITORIAL),
             0.85, 5, 13.5),
    PingPong("流浪猫投喂扰民", ("市综合执法局", "市农业农村局", "市公安局", TERRITORIAL), 0.7, 3, 9.0),
)


@dataclass(frozen=True)
class NewBusiness:
    name: str
    terms: tuple[str, ...]
    complaints: tuple[str, ...]
    circle: tuple[str, ...]
    start: dt.datetime
    count_per_3600: int


NEW_BUSINESS = NewBusiness(
    name="萌宠互动馆（撸猫馆、猫咖）",
    terms=("撸猫馆", "猫咖", "萌宠互动馆", "宠物互动体验馆"),
    complaints=(
        "楼下新开的{t}猫砂和猫尿味道很重，整栋楼都能闻到",
        "孩子在{t}被猫抓伤，店家说猫都打过疫苗但拿不出证明",
        "{t}里几十只猫挤在一起，有的猫明显生病了还在营业",
        "{t}一边让顾客撸猫一边卖咖啡甜点，卫生状况堪忧",
        "在{t}办了年卡，没几个月就关门了，要求退费",
        "{t}夜里猫叫声和顾客喧哗声很大，影响休息",
        "{t}把猫粪和垃圾直接倒在小区垃圾桶旁",
    ),
    circle=("市市场监管局", "市农业农村局", "市卫健局", "市综合执法局", TERRITORIAL),
    start=dt.datetime(2026, 6, 1),
    count_per_3600=90,
)


@dataclass(frozen=True)
class Ruled:
    """A home ruling on a matter, as the simulation needs it: when, who leads, who was confused with the lead."""

    matter: str
    decided: dt.datetime
    lead: str
    others: tuple[str, ...]


EFFECT_SHARE = 0.12  # orders that fall in the year around a ruling on their matter
EFFECT_WINDOW = dt.timedelta(days=365)
MISROUTE_BEFORE = 0.5  # share of orders first sent elsewhere before the ruling …
MISROUTE_AFTER = 0.04  # … and after it
CLOSE_DAYS_BEFORE = (2, 10)
CLOSE_DAYS = (1, 7)


def _party(name: str) -> str:
    return TERRITORIAL if name.startswith("属地") else name


@functools.cache
def ruled_matters(path: Path = SAMPLES / "rulings" / "home.yaml") -> dict[str, Ruled]:
    """Leaf matter name → the home ruling deciding it (its lead and other parties, short names as the sample's
    work orders write them; 属地镇街 → the order's own township)."""
    out: dict[str, Ruled] = {}
    for r in yaml.safe_load(path.read_text(encoding="utf-8"))["rulings"]:
        leads = [p["name"] for p in r.get("parties") or [] if p.get("role") == "lead"]
        if not r.get("matter") or not leads or not r.get("decided_on"):
            continue
        lead = _party(leads[0])
        others = tuple(dict.fromkeys(_party(p["name"]) for p in r["parties"] if _party(p["name"]) != lead))
        decided = dt.datetime.combine(r["decided_on"], dt.time(9))
        out[str(r["matter"]).split("/")[-1]] = Ruled(str(r["matter"]).split("/")[-1], decided, lead, others)
    return out


@dataclass(frozen=True)
class MatterSpec:
    path: tuple[str, ...]
    description: str
    owner: str
    wrong: tuple[str, ...]


def matter_specs(taxonomy: Path = SAMPLES / "matters.yaml") -> list[MatterSpec]:
    """Every leaf matter with the department that handles it in the simulation."""
    out = []
    for path, entry in walk(read_taxonomy(taxonomy)):
        if entry.children or len(path) < 2:
            continue
        owner, wrong = BY_CATEGORY.get(path[0], ("市社会治理服务中心", ()))
        owner = BY_MATTER.get(path[-1], owner)
        if (ruled := ruled_matters().get(path[-1])) is not None:
            owner = ruled.lead
        out.append(MatterSpec(path, entry.description, owner, tuple(w for w in wrong if w != owner) or (TERRITORIAL,)))
    return out


def _when(rng: random.Random, start: dt.datetime = START, bias_recent: bool = False) -> dt.datetime:
    span = (END - start).total_seconds()
    u = rng.random() ** (0.6 if bias_recent else 1.0)
    t = start + dt.timedelta(seconds=span * (1 - u if bias_recent else u))
    return t.replace(second=0, microsecond=0)


def _hops(rng: random.Random, t: dt.datetime, path: list[str], reasons: tuple[str, ...],
          close_days: tuple[int, int] = CLOSE_DAYS, closer: str = "") -> list[tuple]:
    """Dispatch to each department in `path`; all but the last return it; the last accepts and closes —
    or, with `closer`, the last returns it too (for the first of `reasons`) and `closer` closes it unowned."""
    events = []
    for i, dept in enumerate(path):
        t += dt.timedelta(minutes=rng.randint(10, 240))
        events.append((t, "派单" if i == 0 else "改派", dept, ""))
        t += dt.timedelta(hours=rng.randint(2, 48))
        if i < len(path) - 1:
            events.append((t, "退回", dept, rng.choice(reasons)))
        elif closer:
            events.append((t, "退回", dept, reasons[0]))
            t += dt.timedelta(days=rng.randint(*close_days))
            events.append((t, "办结", closer, ""))
        else:
            events.append((t, "签收", dept, ""))
            t += dt.timedelta(days=rng.randint(*close_days))
            events.append((t, "办结", dept, ""))
    return events


def _place(rng: random.Random, township: str) -> str:
    kind = rng.choice(PLACES)
    if kind == "村":
        return f"{township}{rng.choice('前后东西南北')}{rng.choice('王李张刘赵孙')}村"
    return f"{township}{rng.choice(STREETS)}{kind}"


def _resolve(dept: str, township: str) -> str:
    return township if dept == TERRITORIAL else dept


def generate_rows(n: int, seed: int = 7, taxonomy: Path = SAMPLES / "matters.yaml") -> Iterator[list[str]]:
    """`n` rows in `HEADERS` order, a generator (the 1,000,000-row benchmark never holds them all)."""
    rng = random.Random(seed)
    specs = matter_specs(taxonomy)
    by_name = {s.path[-1]: s for s in specs}
    pp = {p.matter: p for p in PING_PONG if p.matter in by_name}
    weights = [pp[s.path[-1]].weight if s.path[-1] in pp else 1.0 for s in specs]
    new_share = NEW_BUSINESS.count_per_3600 / 3600
    channels, cweights = zip(*CHANNELS, strict=True)
    ruled = [(by_name[m], r) for m, r in sorted(ruled_matters().items()) if m in by_name]
    for i in range(n):
        township = rng.choice(TOWNSHIPS)
        place = _place(rng, township)
        channel = rng.choices(channels, cweights)[0]
        if ruled and rng.random() < EFFECT_SHARE:
            spec, ruling = rng.choice(ruled)
            t = (ruling.decided + (rng.random() * 2 - 1) * EFFECT_WINDOW).replace(second=0, microsecond=0)
            text = f"市民反映：{place}{spec.description or spec.path[-1] + '问题'}（{spec.path[-1]}）。{rng.choice(ASKS)}"
            before = t < ruling.decided
            circle = [ruling.lead]
            if rng.random() < (MISROUTE_BEFORE if before else MISROUTE_AFTER):
                confused = [d for d in (*ruling.others, *spec.wrong) if d != ruling.lead] or [TERRITORIAL]
                circle = rng.sample(confused, k=min(len(confused), 2 if before and rng.random() < 0.3 else 1)) + circle
            circle = [_resolve(d, township) for d in circle]
            events = _hops(rng, t, circle, RETURN_REASONS, CLOSE_DAYS_BEFORE if before else CLOSE_DAYS)
            matter, final = "/".join(spec.path), circle[-1]
            result = rng.choices(("已办结", "已解决", "已答复", "未解决"), (50, 30, 12, 8))[0]
            satisfaction = rng.choices(("满意", "基本满意", "不满意"), (60, 28, 12) if len(circle) == 1 else (25, 35, 40))[0]
        elif rng.random() < new_share:
            t = _when(rng, NEW_BUSINESS.start, bias_recent=True)
            term = rng.choice(NEW_BUSINESS.terms)
            text = f"市民反映：{place}附近，" + rng.choice(NEW_BUSINESS.complaints).format(t=term) + "。" + rng.choice(ASKS)
            circle = [_resolve(d, township) for d in rng.sample(NEW_BUSINESS.circle, k=rng.randint(2, 4))]
            events = _hops(rng, t, circle, ("无明确监管依据", "不属于本部门职责", "非养殖场所，不属于动物防疫监管对象"),
                           closer=HOTLINE)
            matter = ""
            final, result = "", rng.choice(("已协调，暂无明确监管部门", "已答复", "未解决"))
            satisfaction = rng.choice(("不满意", "不满意", "基本满意"))
        else:
            spec = rng.choices(specs, weights)[0]
            t = _when(rng)
            issue = spec.description or f"{spec.path[-1]}问题"
            text = f"市民反映：{place}{issue}（{spec.path[-1]}）。{rng.choice(ASKS)}"
            bounce = pp.get(spec.path[-1])
            if bounce and rng.random() < bounce.share:
                k = rng.randint(1, bounce.max_returns)
                circle = [_resolve(d, township) for d in rng.choices(bounce.circle, k=k + 1)]
                circle = [d for j, d in enumerate(circle) if j == 0 or d != circle[j - 1]]
                circle[-1] = _resolve(spec.owner, township)  # who finally takes it: the owner, as for every order
            elif rng.random() < 0.02:  # an occasional misroute, returned once
                circle = [_resolve(rng.choice(spec.wrong), township), _resolve(spec.owner, township)]
            else:
                circle = [_resolve(spec.owner, township)]
            events = _hops(rng, t, circle, RETURN_REASONS)
            matter = "/".join(spec.path)
            final = circle[-1]
            result = rng.choices(("已办结", "已解决", "已答复", "未解决"), (50, 30, 12, 8))[0]
            satisfaction = rng.choices(("满意", "基本满意", "不满意"), (60, 28, 12) if len(circle) == 1 else (25, 35, 40))[0]
        number = f"LA{t:%Y%m%d}{i:07d}"
        yield [number, t.isoformat(timespec="minutes"), channel, text, place, township, matter, format_events(events),
               final, result, satisfaction]


def write_csv(path: Path, n: int, seed: int = 7) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        count = 0
        for row in generate_rows(n, seed):
            w.writerow(row)
            count += 1
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=SAMPLES / "workorders.csv")
    args = ap.parse_args()
    print(f"wrote {write_csv(args.out, args.rows, args.seed)} rows to {args.out}")


if __name__ == "__main__":
    main()
