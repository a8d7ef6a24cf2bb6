"""A synthetic knowledge base of realistic disclosure questions, and noisy paraphrased queries.

Entries combine an organ, a place, a qualifier and a document type, so N can reach 50k distinct questions;
each entry has 3-5 phrasings from different templates, and a query uses a template the entry does not
have, plus fillers and dropped or swapped characters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.content.models import Dictionary, Entry, KnowledgeBase, Rule
from bot.verdicts import Verdict

ORGANS = [
    "县财政局", "县住建局", "县自然资源局", "县生态环境局", "县市场监管局", "县人社局", "县教育局", "县卫健委",
    "县民政局", "县交通运输局", "县水利局", "县农业农村局", "县应急管理局", "县统计局", "县审计局", "县公安局",
    "县司法局", "县文旅局", "县医保局", "县林业局", "县商务局", "县发改局", "县城管局", "县税务局",
    "乡政府", "镇政府", "街道办", "县政府办", "县信访局", "县档案馆", "县退役军人事务局", "县科技局",
    "县工信局", "县粮食和物资储备局", "县住房公积金中心", "县行政审批局", "县机关事务局", "县气象局",
    "县消防救援大队", "县交警大队",
]
QUALIFIERS = [
    "2023年度", "去年", "今年上半年", "关于老旧小区改造的", "关于农村公路建设的", "关于学校布局调整的",
    "关于污水处理厂的", "关于保障性住房的", "关于乡村振兴的", "关于河道整治的", "关于垃圾分类的",
    "关于营商环境的", "关于安全生产的", "关于食品安全的", "关于招商引资的", "关于防汛抗旱的",
    "关于耕地保护的", "关于养老服务的", "关于就业援助的", "关于医疗救助的", "关于工业园区的",
    "关于文物保护的", "关于森林防火的", "关于电动车管理的", "关于停车收费的", "关于供水价格的",
    "关于燃气安全的", "关于校外培训的", "关于殡葬改革的", "关于人才引进的",
]
DOCUMENTS = [
    ("工作总结", Verdict.ON_REQUEST), ("会议纪要", Verdict.CASE_BY_CASE), ("请示", Verdict.MAY_WITHHOLD),
    ("征求意见稿", Verdict.MAY_WITHHOLD), ("实施方案", Verdict.PROACTIVE), ("规范性文件", Verdict.PROACTIVE),
    ("执法卷宗", Verdict.MAY_WITHHOLD), ("行政处罚决定书", Verdict.PARTIAL), ("招标文件", Verdict.PROACTIVE),
    ("投标报价", Verdict.THIRD_PARTY), ("审计报告", Verdict.CASE_BY_CASE), ("预算报告", Verdict.PROACTIVE),
    ("补贴发放名单", Verdict.PARTIAL), ("内部通知", Verdict.MAY_WITHHOLD), ("调研报告", Verdict.ON_REQUEST),
    ("统计调查表", Verdict.MUST_NOT), ("应急预案", Verdict.PROACTIVE), ("合同", Verdict.THIRD_PARTY),
    ("考勤记录", Verdict.MAY_WITHHOLD), ("人员花名册", Verdict.MUST_NOT), ("专家论证意见", Verdict.MAY_WITHHOLD),
    ("验收报告", Verdict.ON_REQUEST), ("信访件", Verdict.OUT_OF_REGIME), ("整改报告", Verdict.PROACTIVE),
    ("工作计划", Verdict.PROACTIVE), ("领导讲话稿", Verdict.CASE_BY_CASE), ("批复", Verdict.ON_REQUEST),
    ("监测数据", Verdict.PROACTIVE), ("检查记录", Verdict.CASE_BY_CASE), ("办事指南", Verdict.PROACTIVE),
    ("资金拨付明细", Verdict.ON_REQUEST), ("可行性研究报告", Verdict.ON_REQUEST), ("环评报告书", Verdict.PROACTIVE),
    ("会议记录", Verdict.CASE_BY_CASE), ("磋商函", Verdict.MAY_WITHHOLD), ("签批单", Verdict.MAY_WITHHOLD),
    ("立项批复", Verdict.PROACTIVE), ("征收补偿方案", Verdict.PROACTIVE), ("培训课件", Verdict.ON_REQUEST),
    ("督查通报", Verdict.CASE_BY_CASE), ("考核结果", Verdict.CASE_BY_CASE), ("财务报表", Verdict.THIRD_PARTY),
]
# Place names make entries distinct the way a real provincial base is (many towns, many projects).
_PLACE_HEADS = "东西南北上下大小新老青白黄石龙凤桃李杏桂梅竹松柏溪河湖山岭坪塘"
_PLACE_TAILS = "口头坝岗湾洲桥田林源"
PLACES = [h + t + kind for h in _PLACE_HEADS for t in _PLACE_TAILS for kind in ("镇", "村")]
TEMPLATES = [
    "{o}{q}{d}要不要公开", "有人申请公开{o}{q}{d}", "{o}{q}{d}能不能给申请人", "{q}{d}需要主动公开吗{o}",
    "申请人要复印{o}的{q}{d}", "{o}{q}{d}公开属性怎么定", "群众来要{o}{q}{d}给不给", "{o}{q}{d}可以挂网吗",
    "{q}{d}属于主动公开还是依申请公开{o}", "{o}收到申请要{q}{d}怎么处理",
]
FILLERS = ["请问", "我想问一下", "麻烦问下", "你好", "", "", ""]
RULES = {
    "reg-16": Rule("reg-16", "政府信息公开条例", 16, "可以不予公开", "内部事务信息、过程性信息、执法案卷可以不公开。"),
    "reg-20": Rule("reg-20", "政府信息公开条例", 20, "主动公开事项", "列举应主动公开的十五类信息。"),
}


@dataclass(frozen=True)
class Query:
    text: str
    entry_id: str


def combinations(n: int, rng: random.Random) -> list[tuple[str, str, tuple[str, Verdict]]]:
    """``n`` distinct (organ, place + qualifier, document) combinations, drawn at random."""
    seen: set[tuple[int, int, int, int]] = set()
    out = []
    while len(out) < n:
        key = (rng.randrange(len(ORGANS)), rng.randrange(len(PLACES)), rng.randrange(len(QUALIFIERS)),
               rng.randrange(len(DOCUMENTS)))
        if key not in seen:
            seen.add(key)
            out.append((ORGANS[key[0]], PLACES[key[1]] + QUALIFIERS[key[2]], DOCUMENTS[key[3]]))
    return out


def generate(n: int, seed: int = 7) -> tuple[KnowledgeBase, list[Query]]:
    """A knowledge base of ``n`` entries and one noisy query per entry (unused template)."""
    rng = random.Random(seed)
    entries: dict[str, Entry] = {}
    queries: list[Query] = []
    for i, (organ, qualifier, (document, verdict)) in enumerate(combinations(n, rng)):
        templates = rng.sample(TEMPLATES, 6)
        phrasings = [t.format(o=organ, q=qualifier, d=document) for t in templates[: rng.randint(3, 5)]]
        entry_id = f"syn-{i}"
        entries[entry_id] = Entry(
            id=entry_id, question=phrasings[0], alternates=tuple(phrasings[1:]), verdict=verdict,
            answer=f"{verdict.label}。", basis=("reg-16" if verdict.withholds else "reg-20",),
        )
        unseen = templates[5].format(o=organ, q=qualifier, d=document)
        queries.append(Query(noisy(unseen, rng), entry_id))
    dictionary = Dictionary(fillers=("请问", "我想问一下", "麻烦问下", "你好", "吗"), scope_cues=("公开", "申请", "挂网", "给", "复印", "属性"))
    return KnowledgeBase(rules=dict(RULES), entries=entries, dictionary=dictionary), queries


def noisy(text: str, rng: random.Random) -> str:
    """A filler in front, and one dropped or swapped character (a typing slip)."""
    chars = list(text)
    if len(chars) > 6:
        i = rng.randrange(1, len(chars) - 1)
        if rng.random() < 0.5:
            del chars[i]
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return rng.choice(FILLERS) + "".join(chars)
