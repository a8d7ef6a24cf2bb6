"""Sending that survives Telegram trouble: retries, an outbox for replies, and blocked people marked unreachable.

Every Bot API request passes through ``DeliveryLimiter``, an ``AIORateLimiter`` (which already waits out a
429 ``retry_after`` up to ``max_retries`` times). On top of it:

- a 5xx, a time-out or another network error is tried again ``NETWORK_RETRIES`` times after a short pause;
- a **reply** (``sendMessage`` to the chat whose update is being handled) that still fails goes into the
  ``outbox`` table and the handler receives a stand-in ``Message`` (``message_id`` 0) so it carries on. The
  outbox job sends queued replies later, oldest first per chat, and a new reply to a chat with a backlog
  waits behind it, so a person never reads an answer before the question it follows;
- 403 Forbidden on ``sendMessage`` to a person (blocked the bot, account deleted) sets ``users.reachable``
  to 0 and is never retried (a reply is dropped, other senders get the error); a later successful message
  sets it back to 1;
- a callback-query answer that still fails is given up (a late answer is refused by Telegram anyway);
- everything else raises as before. Messages to *other* chats (quiz notices, reminders, a role notice) are
  not replies: their senders keep their own records (``notifications``) and mark them failed; the outbox
  job also retries failed quiz assignment notices.

Delivery is at least once: a time-out after Telegram accepted a message makes the retry a duplicate.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from telegram import TelegramObject
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, CallbackContext

from bot.store import outbox
from bot.store.db import Store
from bot.telegram.pacing import deliver_paced, gate_of

log = logging.getLogger(__name__)

OUTBOX_JOB = "outbox"
RETRY_EVERY_S = 30.0
NETWORK_RETRIES = 2
BACKOFF_S = 0.5  # first pause; doubled for each further try
MAX_AGE = timedelta(days=2)  # an answer older than this is no longer worth sending
MAX_NOTICE_TRIES = 10
FROM_OUTBOX = "from-outbox"  # rate_limit_args of a send the outbox job makes: one try, never queued again
UNREACHABLE_MARKERS = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was blocked")
SENT, WAIT, GIVEN_UP = "sent", "wait", "given up"  # what became of one queued row

replying_to: contextvars.ContextVar[int | None] = contextvars.ContextVar("replying_to", default=None)
"""The chat of the update being handled (set by the update processor); a message to it is a reply."""

Callback = Callable[..., Coroutine[Any, Any, Any]]


def _chat_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, TelegramObject):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return int(value.timestamp())
    return value


def _json_params(data: dict[str, Any]) -> dict[str, Any]:
    """The request parameters as JSON-compatible values (what PTB would send)."""
    params = {k: _jsonable(v) for k, v in data.items() if v is not None}
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):  # the message replied to may be gone by the time the queue is sent
        params["reply_parameters"] = {**reply, "allow_sending_without_reply": True}
    return params


def stand_in(chat_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The Message a handler receives for a reply that was queued instead of sent."""
    chat_type = "private" if chat_id > 0 else "supergroup"
    return {"message_id": 0, "date": int(time.time()), "chat": {"id": chat_id, "type": chat_type},
            "text": str(data.get("text", ""))}


class DeliveryLimiter(AIORateLimiter):
    """AIORateLimiter plus network retries, the reply outbox and unreachable marking (see module docstring)."""

    def __init__(self, store: Store, *, max_retries: int = 3, network_retries: int = NETWORK_RETRIES,
                 backoff_s: float = BACKOFF_S, **kwargs: Any):
        super().__init__(max_retries=max_retries, **kwargs)
        self.store = store
        self.network_retries = network_retries
        self.backoff_s = backoff_s
        self.bot: Any = None  # set by on_start; the outbox is sent through it
        self._waiting: set[int] = set()  # chats with queued replies
        self._unreachable: set[int] = set()
        self._locks: dict[int, asyncio.Lock] = {}

    async def initialize(self) -> None:
        await super().initialize()
        self._waiting = await self.store.run(outbox.chats_waiting)
        self._unreachable = await self.store.run(outbox.unreachable_ids)

    async def process_request(self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: Any) -> Any:
        from_outbox = rate_limit_args == FROM_OUTBOX
        max_retries = rate_limit_args if isinstance(rate_limit_args, int) else None
        chat_id = _chat_id(data)
        reply = endpoint == "sendMessage" and not from_outbox and chat_id is not None and chat_id == replying_to.get()
        if reply and chat_id in self._waiting:
            await self.flush(chat_id)  # the backlog first, in order
            if chat_id in self._waiting:
                return await self._queue(chat_id, endpoint, data, "queued behind earlier replies")
        try:
            result = await self._send(callback, args, kwargs, endpoint, data, max_retries,
                                      0 if from_outbox else self.network_retries)
        except Forbidden as exc:
            if endpoint == "sendMessage" and chat_id is not None and chat_id > 0:
                await self._mark_reachable(chat_id, False, str(exc))
            if reply:  # nobody left to read it (blocked, or the bot left the group): never retried
                log.info("reply to chat %s dropped: %s", chat_id, exc)
                return stand_in(chat_id, data)
            raise
        except BadRequest:
            raise
        except (RetryAfter, NetworkError) as exc:
            if reply:
                return await self._queue(chat_id, endpoint, data, f"{type(exc).__name__}: {exc}")
            if endpoint == "answerCallbackQuery":
                log.warning("gave up answering a callback query: %s", exc)
                return True
            raise
        if endpoint == "sendMessage" and chat_id in self._unreachable:
            await self._mark_reachable(chat_id, True, "")
        return result

    async def _send(self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
                    data: dict[str, Any], max_retries: int | None, network_retries: int) -> Any:
        for attempt in range(network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, max_retries)
            except BadRequest:
                raise
            except NetworkError as exc:  # 5xx, time-out, connection trouble
                if attempt == network_retries:
                    raise
                pause = self.backoff_s * 2 ** attempt
                log.info("%s failed (%s); trying again in %.1f s", endpoint, exc, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def _queue(self, chat_id: int, endpoint: str, data: dict[str, Any], error: str) -> dict[str, Any]:
        row = await self.store.run(outbox.add, chat_id, endpoint, _json_params(data), error)
        self._waiting.add(chat_id)
        log.warning("reply to chat %s queued for a later try (outbox %s): %s", chat_id, row, error)
        return stand_in(chat_id, data)

    async def _mark_reachable(self, chat_id: int, reachable: bool, why: str) -> None:
        if reachable:
            self._unreachable.discard(chat_id)
        else:
            self._unreachable.add(chat_id)
        if await self.store.run(outbox.set_reachable, chat_id, reachable):
            log.info("user %s marked %s%s", chat_id, "reachable" if reachable else "unreachable",
                     f": {why}" if why else "")

    async def flush(self, chat_id: int) -> bool:
        """Send one chat's queued replies in order; True when none is left (False: try again later)."""
        if self.bot is None:
            return False
        # One flush per chat at a time (the job and a new reply may both try): a row is never sent twice.
        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            for row in await self.store.run(outbox.pending, chat_id):
                outcome = await self._send_queued(row)
                if outcome == WAIT:
                    return False
                if outcome == GIVEN_UP:  # blocked: the rest of the chat's rows went with it
                    break
            self._waiting.discard(chat_id)
            return True

    async def _send_queued(self, row: outbox.Queued) -> str:
        """One queued request: SENT, WAIT (Telegram still in trouble) or GIVEN_UP (the chat is gone)."""
        try:
            if row.method == "sendMessage":
                params = dict(row.params)
                await self.bot.send_message(chat_id=params.pop("chat_id"), text=params.pop("text"),
                                            api_kwargs=params, rate_limit_args=FROM_OUTBOX)
            else:
                await self.bot.do_api_request(row.method, api_kwargs=row.params, rate_limit_args=FROM_OUTBOX)
        except Forbidden as exc:
            await self.store.run(outbox.give_up_chat, row.chat_id, outbox.UNREACHABLE, str(exc))
            return GIVEN_UP
        except BadRequest as exc:
            gone = any(m in str(exc).lower() for m in UNREACHABLE_MARKERS)
            log.warning("queued reply %s to chat %s not deliverable: %s", row.id, row.chat_id, exc)
            if gone:
                await self.store.run(outbox.give_up_chat, row.chat_id, outbox.UNREACHABLE, str(exc))
                return GIVEN_UP
            await self.store.run(outbox.give_up, row.id, outbox.REJECTED, str(exc))
            return SENT
        except (RetryAfter, NetworkError) as exc:
            await self.store.run(outbox.tried, row.id, f"{type(exc).__name__}: {exc}")
            return WAIT
        await self.store.run(outbox.delivered, row.id)
        log.info("queued reply %s delivered to chat %s after %d tries", row.id, row.chat_id, row.tries + 1)
        return SENT

    async def flush_all(self) -> int:
        """Every chat's backlog (expired rows dropped first); returns how many chats still wait."""
        cutoff = (datetime.now(UTC) - MAX_AGE).isoformat(timespec="seconds")
        if expired := await self.store.run(outbox.expire_before, cutoff):
            log.warning("%d queued replies expired undelivered", expired)
        self._waiting = await self.store.run(outbox.chats_waiting)
        for chat_id in sorted(self._waiting):
            if not await self.flush(chat_id):
                break  # Telegram is still in trouble: the next run tries again
        return len(self._waiting)


def limiter_of(application: Application) -> DeliveryLimiter | None:
    limiter = application.bot.rate_limiter
    return limiter if isinstance(limiter, DeliveryLimiter) else None


async def retry_failed_notices(application: Application) -> int:
    """Quiz assignment notices whose send failed (not blocked: failed), once more; returns how many."""
    from bot.quiz.models import NotificationStatus
    from bot.telegram.quiz_notices import sender

    core = application.bot_data["core"]
    failed = [n for n in await core.pushes.unsent()
              if n.notification.status is NotificationStatus.FAILED and n.notification.tries < MAX_NOTICE_TRIES]
    if failed:
        delivery = await deliver_paced(core.pushes, failed, sender(application), gate=gate_of(application))
        log.info("failed quiz notices retried: %d reached, %d still failing", len(delivery.reached),
                 len(delivery.failed))
    return len(failed)


async def outbox_job(context: CallbackContext) -> None:
    """The repeating JobQueue callback: queued replies, then failed quiz notices."""
    limiter = limiter_of(context.application)
    try:
        if limiter is not None:
            await limiter.flush_all()
        await retry_failed_notices(context.application)
    except TelegramError as exc:  # the next run tries again
        log.warning("outbox run stopped: %s", exc)


async def on_start(application: Application) -> None:
    """Post-init: the limiter learns the bot; the repeating outbox job is scheduled."""
    limiter = limiter_of(application)
    if limiter is not None:
        limiter.bot = application.bot
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(OUTBOX_JOB):
            job.schedule_removal()
        application.job_queue.run_repeating(outbox_job, interval=RETRY_EVERY_S, first=RETRY_EVERY_S, name=OUTBOX_JOB)
