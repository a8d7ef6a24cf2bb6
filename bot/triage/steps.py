"""The triage an experienced colleague walks through for a request (2019 Regulations), as data.

Order: government information at all (Art. 2) → ours to answer (Art. 10, 36) → already published (Art. 36)
→ absolute exemptions (Art. 14) → third parties (Art. 15, 32) → internal, process and case-file information
(Art. 16) → severability (Art. 37). A protected part found on the way is marked, not decided at once: the
last step asks whether it can be cut out, and only when it cannot does the strongest mark become the verdict.
Summaries are our own words, checked against /work/shared/law/regulation-2019.md; cite, never copy.
"""

from __future__ import annotations

from bot.triage.tree import STRONGEST, Choice, Ending, Step, Tree
from bot.verdicts import Verdict

V = Verdict

STEPS = (
    Step(
        "gov_info", "是否属于政府信息",
        "申请的内容是不是政府信息——由行政机关在履行行政管理职能中制作或者获取，并已经以一定形式记录、保存？",
        (2,),
        (
            Choice("yes", "是，行政机关履职中形成的已有信息", "属于行政机关履行行政管理职能中制作或获取、并已记录保存的信息",
                   next="ours"),
            Choice("other_body", "否，是党委、人大、法院、村委会等的", "是党的机关、人大、政协、法院、检察院或村（居）民委员会等非行政机关的信息，不是条例所称政府信息",
                   verdict=V.OUT_OF_REGIME,
                   caveats=("答复时说明所申请内容不属于条例所称政府信息，可告知申请人向有关机关或组织了解（党务公开、司法公开、村务公开等另有规定）",)),
            Choice("compile", "否，要新制作或汇总分析才有", "本机关没有现成信息，需要为申请人新制作或加工、分析",
                   verdict=V.OUT_OF_REGIME, articles=(38,),
                   caveats=("只需提供已制作或获取的信息，需要加工、分析的可以不提供（第三十八条）；去掉不公开内容的区分处理不算加工",)),
            Choice("missing", "否，检索后本机关没有", "经检索，本机关没有所申请的信息",
                   verdict=V.PROCEDURE, articles=(36,),
                   caveats=("按第三十六条第（四）项告知申请人该信息不存在", "答复前做好检索并留存检索记录（检索范围、方式、结果）")),
            Choice("petition", "否，是信访投诉举报或要出版物", "以申请公开的名义进行信访、投诉、举报，或者索要公开出版物",
                   verdict=V.OUT_OF_REGIME, articles=(39,),
                   caveats=("信访、投诉、举报告知其按有关法律法规规定的渠道提出；索要公报、报刊、书籍等公开出版物的，可告知获取途径",)),
        ),
        hint="党的机关、人大、政协、法院、检察院和村（居）民委员会都不是行政机关；尚未形成记录的想法、口头说法也不是政府信息。",
    ),
    Step(
        "ours", "是否由本机关负责公开",
        "是不是由本机关负责公开：本机关制作的；从公民、法人或其他组织取得、由本机关保存的；从其他机关取得而本机关是制作或最先取得的机关；或几个机关共同制作、本机关牵头的？",
        (10, 36),
        (
            Choice("yes", "是，由本机关负责公开", "由本机关负责公开", next="published"),
            Choice("other_organ", "否，应由其他机关公开", "应由其他行政机关负责公开",
                   verdict=V.PROCEDURE,
                   caveats=("按第三十六条第（五）项告知申请人并说明理由；能确定负责公开的机关的，告知其名称和联系方式",)),
            Choice("special", "属于工商、不动产登记等另有规定", "属于工商、不动产登记资料等，法律、行政法规对获取另有特别规定",
                   verdict=V.OUT_OF_REGIME,
                   caveats=("按第三十六条第（七）项告知申请人依照有关法律、行政法规的规定办理",)),
        ),
        hint="派出机构、内设机构依法以自己名义对外履行行政管理职能的，可以负责与其职能有关的信息公开（第十条）。",
    ),
    Step(
        "published", "是否已主动公开",
        "这条信息是否已经主动公开（政府网站、政府公报、政务新媒体、公开查阅点等能查到）？",
        (36,),
        (
            Choice("yes", "已经主动公开", "已经主动公开", verdict=V.PROACTIVE,
                   caveats=("按第三十六条第（一）项告知获取的方式和途径（网址、栏目、文号）",)),
            Choice("no", "没有公开", "尚未主动公开", next="absolute"),
            Choice("should", "应当主动公开但还没公开", "属于应当主动公开的范围，但尚未公开", next="absolute",
                   articles=(19, 20),
                   caveats=("属于应当主动公开的范围：除答复申请外，还应及时通过政府网站等渠道主动公开（第十九条、第二十条）",)),
        ),
    ),
    Step(
        "absolute", "是否属于绝对不公开情形",
        "是否涉及：依法确定为国家秘密的；法律、行政法规禁止公开的；公开后可能危及国家安全、公共安全、经济安全、社会稳定的？",
        (14,),
        (
            Choice("none", "都不涉及", "不涉及国家秘密、法律禁止公开或危及安全稳定的内容", next="third_party"),
            Choice("part", "只有部分内容涉及", "部分内容属于第十四条不予公开的情形", next="third_party",
                   withhold=V.MUST_NOT),
            Choice("whole", "整份都属于", "整份信息属于第十四条不予公开的情形", verdict=V.MUST_NOT,
                   caveats=("写明具体理由：定密依据，或禁止公开的法律、行政法规条款",)),
            Choice("unsure", "拿不准是否涉密", "拿不准是否涉及国家秘密或安全稳定", verdict=V.CASE_BY_CASE,
                   articles=(17,),
                   caveats=("按第十七条报有关主管部门或者保密行政管理部门确定，确定之前不要公开",
                            "请示所用时间不停止计算答复期限，注意用 /deadline 核对截止日")),
        ),
    ),
    Step(
        "third_party", "是否涉及第三方权益",
        "公开会不会损害第三方的合法权益——例如企业的商业秘密，或他人的个人隐私（身份证号、住址、电话、健康状况、家庭情况等）？",
        (15,),
        (
            Choice("none", "不涉及", "不涉及第三方的商业秘密、个人隐私", next="internal"),
            Choice("yes", "涉及", "涉及第三方的商业秘密或个人隐私", next="consent"),
        ),
    ),
    Step(
        "consent", "第三方是否同意公开",
        "是否已经书面征求第三方意见？第三方怎么答复的？",
        (15, 32),
        (
            Choice("agreed", "第三方书面同意公开", "第三方书面同意公开", next="internal",
                   caveats=("留存第三方同意公开的书面意见",)),
            Choice("not_asked", "还没有征求意见", "尚未征求第三方意见", verdict=V.THIRD_PARTY,
                   caveats=("书面征求第三方意见；第三方应自收到征求意见书之日起15个工作日内提出意见（第三十二条）",
                            "征求意见的时间不计入答复期限（第三十三条），意见回来后可用 /deadline 收到日期 扣除 天数 顺延",
                            "意见回来后重新 /triage，在这一步选第三方的实际答复")),
            Choice("refused", "不同意，或逾期未回复", "第三方不同意公开，或逾期未提出意见", next="public_interest"),
        ),
        hint="第三方逾期不提出意见的，由本机关依照条例自行决定是否公开（第三十二条）。",
    ),
    Step(
        "public_interest", "不公开是否影响重大公共利益",
        "不公开是否会对公共利益造成重大影响（例如公共安全、生态环境、食品药品安全、公共资金使用）？",
        (15, 32),
        (
            Choice("yes", "会，公共利益需要公开", "不公开会对公共利益造成重大影响，决定公开", next="internal",
                   caveats=("决定公开的，把决定公开的内容和理由书面告知第三方（第三十二条）",)),
            Choice("no", "不会", "第三方不同意且不公开不会对公共利益造成重大影响，涉及第三方的内容不得公开",
                   next="internal", withhold=V.MUST_NOT),
        ),
    ),
    Step(
        "internal", "是否属于内部事务、过程性或执法案卷信息",
        "是否属于：内部事务信息（人事管理、后勤管理、内部工作流程等）；过程性信息（讨论记录、过程稿、磋商信函、请示报告等）；或行政执法案卷信息？",
        (16,),
        (
            Choice("none", "都不属于", "不属于内部事务、过程性或行政执法案卷信息", next="sever"),
            Choice("yes", "属于（整份或部分）", "属于内部事务、过程性或行政执法案卷信息", next="law_requires"),
        ),
        hint="过程性信息在决定作出后，如已成为决定的依据，应结合实际判断是否仍属过程性信息。",
    ),
    Step(
        "law_requires", "法律、法规、规章是否要求公开",
        "有没有法律、法规、规章要求公开这类信息（例如房屋征收补偿、行政处罚决定等有专门公开规定的）？",
        (16,),
        (
            Choice("yes", "有规定要求公开", "有法律、法规、规章要求公开，应按其规定公开", next="sever",
                   caveats=("按该规定的范围和方式公开，并在答复中写明规定的名称和条款",)),
            Choice("no", "没有", "没有法律、法规、规章要求公开，属于可以不予公开的信息", next="sever",
                   withhold=V.MAY_WITHHOLD,
                   caveats=("第十六条是“可以”不予公开，不是必须不公开：结合本机关一贯做法和公开后的实际影响决定",)),
        ),
    ),
    Step(
        "sever", "能否区分处理",
        "需要保护的内容能不能从信息中分开（删除、遮盖），把其余部分提供给申请人？",
        (37,),
        (
            Choice("yes", "能分开", "不予公开的内容能够区分处理", verdict=V.PARTIAL,
                   caveats=("提供可以公开的部分，并对不予公开的部分说明理由（第三十七条）",)),
            Choice("no", "不能分开", "不予公开的内容无法与其余部分分开", verdict=STRONGEST),
        ),
        unless_marked=V.ON_REQUEST,
    ),
)

TREE = Tree(
    first="gov_info",
    steps={s.id: s for s in STEPS},
    endings={
        V.ON_REQUEST: Ending((13, 36), ("按第三十六条第（二）项向申请人提供该信息，或告知获取的方式、途径和时间",)),
        V.MUST_NOT: Ending((36,), ("按第三十六条第（三）项告知申请人不予公开，并说明理由",)),
        V.MAY_WITHHOLD: Ending((36,), ("决定不予公开的，按第三十六条第（三）项告知申请人并说明理由",)),
    },
)
