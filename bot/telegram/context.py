"""The CallbackContext every handler receives: the core, the member who sent the update, and helpers.

PTB builds one context per update and hands it to every handler group, so the access gate (group -1)
fills ``member`` once and the handlers read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackContext, ExtBot

from bot.telegram.callbacks import Callback

if TYPE_CHECKING:
    from bot.core import Core
    from bot.services.access import Member

CORE_KEY = "core"


class DeskContext(CallbackContext[ExtBot, dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Adds ``core``, ``member`` (None when not registered), ``button`` and ``answer()``."""

    def __init__(self, application: Any, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self.button: Callback | None = None  # the decoded callback data, in button handlers
        self.answered = False
        self._update: Update | None = None

    @classmethod
    def from_update(cls, update: object, application: Any) -> DeskContext:
        context = super().from_update(update, application)
        if isinstance(update, Update):
            context._update = update
        return context  # type: ignore[return-value]

    @property
    def core(self) -> Core:
        return self.application.bot_data[CORE_KEY]

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer this update's callback query once (later calls do nothing); text at most 200 chars."""
        query = self._update.callback_query if self._update else None
        if query is None or self.answered:
            return
        self.answered = True
        try:
            await query.answer(text[:200] if text else None, show_alert=alert)
        except BadRequest as exc:  # "query is too old": the user has moved on; nothing to tell them
            if "query" not in str(exc).lower():
                raise
