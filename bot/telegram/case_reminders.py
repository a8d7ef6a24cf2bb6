"""Deadline reminders over Telegram: a daily job, scheduled again at every start (the JobQueue forgets).

What to remind is chosen from SQLite at each run (open cases, due dates, reminders already sent), so a
restart loses nothing: ``on_start`` re-registers the job under a fixed name and, when today's reminder time
has already passed, runs today's reminders at once (each is sent once: the case_reminders table says so).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from html import escape

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext

from bot.deadlines.reminders import SHANGHAI, local_today
from bot.deadlines.texts import reminder_text
from bot.telegram.context import CORE_KEY
from bot.telegram.jobs import schedule_daily

log = logging.getLogger(__name__)

CASE_REMINDER_JOB = "case-reminders"
CASE_REMINDER_TIME = time(8, 45, tzinfo=SHANGHAI)  # before the office day starts
UNREACHABLE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was blocked")


async def send_case_reminders(application: Application, today: date | None = None) -> int:
    """Send today's due-date reminders; returns how many were delivered."""
    service = application.bot_data[CORE_KEY].cases
    sent = 0
    for reminder in await service.due_reminders(today or local_today()):
        try:
            await application.bot.send_message(reminder.due.user_id, escape(reminder_text(reminder)))
            sent += 1
        except Forbidden as exc:  # blocked the bot: recorded as sent, or it would be retried every day
            log.warning("case reminder %s not delivered: %s", reminder.key, exc)
        except BadRequest as exc:
            if not any(marker in str(exc).lower() for marker in UNREACHABLE):
                raise
            log.warning("case reminder %s not delivered: %s", reminder.key, exc)
        except TelegramError as exc:  # Telegram in trouble: not marked sent, the next run tries again
            log.warning("case reminder %s not delivered, will retry: %s", reminder.key, exc)
            continue
        await service.mark_sent(reminder)
    if sent:
        log.info("case reminders: %d sent", sent)
    return sent


async def case_reminder_job(context: CallbackContext) -> None:
    """The daily JobQueue callback."""
    await send_case_reminders(context.application)


async def on_start(application: Application, clock: Callable[[], datetime] | None = None) -> None:
    """Post-init: schedule the daily job again and catch up if today's time has passed."""
    _ = application.bot_data[CORE_KEY].cases  # a bad calendar.extra_* date in config stops start-up here
    schedule_daily(application, case_reminder_job, CASE_REMINDER_TIME, CASE_REMINDER_JOB)
    now = (clock() if clock else datetime.now(SHANGHAI)).astimezone(SHANGHAI)
    if now.time() >= CASE_REMINDER_TIME.replace(tzinfo=None):
        try:
            await send_case_reminders(application, now.date())
        except TelegramError as exc:  # the network is down at start: tomorrow's run catches up
            log.warning("case reminders at start-up failed: %s", exc)
