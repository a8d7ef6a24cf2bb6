"""Cases: saving dates under a name, listing, closing, and reminders selected with a frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.deadlines.calendar import WorkCalendar
from bot.deadlines.reminders import CaseDue, local_today, remind_on, select_reminders
from bot.deadlines.texts import DeadlineRequest, cases_text, reminder_text
from bot.services.cases import CaseService, Refused, check_name
from bot.store import cases as sc
from bot.store.db import Store

CAL = WorkCalendar()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "desk.db")
    yield s
    s.close()


@pytest.fixture
def service(store):
    return CaseService(store, CAL)


async def saved(service: CaseService, user: int, received: date, name: str, **kwargs):
    drafted = await service.draft(user, DeadlineRequest(received, **kwargs))
    case = await service.name(user, drafted.case_id, name)
    assert not isinstance(case, Refused), case
    return case


async def test_draft_then_name_opens_a_case(service, store):
    drafted = await service.draft(7, DeadlineRequest(date(2025, 9, 22)))
    assert drafted.deadlines.due("reply") == date(2025, 10, 24)
    assert await service.open_cases(7) == []  # a draft is not a case yet
    case = await service.name(7, drafted.case_id, "  张三 申请  ")
    assert case.name == "张三 申请" and case.status == "open"
    assert case.dues == {"correction": date(2025, 9, 30), "reply": date(2025, 10, 24),
                         "extended": date(2025, 11, 21)}
    assert [c.id for c in await service.open_cases(7)] == [case.id]
    again = await service.name(7, drafted.case_id, "另一个名字")
    assert isinstance(again, Refused) and "已经保存过" in again.message


async def test_names_are_checked_and_unique_among_open_cases(service):
    await saved(service, 7, date(2025, 1, 20), "张三申请")
    drafted = await service.draft(7, DeadlineRequest(date(2025, 1, 21)))
    dup = await service.name(7, drafted.case_id, "张三申请")
    assert isinstance(dup, Refused) and "已经有" in dup.message
    assert not isinstance(await service.name(8, (await service.draft(8, DeadlineRequest(date(2025, 1, 21)))).case_id,
                                             "张三申请"), Refused)  # another officer may use the same name
    for bad in ("", "123", "#12", "/close", "长" * 41):
        assert check_name(bad) is not None
    assert isinstance(await service.name(7, drafted.case_id, "42"), Refused)
    foreign = await service.name(9, drafted.case_id, "别人的")
    assert isinstance(foreign, Refused)


async def test_opinion_and_excluded_days_are_saved(service):
    case = await saved(service, 7, date(2025, 3, 3), "有第三方", opinion_from=date(2025, 3, 7), excluded_days=9)
    assert case.excluded_days == 9 and case.opinion_from == date(2025, 3, 7)
    assert case.dues["opinion"] == date(2025, 3, 28)


async def test_close_by_number_or_name_only_ones_own(service):
    a = await saved(service, 7, date(2025, 1, 20), "甲")
    b = await saved(service, 7, date(2025, 1, 21), "乙")
    assert isinstance(await service.close(8, str(a.id)), Refused)  # not the other officer's
    assert (await service.close(7, f"#{a.id}")).id == a.id
    assert isinstance(await service.close(7, str(a.id)), Refused)  # already closed
    assert (await service.close(7, "乙")).id == b.id
    assert isinstance(await service.close(7, ""), Refused)
    assert await service.open_cases(7) == []
    # A closed case's name can be used again.
    await saved(service, 7, date(2025, 2, 10), "甲")


async def test_cases_text_lists_dates_and_time_left(service):
    case = await saved(service, 7, date(2025, 9, 22), "张三申请")
    text = cases_text(await service.open_cases(7), date(2025, 9, 26), CAL)
    assert f"#{case.id} 张三申请（收到 2025-09-22（周一））" in text
    # Fri 09-26 → Sun 28 (make-up), Mon 29, Tue 30: 3 working days.
    assert "补正告知 2025-09-30（还剩3个工作日）" in text and "答复 2025-10-24" in text
    assert "补正告知 2025-09-30（已过）" in cases_text(await service.open_cases(7), date(2025, 10, 9), CAL)
    assert "今天到期" in cases_text(await service.open_cases(7), date(2025, 9, 30), CAL)
    assert "没有未结案件" in cases_text([], date(2025, 9, 26), CAL)


def test_reminder_day_is_three_working_days_before_across_holidays():
    # Due Thu 2025-09-30 correction: Mon 29, Sun 28 (make-up), Fri 26 → remind Fri 09-26.
    assert remind_on(CAL, date(2025, 9, 30)) == date(2025, 9, 26)
    # Due Wed 2025-02-05 (after the 2025 Spring Festival): Mon 01-27, Sun 01-26 (make-up), Fri 01-24.
    assert remind_on(CAL, date(2025, 2, 5)) == date(2025, 1, 24)
    # Due Wed 2025-10-15: Tue 14, Mon 13, Sat 11 (make-up).
    assert remind_on(CAL, date(2025, 10, 15)) == date(2025, 10, 11)


def test_select_reminders_with_a_frozen_clock():
    due = CaseDue(1, 7, "张三申请", "correction", "一次性告知补正", date(2025, 9, 30))
    assert select_reminders([due], date(2025, 9, 25), CAL) == []
    (r,) = select_reminders([due], date(2025, 9, 26), CAL)
    assert r.remind_on == date(2025, 9, 26) and r.working_days_left == 3
    assert "截止日是 2025-09-30（周二），距截止还有3个工作日" in reminder_text(r)
    # Missed on its day (the bot was down): still sent later, up to the due date itself.
    (late,) = select_reminders([due], date(2025, 9, 30), CAL)
    assert late.working_days_left == 0 and "今天到期" in reminder_text(late)
    assert select_reminders([due], date(2025, 10, 1), CAL) == []  # past: no reminder
    assert select_reminders([due], date(2025, 9, 26), CAL, sent={(1, "correction", date(2025, 9, 30))}) == []


def test_today_is_the_beijing_day():
    assert local_today(datetime(2025, 9, 25, 16, 30, tzinfo=UTC)) == date(2025, 9, 26)
    assert local_today(datetime(2025, 9, 25, 15, 59, tzinfo=UTC)) == date(2025, 9, 25)


async def test_due_reminders_once_each_and_not_for_closed_cases(service, store):
    a = await saved(service, 7, date(2025, 9, 22), "张三申请")
    b = await saved(service, 8, date(2025, 9, 22), "李四申请")
    await service.draft(9, DeadlineRequest(date(2025, 9, 22)))  # a draft is never reminded
    reminders = await service.due_reminders(date(2025, 9, 26))
    assert [(r.due.case_id, r.due.kind, r.due.user_id) for r in reminders] == [
        (a.id, "correction", 7), (b.id, "correction", 8)]
    assert await service.mark_sent(reminders[0]) and not await service.mark_sent(reminders[0])
    assert [r.due.case_id for r in await service.due_reminders(date(2025, 9, 29))] == [b.id]
    await service.close(8, "李四申请")
    assert await service.due_reminders(date(2025, 9, 29)) == []
    # Reply due Fri 10-24: remind on Tue 10-21, not Mon 10-20.
    assert await service.due_reminders(date(2025, 10, 20)) == []
    (reply,) = await service.due_reminders(date(2025, 10, 21))
    assert reply.due.kind == "reply" and reply.due.due == date(2025, 10, 24)


async def test_old_drafts_are_dropped(service, store):
    drafted = await service.draft(7, DeadlineRequest(date(2025, 9, 22)))
    store.run_sync(lambda db: db.execute("UPDATE cases SET created_at = '2000-01-01T00:00:00+00:00'"))
    newer = await service.draft(7, DeadlineRequest(date(2025, 9, 23)))
    assert await store.run(sc.get_case, drafted.case_id) is None
    assert newer.case_id > drafted.case_id  # an old "save" button cannot reach the new draft


async def test_a_reply_to_the_name_prompt_finds_the_draft(service):
    drafted = await service.draft(7, DeadlineRequest(date(2025, 9, 22)))
    await service.remember_prompt(drafted.case_id, 555)
    assert (await service.draft_for_reply(7, 555)).id == drafted.case_id
    assert await service.draft_for_reply(8, 555) is None and await service.draft_for_reply(7, 556) is None
