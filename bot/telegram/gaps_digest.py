"""Trainers' morning digest of open gaps: at ``quiz.reminder_time``, once a day per trainer.

"Once a day" is kept in the ``notifications`` table (kind ``gaps_digest``, ref = the date), so a restart
after the hour sends the day's digest once and never twice.
"""

from __future__ import annotations

import logging
from html import escape

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext

from bot.gaps.texts import digest_text
from bot.quiz.models import NotificationStatus
from bot.quiz.reminders import SHANGHAI
from bot.store import quizzes as q
from bot.store.db import now
from bot.telegram.context import CORE_KEY
from bot.telegram.jobs import schedule_daily
from bot.telegram.pacing import gate_of
from bot.telegram.quiz_notices import reminder_time

log = logging.getLogger(__name__)

DIGEST_JOB = "gaps-digest"
KIND = "gaps_digest"


async def send_digest(application: Application) -> int:
    """Tell each trainer not yet told today what is open; returns how many were told."""
    core = application.bot_data[CORE_KEY]
    groups = await core.gaps.groups()
    if not groups:
        return 0
    text = escape(digest_text(groups))
    today = core.quizzes.today().isoformat()
    gate = gate_of(application)
    told = 0
    for trainer in await core.store.run(q.people_with_role, "trainer"):
        notice = await core.store.run(q.queue_notification, KIND, trainer.telegram_id, today, now())
        if notice.status is NotificationStatus.SENT:
            continue
        await gate.wait(trainer.telegram_id)
        try:
            await application.bot.send_message(trainer.telegram_id, text)
        except (Forbidden, BadRequest) as exc:
            log.info("gaps digest to %s not delivered: %s", trainer.telegram_id, exc)
            await core.store.run(q.mark_notification, notice.id, NotificationStatus.UNREACHABLE, now(), str(exc))
            continue
        except TelegramError as exc:  # Telegram in trouble: left pending, the next run (or start) tries again
            log.warning("gaps digest to %s not delivered, will retry: %s", trainer.telegram_id, exc)
            continue
        await core.store.run(q.mark_notification, notice.id, NotificationStatus.SENT, now())
        told += 1
    return told


async def digest_job(context: CallbackContext) -> None:
    """The daily JobQueue callback."""
    await send_digest(context.application)


async def on_start(application: Application) -> None:
    """Post-init: schedule the daily job again (jobs are memory-only) and catch up if the hour has passed."""
    core = application.bot_data[CORE_KEY]
    at = reminder_time(core.config.quiz.reminder_time)
    schedule_daily(application, digest_job, at, DIGEST_JOB)
    if core.quizzes.clock().astimezone(SHANGHAI).time() >= at.replace(tzinfo=None):
        await send_digest(application)
