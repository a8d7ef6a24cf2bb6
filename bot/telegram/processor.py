"""Concurrent updates, but each user's (or chat's) own updates one after another.

With ``concurrent_updates`` a double-tapped button or two quick messages from the same person would run
at the same time and race (two ratings, two quiz answers counted). Updates are keyed by user, falling
back to chat; updates of one key wait for each other in arrival order, different keys run in parallel.
While an update is handled, ``delivery.replying_to`` holds its chat: a message sent there is a reply
(queued in the outbox if Telegram does not take it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram.delivery import replying_to


def serial_key(update: object) -> int | None:
    """The id whose updates must not overlap: the user, else the chat, else None (no ordering)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` at once; never two of the same user."""

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # key -> updates holding or waiting for its lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        reply = replying_to.set(chat.id if chat is not None else None)  # messages to it are replies
        try:
            await self._serially(update, coroutine)
        finally:
            replying_to.reset(reply)

    async def _serially(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = serial_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:  # asyncio.Lock wakes waiters first-come, first-served
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # forget idle users so the dict does not grow forever
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
