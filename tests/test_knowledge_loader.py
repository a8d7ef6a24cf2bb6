from pathlib import Path

import pytest

from bot.content.knowledge import KnowledgeError, check_knowledge, load_knowledge
from bot.content.numerals import article_label
from bot.verdicts import Verdict


def problems_of(kb_dir: Path) -> list[str]:
    return [str(p) for p in check_knowledge(kb_dir)[1]]


def test_fixture_base_loads(kb_dir):
    kb = load_knowledge(kb_dir)
    assert len(kb.entries) == 7
    assert kb.entries["secret-documents"].verdict is Verdict.MUST_NOT
    assert kb.rules["reg-14"].citation == "《政府信息公开条例》第十四条"
    assert kb.dictionary.aliases["生态环境局"] == ("环保局",)


@pytest.mark.parametrize(("n", "label"), [(1, "第一条"), (10, "第十条"), (14, "第十四条"), (20, "第二十条"), (36, "第三十六条"), (56, "第五十六条"), (105, "第一百零五条")])
def test_article_labels(n, label):
    assert article_label(n) == label


def append_entry(kb_dir: Path, text: str) -> None:
    path = kb_dir / "entries" / "more.yaml"
    path.write_text("entries:\n" + text, encoding="utf-8")


GOOD = """\
  - id: new-entry
    question: 政府工作报告要公开吗
    alternates: [工作报告挂网吗, 政府工作报告全文公开吗, 报告要不要主动公开]
    verdict: proactive
    answer: 主动公开。
    basis: [reg-20]
"""


def test_clean_addition(kb_dir):
    append_entry(kb_dir, GOOD)
    assert problems_of(kb_dir) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("verdict: proactive", "verdict: maybe"), "unknown verdict 'maybe'"),
        (("basis: [reg-20]", "basis: [reg-99]"), "unknown rule 'reg-99'"),
        (("answer: 主动公开。", "answer: ''"), "empty answer"),
        (("basis: [reg-20]", "basis: []"), "no basis"),
        (("id: new-entry", "id: budget-accounts"), "duplicate entry id 'budget-accounts'"),
        (("id: new-entry", "id: New Entry"), "bad or missing id"),
        (("    basis: [reg-20]\n", "    basis: [reg-20]\n    related: [nowhere]\n"), "unknown related entry 'nowhere'"),
        (("    basis: [reg-20]\n", "    basis: [reg-20]\n    colour: red\n"), "unknown field 'colour'"),
        (("verdict: proactive", "verdict: must_not"), "must cite Art. 14, 15 or 16"),
        (("alternates: [工作报告挂网吗, 政府工作报告全文公开吗, 报告要不要主动公开]", "alternates: [工作报告挂网吗]"), "at least 3 alternates"),
        (("question: 政府工作报告要公开吗", "question: 部门预算和决算要主动公开吗？"), "nearly duplicates entry budget-accounts"),
    ],
)
def test_problems_name_file_and_line(kb_dir, change, message):
    append_entry(kb_dir, GOOD.replace(*change))
    found = problems_of(kb_dir)
    assert any(message in p and "more.yaml:2:" in p for p in found), found


def test_yaml_syntax_error_has_line(kb_dir):
    (kb_dir / "entries" / "broken.yaml").write_text("entries:\n  - id: x\n    question: [oops\n", encoding="utf-8")
    found = problems_of(kb_dir)
    assert any("broken.yaml:" in p and "YAML syntax error" in p for p in found), found
    with pytest.raises(KnowledgeError):
        load_knowledge(kb_dir)


def test_local_overlay_needs_no_alternates(kb_dir):
    (kb_dir / "local" / "taught.yaml").write_text(
        "entries:\n  - id: taught-one\n    question: 公务用车编号要公开吗\n    verdict: case_by_case\n"
        "    answer: 视情况。\n    basis: [reg-20]\n", encoding="utf-8")
    kb = load_knowledge(kb_dir)
    assert "taught-one" in kb.entries


def test_same_phrasing_in_two_entries(kb_dir):
    append_entry(kb_dir, GOOD.replace("工作报告挂网吗", "三公经费要不要公开"))
    assert any("also belongs to entry budget-accounts" in p for p in problems_of(kb_dir))
