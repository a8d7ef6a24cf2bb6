"""/gaps and /reload in the console chat, typed line by line as at a terminal."""

import io

from bot.console import Console
from tests.gapfixture import EXAM

UNANSWERED = [EXAM[10], EXAM[11], EXAM[12]]  # questions the tiny test base cannot answer


async def typed(core, lines: list[str]) -> str:
    out = io.StringIO()
    console = Console(core, stdin=io.StringIO(), stdout=out)
    for line in lines:
        assert await console.handle(line)
    return out.getvalue()


async def test_console_trainer_links_a_group_and_the_bot_answers_it(core):
    out = await typed(core, [*UNANSWERED, "/gaps", "/gaps link 1 penalty-decision-redaction", UNANSWERED[1]])
    assert "问过 3 次" in out and "首次" in out and "最近" in out
    assert "已生效：penalty-decision-redaction，新增 3 种问法；关闭 3 条" in out
    assert "→ 通知用户 0" in out
    assert "【部分公开（区分处理）】" in out.split("→ 通知用户 0")[1]  # the same question, answered now


async def test_console_trainer_writes_a_new_answer(core):
    answer = "部分公开（区分处理）。他人的体检信息去除后公开其余部分。"
    out = await typed(core, [*UNANSWERED, "/gaps", "/gaps new 1", "沿用", "3", answer, "37 15", "确认", EXAM[12]])
    assert "第1步" in out and "第4步" in out and "请核对" in out
    assert "已保存为 taught-" in out and "他们会收到" in out
    assert out.split("他们会收到")[1].count("【部分公开（区分处理）】") == 2  # the notice, then the live answer


async def test_console_reload_reports_problems_and_keeps_answering(core, kb_dir):
    (kb_dir / "entries" / "broken.yaml").write_text("entries:\n  - id: Bad Id\n", encoding="utf-8")
    out = await typed(core, ["/reload", "我们局的预决算要不要挂网", "/gaps", "/gaps ignore 9"])
    assert "重新加载失败" in out and "knowledge/entries/broken.yaml:2: bad or missing id" in out
    assert "【主动公开】" in out
    assert "目前没有待处理的问题" in out and "先输入 /gaps" in out


async def test_console_ignore_sets_a_group_aside(core):
    out = await typed(core, [*UNANSWERED, "/gaps", "/gaps ignore 1", "/gaps"])
    assert "已忽略 3 条" in out and out.rstrip().endswith("目前没有待处理的问题，知识库都答得上来。")
