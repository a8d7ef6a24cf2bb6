"""Scheduling the bot's daily jobs. The JobQueue lives in memory only, so every feature re-schedules its
job in post-init; doing it by name here keeps a restart (or a second post-init) from doubling a job."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

from telegram.ext import Application


def schedule_daily(application: Application, callback: Callable[[Any], Awaitable[None]], at: time, name: str) -> None:
    """Run ``callback`` every day at ``at``, replacing any job already scheduled under ``name``."""
    if application.job_queue is None:
        return
    for job in application.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    application.job_queue.run_daily(callback, time=at, name=name)
