"""/deadline, saving a case by replying with its name, /cases, /close, and the daily reminder job, over the
Bot API (the real Application on the fake Bot API) with a frozen clock."""

from __future__ import annotations

from datetime import date, datetime

from bot.deadlines.reminders import SHANGHAI
from bot.telegram import texts
from bot.telegram.case_reminders import CASE_REMINDER_JOB, on_start, send_case_reminders
from bot.telegram.handlers.cases import BUTTON_SAVE, NAME_PROMPT
from tests.telegram import fakebot
from tests.telegram.fakebot import Harness, build_core

harness = fakebot.harness  # the Telegram harness fixture (tests/telegram/fakebot.py)


async def save_case(harness: Harness, user, received: str, name: str) -> None:
    await harness.send_text(user, f"/deadline {received}")
    await harness.press(user, harness.button(user, BUTTON_SAVE))
    prompt = harness.last(user)
    assert prompt.plain.startswith(NAME_PROMPT) and prompt.reply_markup["force_reply"] is True
    await harness.send_text(user, name, reply_to=prompt)


async def test_deadline_save_list_close(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "/deadline 2024-09-20")
    dates = harness.last(alice)
    assert "一次性告知补正（第三十条，7个工作日）：2024-09-30（周一）" in dates.plain
    assert "答复（第三十三条，20个工作日）：2024-10-23（周三）" in dates.plain
    assert "共40个）：2024-11-20（周三）" in dates.plain
    assert [t for t, _ in dates.buttons] == [BUTTON_SAVE]
    await harness.press(alice, harness.button(alice, BUTTON_SAVE))
    prompt = harness.last(alice)
    await harness.send_text(alice, "123", reply_to=prompt)  # digits only: refused, asked again
    assert "不能只有数字" in harness.texts(alice)[-2] and harness.last(alice).plain.startswith(NAME_PROMPT)
    await harness.send_text(alice, "张三 <申请> & 复核", reply_to=harness.last(alice))  # escaped, not HTML
    assert harness.last(alice).plain.startswith("已保存为案件 #") and "「张三 <申请> & 复核」" in harness.last(alice).plain
    await harness.send_text(alice, "再起个名", reply_to=prompt)  # the old prompt: already saved
    assert "已经保存过或已过期" in harness.last(alice).plain
    await harness.press(alice, dict(dates.buttons)[BUTTON_SAVE])
    assert "已经保存过或已过期" in harness.answered()["text"]

    await harness.send_text(alice, "/cases")
    listing = harness.last(alice).plain
    assert "未结案件（1件）" in listing and "张三 <申请> & 复核（收到 2024-09-20（周五））" in listing
    await harness.send_text(alice, "/close 张三 <申请> & 复核")
    assert harness.last(alice).plain.startswith("已结案：")
    await harness.send_text(alice, "/cases")
    assert "没有未结案件" in harness.last(alice).plain


async def test_bad_input_foreign_buttons_and_groups(harness: Harness):
    alice = await harness.member(2001)
    bob = await harness.member(2002)
    await harness.send_text(alice, "/deadline 2025-02-30")
    assert harness.last(alice).plain.startswith("看不懂“2025-02-30”") and harness.last(alice).buttons == []
    await harness.send_text(alice, "/deadline 2026-12-10")
    assert "2027年的法定节假日和调休安排本机还不知道" in harness.last(alice).plain
    save = harness.button(alice, BUTTON_SAVE)
    await harness.press(bob, save)  # not his draft
    assert "已经保存过或已过期" in harness.answered()["text"] and harness.sent(bob) == []
    # A reply to some other bot message is still a question.
    await harness.send_text(alice, "三公经费要不要公开", reply_to=harness.last(alice))
    assert harness.last(alice).plain.startswith("【主动公开】")
    group = harness.group()
    await harness.send_text(alice, "/deadline 2025-01-20", chat=group)
    assert harness.last(group).plain == texts.PRIVATE_ONLY
    await harness.send_text(alice, "/close")
    assert "请写上案件编号或名称" in harness.last(alice).plain


async def test_reminders_three_working_days_before_each_due_date(harness: Harness):
    alice = await harness.member(2001)
    await save_case(harness, alice, "2025-09-22", "国庆前收到")
    before = len(harness.sent(alice))
    # Correction notice due Tue 09-30; three working days before is Fri 09-26 (Sun 09-28 is a make-up day).
    assert await send_case_reminders(harness.app, date(2025, 9, 25)) == 0
    assert await send_case_reminders(harness.app, date(2025, 9, 26)) == 1
    reminder = harness.last(alice).plain
    assert "国庆前收到" in reminder and "一次性告知补正截止日是 2025-09-30（周二），距截止还有3个工作日" in reminder
    assert await send_case_reminders(harness.app, date(2025, 9, 26)) == 0  # once only
    assert await send_case_reminders(harness.app, date(2025, 9, 29)) == 0
    # Reply due Fri 10-24 (after the 10-01…10-08 holiday, Sat 10-11 worked): reminded Tue 10-21.
    assert await send_case_reminders(harness.app, date(2025, 10, 20)) == 0
    assert await send_case_reminders(harness.app, date(2025, 10, 21)) == 1
    assert "答复截止日是 2025-10-24（周五）" in harness.last(alice).plain
    assert len(harness.sent(alice)) == before + 2
    await harness.send_text(alice, "/close 国庆前收到")
    assert await send_case_reminders(harness.app, date(2025, 11, 18)) == 0  # closed: the extension is not reminded


async def test_a_blocked_user_does_not_stop_the_others(harness: Harness):
    alice = await harness.member(2001)
    bob = await harness.member(2002)
    await save_case(harness, alice, "2025-09-22", "甲")
    await save_case(harness, bob, "2025-09-22", "乙")
    harness.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert await send_case_reminders(harness.app, date(2025, 9, 26)) == 1
    assert await send_case_reminders(harness.app, date(2025, 9, 26)) == 0  # the blocked one is not retried daily


async def test_the_job_is_rebuilt_at_start_and_catches_up(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as h:
            alice = await h.member(2001)
            await save_case(h, alice, "2025-09-22", "张三申请")
            assert [j.name for j in h.app.job_queue.get_jobs_by_name(CASE_REMINDER_JOB)] == [CASE_REMINDER_JOB]
        async with Harness.start(core) as h:  # a restart: the JobQueue starts empty
            jobs = h.app.job_queue.get_jobs_by_name(CASE_REMINDER_JOB)
            assert len(jobs) == 1 and jobs[0].next_t.astimezone(SHANGHAI).time().strftime("%H:%M") == "08:45"
            h.user(2001)
            await on_start(h.app, clock=lambda: datetime(2025, 9, 26, 8, 0, tzinfo=SHANGHAI))  # too early
            assert h.sent(2001) == [] and len(h.app.job_queue.get_jobs_by_name(CASE_REMINDER_JOB)) == 1
            await on_start(h.app, clock=lambda: datetime(2025, 9, 26, 10, 0, tzinfo=SHANGHAI))
            assert "张三申请" in h.last(2001).plain
            await h.app.job_queue.get_jobs_by_name(CASE_REMINDER_JOB)[0].run(h.app)  # today's run: nothing new
            assert len(h.sent(2001)) == 1
    finally:
        core.close()
