"""/triage in the console chat: numbered answers, back, quit, and the record at the end."""

from __future__ import annotations

import io

import pytest

from bot.console import TRIAGE_HINT, Console
from bot.presenting import RELEASE_REMINDER
from tests.kbfixture import write_knowledge

CASE_BY_CASE = """\
entries:
  - id: minutes-case
    question: 专题会议纪要有人申请公开给不给
    alternates: [会议纪要能不能给申请人, 申请公开政府常务会议纪要, 会议纪要算不算过程性信息]
    verdict: case_by_case
    answer: 视情况。会议纪要是否属于过程性信息，要看它是否已对外发生效力（第十六条）。
    basis: [reg-16]
"""


@pytest.fixture
def kb_dir(tmp_path):
    root = write_knowledge(tmp_path / "knowledge")
    (root / "entries" / "case.yaml").write_text(CASE_BY_CASE, encoding="utf-8")
    return root


def chat(core):
    out = io.StringIO()
    return Console(core, stdin=io.StringIO(), stdout=out), out


async def type_lines(console, *lines):
    for line in lines:
        assert await console.handle(line)


async def test_triage_to_partial_with_a_back_step(core):
    console, out = chat(core)
    await type_lines(console, "/triage")
    assert "逐步判定 · 第1问：是否属于政府信息（第二条）" in out.getvalue() and "  1. 是，行政机关履职中形成的已有信息" in out.getvalue()
    # 1 yes → 2 ours → 3 published: "应当主动公开但还没公开" is 3; go back and pick 2 (没有公开) instead.
    await type_lines(console, "1", "1", "3", "0", "2")
    assert out.getvalue().count("第4问：是否属于绝对不公开情形") == 2
    await type_lines(console, "9")
    assert "请输入 1–4 的序号" in out.getvalue()
    # absolute: part (2) → third party: none (1) → internal: none (1) → sever: yes (1)
    await type_lines(console, "2", "1", "1", "1")
    text = out.getvalue()
    assert "【部分公开（区分处理）】以下记录可直接复制到案卷" in text
    assert "4. 是否属于绝对不公开情形（第十四条）：部分内容属于第十四条不予公开的情形" in text
    assert "依据：《政府信息公开条例》第二条、第十条、第十四条、第十五条、第十六条、第三十六条、第三十七条" in text
    assert RELEASE_REMINDER in text
    assert console.handler is None
    # After the dialogue, a line is a question again.
    await type_lines(console, "部门预算和决算要主动公开吗")
    assert "【主动公开】" in out.getvalue()


async def test_quit_and_a_command_leave_the_dialogue(core):
    console, out = chat(core)
    await type_lines(console, "/triage", "1", "q")
    assert "已退出逐步判定" in out.getvalue() and console.handler is None
    assert await core.triage.current(0) is None
    await type_lines(console, "/triage", "2")
    assert "【不属于政府信息公开范围】" in out.getvalue() and "党务公开、司法公开、村务公开" in out.getvalue()
    await type_lines(console, "/triage", "/help")
    assert console.handler is None and "/triage" in out.getvalue() and "/deadline" in out.getvalue()


async def test_triage_started_after_an_answer_remembers_the_question(core):
    console, out = chat(core)
    await type_lines(console, "定密的文件有人申请公开怎么办", "/triage", "1", "1", "2", "4")
    ended = out.getvalue()
    assert "【视情况/需审查】" in ended and "保密行政管理部门" in ended
    rows = core.store.run_sync(lambda db: list(db.query("SELECT question_id, verdict FROM triage_sessions")))
    assert rows == [{"question_id": console.last_question_id, "verdict": "case_by_case"}]


async def test_the_hint_comes_under_case_by_case_answers_only(core):
    console, out = chat(core)
    await type_lines(console, "专题会议纪要有人申请公开给不给")
    assert "【视情况/需审查】" in out.getvalue() and TRIAGE_HINT in out.getvalue()
    console, out = chat(core)
    await type_lines(console, "定密的文件有人申请公开怎么办")
    assert "【不予公开】" in out.getvalue() and TRIAGE_HINT not in out.getvalue()
