"""/deadline, /cases and /close in the console chat."""

from __future__ import annotations

import io

from bot.console import Console


def chat(core):
    out = io.StringIO()
    return Console(core, stdin=io.StringIO(), stdout=out), out


async def test_deadline_saves_a_case_that_cases_lists_and_close_ends(core):
    console, out = chat(core)
    await console.handle("/deadline 2025-01-20")
    text = out.getvalue()
    assert "一次性告知补正（第三十条，7个工作日）：2025-02-05（周三）" in text
    assert "答复（第三十三条，20个工作日）：2025-02-21（周五）" in text
    assert "2025-03-21（周五）" in text and "请输入案件名称" in text
    await console.handle("123")  # only digits: asked again
    assert "不能只有数字" in out.getvalue() and console.handler is not None
    await console.handle("张三申请")
    assert "已保存为案件 #" in out.getvalue() and console.handler is None
    await console.handle("/cases")
    assert "张三申请（收到 2025-01-20（周一））" in out.getvalue() and "答复 2025-02-21" in out.getvalue()
    await console.handle("/close 张三申请")
    assert "已结案：" in out.getvalue()
    await console.handle("/cases")
    assert "没有未结案件" in out.getvalue()


async def test_deadline_can_skip_saving_and_explains_bad_input(core):
    console, out = chat(core)
    await console.handle("/deadline")
    assert "用法：/deadline" in out.getvalue()
    await console.handle("/deadline 明天")
    assert "看不懂“明天”" in out.getvalue() and console.handler is None
    await console.handle("/deadline 2026-12-10 征求 2026-12-15 扣除 5")
    text = out.getvalue()
    assert "2027年" in text and "第三方回复意见（第三十二条" in text and "已把征求意见用去的5个工作日" in text
    await console.handle("n")
    assert "未保存" in out.getvalue()
    assert await core.cases.open_cases(0) == []
    await console.handle("/close 9")
    assert "没有找到未结案件“9”" in out.getvalue()
