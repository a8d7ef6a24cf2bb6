"""Triage and deadlines in the console chat: /triage (numbered answers), /deadline, /cases, /close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.deadlines.reminders import local_today
from bot.deadlines.texts import cases_text, deadline_lines, parse_request, saved_text
from bot.services.cases import Refused
from bot.services.triage import TriageClosed, TriageResult, TriageStep
from bot.triage.texts import CANCELLED_TEXT, question_lines

if TYPE_CHECKING:
    from bot.console import Console

CONSOLE_USER = 0  # the console chat's user id, as in bot.console
BACK_WORDS = {"0", "b", "back", "上一步", "返回"}
QUIT_WORDS = {"q", "quit", "cancel", "取消", "退出"}
SKIP_WORDS = {"n", "no", "否", "不", "不保存", "不用"}


def _step_text(step: TriageStep) -> str:
    lines = question_lines(step.position)
    lines += [f"  {n}. {c.label}" for n, c in enumerate(step.choices, 1)]
    lines.append("（输入序号作答；0 上一步，q 退出）" if step.can_go_back else "（输入序号作答；q 退出）")
    return "\n".join(lines)


async def triage_command(console: Console, _: str) -> None:
    """/triage: walk the decision tree, one typed number per question."""
    service = console.core.triage
    step: TriageStep = await service.start(CONSOLE_USER, channel="console", question_id=console.last_question_id)
    console.say(_step_text(step))

    async def take(line: str) -> bool:
        nonlocal step
        word = line.strip().lower()
        if word in QUIT_WORDS:
            await service.cancel(CONSOLE_USER, step.session_id)
            console.say(CANCELLED_TEXT)
            return False
        if word in BACK_WORDS:
            outcome = await service.back(CONSOLE_USER, step.session_id, step.number)
        elif word.isdigit() and 1 <= int(word) <= len(step.choices):
            outcome = await service.choose(CONSOLE_USER, step.session_id, step.number, int(word) - 1)
        else:
            console.say(f"请输入 1–{len(step.choices)} 的序号（0 上一步，q 退出）。")
            return True
        if isinstance(outcome, TriageClosed):
            console.say(outcome.message)
            return False
        if isinstance(outcome, TriageResult):
            console.say(f"【{outcome.outcome.verdict.label}】以下记录可直接复制到案卷：\n" + outcome.summary)
            return False
        step = outcome
        console.say(_step_text(step))
        return True

    console.handler = take


async def deadline_command(console: Console, rest: str) -> None:
    """/deadline 收到日期 [征求 日期] [扣除 天数]: the due dates, then an offer to save them as a case."""
    request = parse_request(rest)
    if isinstance(request, str):
        console.say(request)
        return
    service = console.core.cases
    drafted = await service.draft(CONSOLE_USER, request)
    console.say("\n".join(deadline_lines(drafted.deadlines)))
    console.say("要保存为案件（到期前会提醒），请输入案件名称，例如 张三申请-001；不保存输入 n。")

    async def take_name(line: str) -> bool:
        if line.strip().lower() in SKIP_WORDS:
            console.say("未保存。")
            return False
        saved = await service.name(CONSOLE_USER, drafted.case_id, line)
        if isinstance(saved, Refused):
            console.say(saved.message + ("（重新输入名称，或输入 n 不保存）" if saved.retry else ""))
            return saved.retry
        console.say(saved_text(saved))
        return False

    console.handler = take_name


async def cases_command(console: Console, _: str) -> None:
    """/cases: the open cases and the time left for each due date."""
    service = console.core.cases
    console.say(cases_text(await service.open_cases(CONSOLE_USER), local_today(), service.calendar))


async def close_command(console: Console, rest: str) -> None:
    """/close 编号或名称: close a case (no more reminders)."""
    closed = await console.core.cases.close(CONSOLE_USER, rest)
    if isinstance(closed, Refused):
        console.say(closed.message)
        return
    console.say(f"已结案：#{closed.id}「{closed.name}」，不再提醒。")


def triage_commands() -> list:
    """The commands this feature adds to the console (bot.console registers them)."""
    from bot.console import ConsoleCommand

    return [
        ConsoleCommand("triage", "逐步判定：按条例顺序一步步判断能否公开，生成可粘贴的判定记录", triage_command),
        ConsoleCommand("deadline", "期限计算：/deadline 收到日期（YYYY-MM-DD），可保存为案件", deadline_command),
        ConsoleCommand("cases", "查看未结案件和剩余工作日", cases_command),
        ConsoleCommand("close", "结案：/close 编号或名称", close_command),
    ]
