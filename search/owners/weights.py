"""The numbers the owner ranking multiplies, and the validity rule, in one place.

Kind weights say how directly a kind of evidence assigns a matter: a duty list's RESPONSIBLE_FOR or
a home ruling names the department itself; a statute names an abstract authority that a local body
acts as; a 三定 clause describes a department's field in general words. Role weights keep a
cooperating or territorial mention from outweighing a lead one. Validity: repealed law counts for
nothing, a superseded ruling or an ended edge for little, a not-yet-valid fact for nothing.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from graph.ontology.nodes import NOT_IN_FORCE

# What a body does to the author of a conduct it sanctions (not 给予处分, which disciplines its own staff).
SANCTIONS = r"(责令|处[^。；]{0,30}罚款|没收|吊销|查处|处罚|予以(处罚|警告|取缔|没收|查处)|警告|制止|拆除)"
# An article that establishes who is competent for a field ("…主管部门负责本行政区域…的监督管理工作"), or
# for a conduct by naming who sanctions it ("…的，由公安机关责令改正，处…罚款"), settles ownership more
# directly than one that mentions an authority in passing (a procedure, a report to file, a standard to
# set). Without the sanction form, a penalty article counted as competent only where its body's name
# happened to hold 主管 (卫生健康主管部门), not for 公安机关, 城市管理部门, 街道办事处 (real-place dev owner
# top-1 0.738 → 0.748, disputes 0.698 → 0.730; search bench unchanged). 主管 counts as a verb (主管全国…工作) or as
# what a body is (X部门是…的主管部门), not inside a body's name: an article that has a 林业主管部门 told of a project
# or a 自然资源主管部门 issue a licence does not make anyone competent for a conduct. A sanction may follow the
# body after the law it applies (由市场监督管理部门依照有关法律、法规的规定予以处罚). Real-place tune (500) top-1
# 0.770 → 0.774, top-3 0.920 → 0.922, disputes 0.753 → 0.775 (6 won, 4 lost); dev5 0.574 → 0.585; search bench
# 0.858 → 0.854 (one national case, 乱捕野生鸟, lost by 0.328 to 0.326). A body that 按照下列规定处理： sanctions
# the conducts its items list, each with its penalty (tune 0.774 → 0.776: 狗拴楼道, none lost).
# Nor is 主管 a noun: 直接负责的主管人员 (a staff-liability clause; 1,149 articles had read as competent on it), 业主管理,
# 民主管理, 主管税务机关 (tune, dev5 and the search bench unchanged). Nor 是否 / 是指 / 但是 before a 主管部门 (…是否具有
# 保护价值，征求文物主管部门意见: 37 snapshot articles had read as competent on it).
_BODY = r"由[^。；]{0,30}?(部门|机关|机构|局|政府|办事处)"
_COMPETENCE = re.compile(r"(?<![业民])主管(?!部门|机关|机构|单位|人员|税务|公安|海关)|(?<![凡但])是(?!否|指|在)[^，。；]{0,30}主管部门|负责(本行政区域|本辖区|全市|全省|全国)"
                         r"|统一监督管理|监督管理工作|负责.{0,30}(工作|监督管理|查处)"
                         rf"|{_BODY}[^。；]{{0,10}}?(?:依照|按照)下列规定处理"
                         rf"|{_BODY}(?:[^。；]{{0,10}}?|(?:依照|按照|依据)[^。；]{{0,40}}?(?:规定|职责)[^。；]{{0,6}}?)" + SANCTIONS)
_SANCTIONING = re.compile(r"\s*(依法)?" + SANCTIONS)
# an article that sanctions a conduct: "由<body>…责令/处…罚款/没收/吊销/查处…", "处…罚款"; not one where a body
# only 给予处分 (disciplines its own staff), which no caller's complaint is about (real-place dev basis
# recall@10 0.771 → 0.785 when those stopped counting in search.focus; search bench unchanged)
_SANCTION = re.compile(r"由[^。；]{0,30}?" + SANCTIONS + r"|处[^。；]{0,20}罚款")


class OwnerWeights(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: dict[str, float] = Field(default_factory=lambda: {
        "matter": 1.0, "duty": 0.8, "ruling": 1.0, "precedent": 0.6,
        "article": 0.5, "mandate_clause": 0.6,
    })
    clause_kind: dict[str, float] = Field(default_factory=lambda: {"main": 1.0, "boundary": 0.8, "internal": 0.8, "other": 0.6})
    role: dict[str, float] = Field(default_factory=lambda: {"lead": 1.0, "cooperate": 0.4, "territorial": 0.25})
    scoped: float = Field(default=0.8, description="a department that realises only part of an authority (ACTS_AS scope)")
    via_department: float = Field(default=0.5, description="authority mode: a local department's evidence carried to the authority it acts as")
    repealed: float = 0.0
    referral: float = Field(default=0.8, description="an article naming who acts on a breach of the rule the question "
                            "matched (违反本条例第X条…由Y…), reached through that rule: × the article kind weight "
                            "(real-place dev top-1: 0.757 at 0.6, 0.762 at 0.7, 0.766 at 0.8, 0.762 at 0.9, 0.757 at "
                            "1.0, 0.752 at 1.2, once penalty articles counted as competent)")
    sentence_floor: float = Field(default=0.25, ge=0.0, le=1.0, description="an article naming several bodies: the "
                                  "least share of its evidence a body gets whose sentences fit the question worst "
                                  "(real-place tune top-1 0.802 at 0.25, 0.796 at 0.1 and at 0.0)")
    conduct_floor: float = Field(default=0.5, ge=0.0, le=1.0, description="a sanction article among its statute's "
                                 "sanction articles the question reached: the least share of its evidence it keeps, where "
                                 "its best item or sentence (or the rule it cites) fits the question worst "
                                 "(search.owners.conduct; not for a dispute's sides. Real-place tune top-1 0.792 at 1.0, "
                                 "0.798 at 0.5; with disputes too 0.796 at 0.5, 0.788 at 0.25, 0.784 at 0.1)")
    local_statute: float = Field(default=2.4, description="an article of a statute of the asked place itself (not "
                                 "the nation's): the specific rule there outweighs the general one (real-place dev "
                                 "top-1: 0.664 at 1.3, 0.682 at 1.6, 0.692 at 2.0, 0.696 at 2.4, 0.692 at 3.0)")
    party: float = Field(default=2.0, description="authority mode: a body one side of a dispute names (X说归Y管) — "
                         "one of the sides is competent in most disputes, and a statute that names a third body in "
                         "passing should not outrank them (real-place dev disputes: top-1 0.619 at 1.0, 0.667 at 2.0)")
    other_statute: float = Field(default=0.0, description="a dispute (X说归Y管): a piece of a body's evidence from a "
                                 "statute other than its best one (search.owners.rank.on_one_statute)")
    incidental: float = Field(default=0.6, description="an article that names an authority without making it competent for a field")
    outranked: float = Field(default=0.5, description="an incidental article of a statute whose competent article was "
                             "reached too (search.owners.rank._outranked): the licence, plan or report article outranked "
                             "its statute's penalty for the conduct (real-place tune top-1 0.782 → 0.790 at 0.7, 0.792 at "
                             "0.6, 0.794 at 0.5, 0.792 at 0.3; top-3 0.924 → 0.920)")
    outranked_share: float = Field(default=0.3, ge=0.0, description="the least similarity of that competent article, as "
                                   "a share of the incidental one's (tune top-1 0.792 at 0, 0.794 at 0.3, 0.790 at 0.6)")
    glossary: float = Field(default=0.3, description="a statute's glossary article (本法下列用语的含义): it defines terms and "
                            "assigns no duty, so a body it names in a definition (主要林木由国务院林业草原主管部门确定) is not "
                            "competent for the conduct asked about (real-place dev top-1 0.780 → 0.783, national 0.780 → "
                            "0.788: one case, the same at 0.0 and 0.1, lost again at the incidental 0.6)")
    detention: float = Field(default=0.5, description="a body an article names only where it may add detention (并可以由"
                             "公安机关处…拘留) to the penalty of the body competent for the conduct: an add-on, not the lead "
                             "(real-place dev top-1 0.773 → 0.776, the same at 0.25: the 假药 articles of 药品管理法)")
    amended: float = 0.2
    superseded: float = 0.1
    ended: float = 0.1
    basis_failed: float = 0.3
    diminishing: float = Field(default=0.6, ge=0.0, le=1.0, description="the i-th best piece of a candidate's evidence "
                               "counts diminishing**i (real-place tune top-1 0.802 at 0.6, 0.794 at 0.5, 0.792 at 0.4: "
                               "a body's several articles outweighing the one settling article is not cured by counting "
                               "them less)")
    similarity_decay: float = Field(default=6.0, gt=0, description="similarity of the i-th hit = exp(-i / decay)")
    max_evidence: int = Field(default=12, ge=1, description="pieces of evidence kept per candidate")


DEFAULT_WEIGHTS = OwnerWeights()


def interval_validity(valid_from: str | None, valid_to: str | None, as_of: str, w: OwnerWeights) -> tuple[float, str]:
    """A fact on an as-of date: full weight inside its interval, little after it ended, none before it began."""
    if valid_from and str(valid_from)[:10] > as_of:
        return 0.0, f"截至{as_of}尚未生效（{str(valid_from)[:10]}起生效）"
    if valid_to and str(valid_to)[:10] <= as_of:
        return w.ended, f"已于{str(valid_to)[:10]}终止"
    return 1.0, ""


def law_validity(status: str | None, w: OwnerWeights) -> tuple[float, str]:
    if status in NOT_IN_FORCE:
        return w.repealed, f"该法律法规{status}"
    if status == "已修改":
        return w.amended, "该法律法规已修改（此为旧版本）"
    if status == "尚未生效":
        return 0.0, "该法律法规尚未施行"
    return 1.0, ""


def sanctions(text: str) -> bool:
    """Does the article sanction a conduct (not only discipline a body's own staff)?"""
    return bool(_SANCTION.search(text))


def sanctioning(duty_text: str | None) -> bool:
    """Whether a designation's duty is to sanction a conduct (责令改正, 处…罚款, 查处 …), not to support or
    report: a 乡镇人民政府 or 街道办事处 that does so is the one acting on that conduct, not a territorial help."""
    return bool(duty_text and _SANCTIONING.match(duty_text))


# A clause (between commas / stops) that adds detention to another body's penalty: only the police may detain
# (行政拘留), and a penalty article of another field names them for that add-on alone ("…没收…罚款，并可以由公安机关
# 处五日以上十五日以下的拘留", "除依照…给予处罚外，可以由公安机关…给予拘留"). Only the add-on form counts: where
# the police detain in their own right ("由公安机关处警告或者十五日以下拘留", a clause that also fines or warns),
# they are the body competent for the conduct.
_ADD_ON_DETENTION = re.compile(r"[^，,。；;：:\n]*(?:(?:并|还|同时)(?:可以|应当|可)?|(?<=外[，,])(?:可以|应当|可)?)由"
                               r"[^，,。；;：:\n]*拘留[^，,。；;：:\n]*")
_OWN_PENALTY = re.compile(r"罚款|警告|没收|吊销")


def detains_only(text: str, body: str) -> bool:
    """Is `body` named in the article only in clauses that add detention to another body's penalty?"""
    if body not in text or "拘留" not in text:
        return False
    rest = _ADD_ON_DETENTION.sub(lambda m: m.group(0) if _OWN_PENALTY.search(m.group(0)) else "", text)
    return rest != text and body not in rest


# A glossary article's opening ("本法下列用语的含义是：", "本条例中下列用语的含义：", "本办法下列用语含义…", and the
# rarer 下列术语的含义, 下列用语的定义, 下列名词的含义), read at the start of the article's text (its citation may come
# first): 253 article openings of the snapshot's Markdown, 5 of them in the rarer wordings.
_GLOSSARY = re.compile(r"下列(?:用语|术语|名词)的?(?:含义|定义)")
_GLOSSARY_HEAD = 80


def glossary(text: str) -> bool:
    """Is the article a statute's glossary (本法下列用语的含义是：…)?"""
    return bool(_GLOSSARY.search(text[:_GLOSSARY_HEAD]))


def competence(text: str, w: OwnerWeights) -> float:
    """1.0 for an article that makes an authority competent for a field, `glossary` for a glossary article
    (whatever its definitions mention), `incidental` otherwise."""
    if glossary(text):
        return w.glossary
    return 1.0 if _COMPETENCE.search(text) else w.incidental


# A statute's administration clause (管理体制条款), usually in its general provisions: a named body — a
# department, an organ, an agency — is in charge of the statute's field ("…主管部门负责本行政区域内…的监督管理
# 工作", "…部门对全国…实施监督管理", "…主管部门分别主管…工作"). Narrower than `_COMPETENCE`: a penalty clause
# ("由…主管部门责令改正") names a department too but is not where the statute says who is in charge.
_ADMINISTERS = re.compile(
    r"(部门|机关|机构|管理局)(（[^）]{0,30}）)?(统一|分别)?(负责|主管|对)[^。；]{0,60}(监督管理|管理工作|管理和监督工作|工作)"
)


def administers(text: str) -> bool:
    """Does the article say which body is in charge of the statute's field?"""
    return bool(_ADMINISTERS.search(text))
