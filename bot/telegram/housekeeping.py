"""Daily housekeeping: the question log is kept ``question_log_days`` days (config.yaml), then deleted
together with what depends on it (``questions.delete_questions_before``).

The JobQueue forgets jobs on restart, so ``on_start`` (post_init) schedules the daily job again under a
fixed name and prunes once at once: a bot restarted every night still keeps to the retention period.
"""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext

from bot.store import questions
from bot.telegram.context import CORE_KEY
from bot.telegram.jobs import schedule_daily

log = logging.getLogger(__name__)

RETENTION_JOB = "question-retention"
RETENTION_TIME = time(3, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # the quietest hour of an office bot


async def prune_question_log(application: Application) -> int:
    """Delete questions older than the configured number of days; returns how many went."""
    core = application.bot_data[CORE_KEY]
    days = core.config.question_log_days
    if days < 1:  # 0 or less: keep the log forever
        return 0
    deleted = await core.store.run(questions.delete_questions_before, days)
    if deleted:
        log.info("question log: %d questions older than %d days deleted", deleted, days)
    return deleted


async def retention_job(context: CallbackContext) -> None:
    """The daily JobQueue callback."""
    await prune_question_log(context.application)


async def on_start(application: Application) -> None:
    """Post-init: schedule the daily job again and prune once now."""
    schedule_daily(application, retention_job, RETENTION_TIME, RETENTION_JOB)
    await prune_question_log(application)
