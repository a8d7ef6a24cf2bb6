"""Bulk sending at Telegram's pace: many messages in flight, never more than the flood limits allow.

Telegram refuses (429 ``retry_after``) more than about 30 messages a second from one bot and more than
about one a second to one chat. Sending one notice after another with a pause is safe but slow once a
real round trip is added (50 ms of network plus a 40 ms pause is 11 messages a second, a third of what
Telegram allows). ``FloodGate`` hands out send slots instead: ``per_second`` starts a second, evenly
spaced, and one per chat per ``per_chat_s``, so the sends themselves can overlap; ``deliver_paced``
runs ``PushService.deliver`` one notice at a time, up to ``in_flight`` at once, each send waiting for its
slot. The bookkeeping (notifications marked sent/unreachable/failed) stays ``PushService.deliver``'s.

One gate per application (``gate_of``), so a push, the daily reminders and a reassignment share it.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterable
from typing import Any

from bot.services.quiz_push import Delivery, Notice, PushService, Send

GATE_KEY = "flood-gate"
PER_SECOND = 28  # Telegram's 30, less a margin for jitter between our clock and theirs
PER_CHAT_S = 1.05
IN_FLIGHT = 16


class FloodGate:
    """``await gate.wait(chat_id)`` before each message: starts evenly spaced at ``per_second`` (bursts
    would reach Telegram bunched up by network jitter and trip its one-second window), and one chat's
    messages at least ``per_chat_s`` apart. First come, first served."""

    def __init__(self, per_second: float = PER_SECOND, per_chat_s: float = PER_CHAT_S):
        self.interval = 1 / per_second
        self.per_chat_s = per_chat_s
        self._next = 0.0  # the earliest free start
        self._chat_last: dict[int, float] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_waiting: collections.Counter[int] = collections.Counter()

    async def wait(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        self._chat_waiting[chat_id] += 1
        try:
            async with self._chat_locks.setdefault(chat_id, asyncio.Lock()):  # one chat's messages in turn
                last = self._chat_last.get(chat_id)
                if last is not None and loop.time() < last + self.per_chat_s:
                    await asyncio.sleep(last + self.per_chat_s - loop.time())
                now = loop.time()
                start = max(now, self._next)  # reserve the next free start (no await in between)
                self._next = start + self.interval
                self._chat_last[chat_id] = start
                if start > now:
                    await asyncio.sleep(start - now)
        finally:
            self._chat_waiting[chat_id] -= 1
            if not self._chat_waiting[chat_id]:
                del self._chat_waiting[chat_id], self._chat_locks[chat_id]
        if len(self._chat_last) > 10_000:  # forget chats whose last message is long past
            self._chat_last = {c: t for c, t in self._chat_last.items() if t > start - self.per_chat_s}


def gate_of(application: Any) -> FloodGate:
    """The application's one gate (made on first use)."""
    gate = application.bot_data.get(GATE_KEY)
    if gate is None:
        gate = application.bot_data[GATE_KEY] = FloodGate()
    return gate


async def deliver_paced(pushes: PushService, notices: Iterable[Notice], send: Send, *, gate: FloodGate,
                        in_flight: int = IN_FLIGHT) -> Delivery:
    """``pushes.deliver(notices, send)`` with up to ``in_flight`` sends overlapping, paced by ``gate``;
    outcomes in the order of ``notices``."""
    slots = asyncio.Semaphore(in_flight)

    async def paced(notice: Notice) -> None:
        await gate.wait(notice.person.telegram_id)
        await send(notice)

    async def one(notice: Notice) -> Delivery:
        async with slots:
            return await pushes.deliver([notice], paced, pause=0)

    results = await asyncio.gather(*(one(n) for n in notices))
    return Delivery(
        reached=tuple(p for d in results for p in d.reached),
        unreachable=tuple(p for d in results for p in d.unreachable),
        failed=tuple(f for d in results for f in d.failed),
    )
