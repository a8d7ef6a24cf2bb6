"""Deadlines and cases for any front end: compute the dates, save them under a name, list, close, remind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.deadlines.calendar import WorkCalendar
from bot.deadlines.periods import Deadlines, compute
from bot.deadlines.reminders import Reminder, select_reminders
from bot.deadlines.texts import DeadlineRequest
from bot.store import cases as sc
from bot.store.cases import Case
from bot.store.db import Store

MAX_NAME = 40


@dataclass(frozen=True)
class Drafted:
    case_id: int
    deadlines: Deadlines


@dataclass(frozen=True)
class Refused:
    message: str
    retry: bool = False  # the same draft can still be named (the name itself was the problem)


def check_name(name: str) -> str | None:
    """What is wrong with a case name, or None."""
    if not name:
        return "案件名称不能为空。"
    if len(name) > MAX_NAME:
        return f"案件名称请不超过{MAX_NAME}个字。"
    if name.startswith("/") or name.lstrip("#").isdigit():
        return "案件名称不能以 / 开头，也不能只有数字（数字用来指代案件编号），例如：张三申请-2025-001。"
    return None


class CaseService:
    def __init__(self, store: Store, calendar: WorkCalendar):
        self.store = store
        self.calendar = calendar

    def compute(self, request: DeadlineRequest) -> Deadlines:
        return compute(self.calendar, request.received, excluded_days=request.excluded_days,
                       opinion_from=request.opinion_from)

    async def draft(self, user_id: int, request: DeadlineRequest) -> Drafted:
        """Compute the dates and keep them as a draft a later name turns into a case."""
        deadlines = self.compute(request)
        dues = {p.kind: p.due for p in deadlines.periods}
        case_id = await self.store.run(sc.add_draft, user_id, received=request.received,
                                       excluded_days=request.excluded_days, opinion_from=request.opinion_from,
                                       dues=dues)
        return Drafted(case_id, deadlines)

    async def draft_of(self, user_id: int, case_id: int) -> Case | None:
        """The user's unsaved draft with this id (None when saved, dropped or someone else's)."""
        case = await self.store.run(sc.get_case, case_id)
        return case if case is not None and case.user_id == user_id and case.status == "draft" else None

    async def remember_prompt(self, case_id: int, message_id: int) -> None:
        await self.store.run(sc.set_prompt, case_id, message_id)

    async def draft_for_reply(self, user_id: int, message_id: int) -> Case | None:
        """The draft whose name prompt this message replies to."""
        return await self.store.run(sc.draft_by_prompt, user_id, message_id)

    async def name(self, user_id: int, case_id: int, name: str) -> Case | Refused:
        name = " ".join(name.split())
        problem = check_name(name)
        if problem:
            return Refused(problem, retry=True)
        if not await self.store.run(sc.open_draft, user_id, case_id, name):
            if await self.store.run(sc.name_open, user_id, name) is not None:
                return Refused(f"已经有一个叫“{name}”的未结案件，请换个名称。", retry=True)
            return Refused("这组日期已经保存过或已过期，请重新 /deadline 计算。")
        case = await self.store.run(sc.get_case, case_id)
        assert case is not None
        return case

    async def open_cases(self, user_id: int) -> list[Case]:
        return await self.store.run(sc.open_cases, user_id)

    async def find(self, user_id: int, ref: str) -> Case | Refused:
        """An open case by number (3 or #3) or by exact name."""
        ref = " ".join(ref.split())
        if not ref:
            return Refused("请写上案件编号或名称，例如 /close 3 或 /close 张三申请。/cases 可以查看。")
        cases = await self.open_cases(user_id)
        number = ref.lstrip("#")
        found = next((c for c in cases if number.isdigit() and c.id == int(number)), None)
        found = found or next((c for c in cases if c.name == ref), None)
        return found or Refused(f"没有找到未结案件“{ref}”。/cases 可以查看您的未结案件。")

    async def close(self, user_id: int, ref: str) -> Case | Refused:
        found = await self.find(user_id, ref)
        if isinstance(found, Refused):
            return found
        if not await self.store.run(sc.close_case, user_id, found.id):
            return Refused("这个案件已经结案。")
        return found

    async def due_reminders(self, today: date) -> list[Reminder]:
        """Reminders whose day has come and that were not sent yet (3 working days before each due date)."""
        dues = await self.store.run(sc.open_dues)
        sent = await self.store.run(sc.sent_reminders)
        return select_reminders(dues, today, self.calendar, sent)

    async def mark_sent(self, reminder: Reminder) -> bool:
        return await self.store.run(sc.mark_reminded, *reminder.key)
