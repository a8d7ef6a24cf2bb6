"""Messages that are not questions: stickers, photos, voice, files; unknown commands."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram import texts
from bot.telegram.context import DeskContext


async def on_media(update: Update, context: DeskContext) -> None:
    """A sticker, photo, voice message or file: a one-line hint (private chats only)."""
    if update.effective_chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text(texts.MEDIA_HINT)


async def on_unknown_command(update: Update, context: DeskContext) -> None:
    """A command nobody registered."""
    if update.effective_chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)
