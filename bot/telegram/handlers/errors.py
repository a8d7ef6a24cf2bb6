"""The error handler: log (without message text) and tell the user something kind."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.telegram import texts
from bot.telegram.context import DeskContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: DeskContext) -> None:
    """Log the exception with the update id and user id only (texts may hold personal data)."""
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=context.error)
        return
    user = update.effective_user.id if update.effective_user else None
    log.error("update %s from user %s failed", update.update_id, user, exc_info=context.error)
    if update.callback_query:
        try:
            await update.callback_query.answer(texts.ERROR[:200], show_alert=True)
            return
        except TelegramError:  # already answered by the handler: say it in the chat instead
            pass
    if update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, texts.ERROR)
    except TelegramError as exc:  # the chat may be gone or the network down: nothing more to do
        log.info("could not tell user %s about the error: %s", user, exc)
