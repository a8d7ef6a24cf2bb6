"""The access gate: runs first for every update, loads the member, applies the group policy.

Unregistered people get one short refusal in private chats (and the attempt is logged) and nothing in
groups; only commands open to anyone (``/start <code>``, ``/help``) pass without registration.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.telegram import texts
from bot.telegram.commands import registry_of
from bot.telegram.context import DeskContext

log = logging.getLogger(__name__)


def command_name(update: Update) -> str | None:
    """``start`` for ``/start abc`` or ``/start@DeskBot abc``; None when the message is not a command."""
    message = update.message
    text = message.text if message and message.text else ""
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else None


def is_group(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE


async def on_any_update(update: Update, context: DeskContext) -> None:
    """Group -1: stop what nobody should handle, refuse the unregistered, remember who the member is."""
    if update.edited_message or update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop  # edits are not new questions; channels are not people
    user = update.effective_user
    if user is None or user.is_bot:
        return  # e.g. poll state updates: no person, nothing to gate; handlers see member None
    group = is_group(update)
    if group and context.core.config.telegram.groups == "refuse":
        raise ApplicationHandlerStop
    context.member = await context.core.access.identify(user.id, user.full_name, user.username or "")
    if context.member is not None:
        return
    name = command_name(update)
    command = registry_of(context.application).command(name) if name else None
    if not group and command is not None and command.role is None:
        return
    log.info("refused unregistered user %s (%s)", user.id, "group" if group else "private")
    if update.callback_query:  # every query is answered, if only to stop the client's spinner
        await context.answer(None if group else texts.NOT_REGISTERED, alert=not group)
    elif not group and update.effective_message:
        await update.effective_message.reply_text(texts.NOT_REGISTERED)
    raise ApplicationHandlerStop
