"""A tiny, self-contained knowledge base written into a temporary folder (tests must not depend on the
bundled content, which grows and changes)."""

from __future__ import annotations

from pathlib import Path

RULES = """\
rules:
  - {id: reg-2, law: 政府信息公开条例, article: 2, title: 政府信息的含义, summary: 行政机关履行行政管理职能中制作或获取并记录保存的信息。}
  - {id: reg-14, law: 政府信息公开条例, article: 14, title: 绝对不公开, summary: 国家秘密、法律禁止公开、危及安全稳定的不公开。}
  - {id: reg-15, law: 政府信息公开条例, article: 15, title: 第三方权益, summary: 商业秘密、个人隐私，未经同意不公开，公共利益除外。}
  - {id: reg-16, law: 政府信息公开条例, article: 16, title: 可以不公开, summary: 内部事务信息、过程性信息、执法案卷可以不公开。}
  - {id: reg-20, law: 政府信息公开条例, article: 20, title: 主动公开事项, summary: 列举十五类应主动公开的信息。}
  - {id: reg-33, law: 政府信息公开条例, article: 33, title: 答复期限, summary: 20个工作日内答复，经批准可延长20个工作日。}
  - {id: reg-37, law: 政府信息公开条例, article: 37, title: 区分处理, summary: 能区分的去除不公开部分后公开其余。}
  - {id: budget-14, law: 预算法, article: 14, title: 预决算公开, summary: 批准或批复后20日内公开。}
"""

ENTRIES = """\
entries:
  - id: budget-accounts
    question: 部门预算和决算要主动公开吗
    alternates: [我们局的预决算要不要挂网, 三公经费要不要公开, 部门决算报表有人问要不要公开]
    verdict: proactive
    answer: 主动公开。部门预决算和三公经费在批复后20日内公开（预算法第十四条，条例第二十条）。
    basis: [reg-20, budget-14]
    caveats: [涉及国家秘密的部分除外]
    tags: [财政]
  - id: secret-documents
    question: 定密的文件有人申请公开怎么办
    alternates: [涉密文件能给申请人吗, 标了机密的文件要公开吗, 国家秘密能不能公开]
    verdict: must_not
    answer: 不予公开。国家秘密属于第十四条的绝对例外。
    basis: [reg-14]
    tags: [国家秘密]
  - id: id-numbers
    question: 申请人要别人的身份证号码和家庭住址
    alternates: [别人的身份证号能给吗, 有人申请公开某人的家庭住址, 公示名单里的身份证号要不要公开]
    verdict: must_not
    answer: 不予公开。身份证号、住址属于个人隐私（第十五条）。
    basis: [reg-15]
    tags: [个人隐私]
  - id: internal-duty-roster
    question: 单位内部的值班表有人申请公开
    alternates: [局里值班记录能不能给申请人, 内部值班安排要公开吗, 值班表申请人要复印]
    verdict: may_withhold
    answer: 可以不予公开。值班表属于内部事务信息（第十六条）。
    basis: [reg-16]
  - id: reply-deadline
    question: 依申请公开的答复期限是多久
    alternates: [收到申请后多少个工作日内答复, 答复期限能延长吗, 申请答复最晚什么时候]
    verdict: procedure
    answer: 办理程序。20个工作日内答复，经机构负责人同意可延长，最长不超过20个工作日（第三十三条）。
    basis: [reg-33]
  - id: court-judgment
    question: 法院的判决书向政府申请公开
    alternates: [群众找县政府要法院判决书, 法院文书能按信息公开申请吗, 申请公开人民法院的裁定书]
    verdict: out_of_regime
    answer: 不属于政府信息公开范围。法院不是行政机关（第二条）。
    basis: [reg-2]
  - id: penalty-decision-redaction
    question: 行政处罚决定书里有当事人身份证号，申请公开怎么处理
    alternates: [处罚决定书有个人信息能公开吗, 处罚决定书要去掉身份证号再给吗, 申请公开含个人信息的处罚决定]
    verdict: partial
    answer: 部分公开（区分处理）。去除身份证号等个人信息后公开其余部分（第三十七条）。
    basis: [reg-37, reg-15]
    tags: [个人隐私]
"""

DICTIONARY = """\
aliases:
  生态环境局: [环保局]
  身份证号: [身份证号码, 身份证]
  三公经费: [三公]
terms: [三公经费]
fillers: [请问, 我想问一下, 吗, 呢]
scope_cues: [公开, 申请, 答复, 给, 复印, 挂网, 判决书]
sensitive:
  个人隐私: [身份证号, 家庭住址]
  国家秘密: [涉密, 机密]
off_topic: [请假要走什么流程, 明天天气怎么样, 年终奖什么时候发]
part_cues: [里面有, 附件]
severance:
  个人隐私: penalty-decision-redaction
"""


def write_knowledge(root: Path) -> Path:
    """Write the tiny knowledge base under ``root`` and return it."""
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "entries").mkdir(parents=True, exist_ok=True)
    (root / "local").mkdir(parents=True, exist_ok=True)
    (root / "rules" / "rules.yaml").write_text(RULES, encoding="utf-8")
    (root / "entries" / "entries.yaml").write_text(ENTRIES, encoding="utf-8")
    (root / "dictionary.yaml").write_text(DICTIONARY, encoding="utf-8")
    return root


def write_config(root: Path, knowledge: Path, extra: str = "") -> Path:
    """A config.yaml pointing at ``knowledge`` and a database in ``root``."""
    quizzes = root / "quizzes"
    quizzes.mkdir(exist_ok=True)
    path = root / "config.yaml"
    path.write_text(
        f"knowledge_dir: {knowledge}\nquizzes_dir: {quizzes}\ndatabase: {root / 'desk.db'}\n{extra}",
        encoding="utf-8",
    )
    return path
