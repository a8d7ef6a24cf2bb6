"""The words of the deadline calculator: reading what the officer typed, and the dates as plain text.

Telegram escapes these lines before adding its own tags; the console prints them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.content.numerals import article_label
from bot.deadlines.calendar import WorkCalendar, parse_day
from bot.deadlines.periods import COUNTING_RULE, OPINION_DAYS, Deadlines, Period
from bot.deadlines.reminders import Reminder

if TYPE_CHECKING:
    from bot.store.cases import Case

WEEKDAYS = "一二三四五六日"
USAGE = (
    "用法：/deadline 收到日期 [征求 第三方收到征求意见书的日期] [扣除 征求意见用去的工作日数]\n"
    "例如：/deadline 2025-01-02　　/deadline 2025-01-02 征求 2025-01-08　　/deadline 2025-01-02 扣除 9"
)
MAX_EXCLUDED = 250  # a year of working days: anything more is a typo
_WORDS = re.compile(r"征求意见|征求|第三方|扣除|不计入|用时|[,，;；]")
_UNIT = re.compile(r"(\d)\s*(?:个?工作日|天)")


@dataclass(frozen=True)
class DeadlineRequest:
    received: date
    opinion_from: date | None = None
    excluded_days: int = 0


def parse_request(text: str) -> DeadlineRequest | str:
    """``2025-01-02 [征求 2025-01-08] [扣除 9]``: the first date is the receipt, a second date the day the
    third party got the letter, a whole number the working days to leave out. Returns a request or the
    message explaining what is wrong."""
    tokens = _WORDS.sub(" ", _UNIT.sub(r"\1", text)).split()
    if not tokens:
        return "请写上收到申请的日期。\n" + USAGE
    dates: list[date] = []
    excluded: int | None = None
    for token in tokens:
        day = parse_day(token)
        if day is not None:
            dates.append(day)
        elif token.isdigit() and excluded is None and int(token) <= MAX_EXCLUDED:
            excluded = int(token)
        else:
            return f"看不懂“{token}”：日期请写成 YYYY-MM-DD，扣除的天数写整数（不超过{MAX_EXCLUDED}）。\n" + USAGE
    if not dates or len(dates) > 2:
        return "请写一个收到日期，最多再写一个第三方收到征求意见书的日期。\n" + USAGE
    if len(dates) == 2 and dates[1] < dates[0]:
        return "第三方收到征求意见书的日期不能早于收到申请的日期。"
    return DeadlineRequest(dates[0], dates[1] if len(dates) == 2 else None, excluded or 0)


def day_text(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


def period_line(period: Period) -> str:
    days = f"{period.working_days}个工作日"
    if period.kind == "extended":
        days = f"答复期限再延长20个工作日，共{period.working_days}个"
    elif period.kind == "opinion":
        days = f"{OPINION_DAYS}个工作日，自第三方收到征求意见书次日起算"
    return f"{period.label}（{article_label(period.article)}，{days}）：{day_text(period.due)}"


def deadline_lines(deadlines: Deadlines) -> list[str]:
    """The dates and the notes an officer needs to use them, one line each."""
    lines = [f"收到申请：{day_text(deadlines.received)}"]
    lines += [f"· {period_line(p)}" for p in deadlines.periods]
    if deadlines.excluded_days:
        lines.append(f"已把征求意见用去的{deadlines.excluded_days}个工作日排除在答复期限之外（第三十三条）。")
    if deadlines.opinion_from is None:
        lines.append(
            f"需要征求第三方意见的：第三方自收到征求意见书起{OPINION_DAYS}个工作日内回复（第三十二条），"
            "征求意见的时间不计入答复期限。可加“征求 日期”算出回复截止日，意见回来后加“扣除 天数”顺延答复期限。"
        )
    lines.append("计算方法：" + COUNTING_RULE)
    lines.append("需要补正的，答复期限从收到补正后的申请之日起重新计算（第三十条），请用补正日期重新计算。")
    if deadlines.warning:
        lines.append(deadlines.warning)
    return lines


SHORT = {"correction": "补正告知", "reply": "答复", "extended": "延期答复", "opinion": "第三方意见"}


def due_status(calendar: WorkCalendar, due: date, today: date) -> str:
    if due < today:
        return "已过"
    if due == today:
        return "今天到期"
    return f"还剩{calendar.workdays_between(today, due)}个工作日"


def case_lines(case: Case, today: date, calendar: WorkCalendar) -> list[str]:
    """Two lines: number, name and receipt; then each due date with how much time is left."""
    dues = "；".join(f"{SHORT[kind]} {due.isoformat()}（{due_status(calendar, due, today)}）"
                     for kind, due in case.dues.items())
    extra = f"，已扣除征求意见{case.excluded_days}个工作日" if case.excluded_days else ""
    return [f"#{case.id} {case.name}（收到 {day_text(case.received)}{extra}）", f"　{dues}"]


def cases_text(cases: list[Case], today: date, calendar: WorkCalendar) -> str:
    if not cases:
        return "没有未结案件。用 /deadline 收到日期 计算期限后可以保存为案件。"
    lines = [f"未结案件（{len(cases)}件）："]
    for case in cases:
        lines += case_lines(case, today, calendar)
    lines.append("办结后输入 /close 编号 结案；期限前3个工作日会提醒您。")
    return "\n".join(lines)


def reminder_text(reminder: Reminder) -> str:
    due = reminder.due
    left = "今天到期" if reminder.working_days_left == 0 else f"距截止还有{reminder.working_days_left}个工作日"
    return (f"期限提醒：案件 #{due.case_id}「{due.name}」的{due.label}截止日是 {day_text(due.due)}，{left}。"
            f"办结后输入 /close {due.case_id} 结案。")


def saved_text(case: Case) -> str:
    return (f"已保存为案件 #{case.id}「{case.name}」。每个期限前3个工作日会提醒您；"
            f"/cases 查看未结案件，办结后 /close {case.id} 结案。")
