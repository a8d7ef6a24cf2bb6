"""Quiz notices over Telegram: wording and buttons, a sender that maps Bot API errors, the daily reminder job.

The JobQueue forgets jobs on restart, so ``on_start`` (called from post_init) schedules the daily job again
under a fixed name, delivers assignment notices a stopped process left unsent, and, when today's reminder
time has already passed, runs today's reminders at once (idempotent: anyone already reminded today is not
reminded again).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from datetime import datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application, CallbackContext

from bot.quiz import texts
from bot.quiz.bank import Banks, Quiz
from bot.quiz.reminders import SHANGHAI, overdue_by_department
from bot.services.quiz_push import ASSIGNMENT, DIGEST, Notice, Send, Unreachable
from bot.telegram.callbacks import encode
from bot.telegram.context import CORE_KEY
from bot.telegram.jobs import schedule_daily
from bot.telegram.pacing import deliver_paced, gate_of

log = logging.getLogger(__name__)

REMINDER_JOB = "quiz-reminders"
DEFAULT_REMINDER_TIME = time(9, 0)
SEND_RETRIES = 2  # on top of the rate limiter's own retries of a 429
UNREACHABLE_MARKERS = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was blocked")
BUTTON_START = "开始作答"


def quiz_key(quiz_id: str) -> int:
    """A stable number for a quiz id: callback data carries integers only, and survives reloads."""
    return zlib.crc32(quiz_id.encode("utf-8"))


def quiz_by_key(banks: Banks, key: int) -> Quiz | None:
    return next((quiz for quiz in banks.quizzes.values() if quiz_key(quiz.id) == key), None)


def start_button(quiz: Quiz, label: str = BUTTON_START) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode("qs", quiz_key(quiz.id)))


def render_notice(notice: Notice, banks: Banks, today) -> tuple[str, InlineKeyboardMarkup | None]:
    """The HTML text and buttons of one notice."""
    if notice.kind == ASSIGNMENT:
        return (texts.assignment_notice(notice.quiz, notice.assignment.due_on, texts.HTML),
                InlineKeyboardMarkup([[start_button(notice.quiz)]]))
    if notice.kind == DIGEST:
        return texts.digest_text(overdue_by_department(notice.dues), banks, today, texts.HTML), None
    quizzes = [q for d in notice.dues if (q := banks.get(d.assignment.quiz_id)) is not None]
    rows = [[start_button(q, f"{BUTTON_START}：{q.title}")] for q in quizzes[:5]]
    return texts.reminder_text(notice.dues, banks, texts.HTML), InlineKeyboardMarkup(rows) if rows else None


def _seconds(value: object) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def sender(application: Application) -> Send:
    """``send(notice)`` for PushService.deliver: Forbidden (blocked, never started) → Unreachable."""
    core = application.bot_data[CORE_KEY]

    async def send(notice: Notice) -> None:
        text, markup = render_notice(notice, core.quizzes.banks, core.quizzes.today())
        for attempt in range(SEND_RETRIES + 1):
            try:
                await application.bot.send_message(notice.person.telegram_id, text, reply_markup=markup)
                return
            except Forbidden as exc:
                raise Unreachable(str(exc)) from exc
            except BadRequest as exc:
                if any(marker in str(exc).lower() for marker in UNREACHABLE_MARKERS):
                    raise Unreachable(str(exc)) from exc
                raise
            except RetryAfter as exc:
                if attempt == SEND_RETRIES:
                    raise
                await asyncio.sleep(_seconds(exc.retry_after))

    return send


def reminder_time(text: str) -> time:
    """quiz.reminder_time (HH:MM) in Asia/Shanghai; a bad value is logged and 09:00 used."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes, tzinfo=SHANGHAI)
    except ValueError:
        log.error("quiz.reminder_time %r is not HH:MM; reminding at 09:00", text)
        return DEFAULT_REMINDER_TIME.replace(tzinfo=SHANGHAI)


async def send_reminders(application: Application) -> None:
    """Today's reminders and trainers' digest (each person at most once a day)."""
    core = application.bot_data[CORE_KEY]
    notices = await core.pushes.reminders()
    if notices:
        delivery = await deliver_paced(core.pushes, notices, sender(application), gate=gate_of(application))
        log.info("quiz reminders: %d sent, %d unreachable, %d failed",
                 len(delivery.reached), len(delivery.unreachable), len(delivery.failed))


async def reminder_job(context: CallbackContext) -> None:
    """The daily JobQueue callback."""
    await send_reminders(context.application)


async def on_start(application: Application) -> None:
    """Post-init: schedule the daily job again, deliver what a stopped process left unsent, catch up today."""
    core = application.bot_data[CORE_KEY]
    at = reminder_time(core.config.quiz.reminder_time)
    schedule_daily(application, reminder_job, at, REMINDER_JOB)
    unsent = await core.pushes.unsent()
    if unsent:
        await deliver_paced(core.pushes, unsent, sender(application), gate=gate_of(application))
    now = core.quizzes.clock().astimezone(SHANGHAI)
    if now.time() >= at.replace(tzinfo=None):
        await send_reminders(application)


def next_reminder(application: Application) -> datetime | None:
    """When the daily job runs next (for tests and logs)."""
    jobs = application.job_queue.get_jobs_by_name(REMINDER_JOB) if application.job_queue else ()
    return jobs[0].next_t if jobs else None
