"""The machinery behind the command registry: role checks, the button dispatcher, menus and /help.

The list itself lives in ``bot/telegram/registry.py``; this module never imports handlers, so handlers
may import it (e.g. ``set_menu`` after a role change).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.services.access import rank
from bot.telegram import texts
from bot.telegram.callbacks import decode
from bot.telegram.context import DeskContext

log = logging.getLogger(__name__)

Handler = Callable[[Update, DeskContext], Awaitable[None]]
REGISTRY_KEY = "registry"


@dataclass(frozen=True)
class Command:
    """A slash command. ``role``: None = anyone (even unregistered), else the lowest role allowed."""

    name: str
    description: str
    role: str | None
    handler: Handler
    private: bool = False  # refuse in group chats (lists, invitation links, personal data)


@dataclass(frozen=True)
class Button:
    """A callback-data kind (see ``callbacks``): how many integer fields it has and who may press it."""

    kind: str
    fields: int
    role: str | None
    handler: Handler


@dataclass(frozen=True)
class Registry:
    commands: tuple[Command, ...]
    buttons: tuple[Button, ...]

    def command(self, name: str) -> Command | None:
        return next((c for c in self.commands if c.name == name.lower()), None)

    def menu(self, role: str | None, *, group: bool = False) -> list[Command]:
        """The commands a role may use, in registry order (the menu and /help show the same list)."""
        return [c for c in self.commands if rank(c.role) <= rank(role) and not (group and c.private)]


def registry_of(application: Application) -> Registry:
    return application.bot_data[REGISTRY_KEY]


def install(application: Application, registry: Registry) -> None:
    """One CommandHandler per command (with its role check) and one dispatcher for all buttons."""
    names = [c.name for c in registry.commands]
    kinds = [b.kind for b in registry.buttons]
    assert len(set(names)) == len(names), f"duplicate command in registry: {names}"
    assert len(set(kinds)) == len(kinds), f"duplicate button kind in registry: {kinds}"
    application.bot_data[REGISTRY_KEY] = registry
    for command in registry.commands:
        application.add_handler(CommandHandler(command.name, _guarded(command), filters=filters.UpdateType.MESSAGE))
    application.add_handler(CallbackQueryHandler(_dispatch_button))


def _guarded(command: Command) -> Handler:
    async def guarded(update: Update, context: DeskContext) -> None:
        member = context.member
        if command.role is not None and (member is None or not member.can(command.role)):
            log.info("refused /%s to user %s (role %s)", command.name,
                     update.effective_user.id if update.effective_user else None, member.role if member else None)
            current = texts.ROLE_LABELS.get(member.role, "未注册") if member else "未注册"
            await update.effective_message.reply_text(
                texts.ROLE_REQUIRED.format(role=texts.ROLE_LABELS[command.role], current=current)
            )
            return
        if command.private and update.effective_chat.type != ChatType.PRIVATE:
            await update.effective_message.reply_text(texts.PRIVATE_ONLY)
            return
        await command.handler(update, context)

    guarded.__name__ = f"guarded_{command.name}"
    return guarded


async def _dispatch_button(update: Update, context: DeskContext) -> None:
    """Decode, check the role, run the button's handler; the query is always answered (on an exception,
    by the error handler, which has something to say)."""
    data = decode(update.callback_query.data)
    button = next((b for b in registry_of(context.application).buttons if data and b.kind == data.kind), None)
    if button is None or len(data.args) != button.fields:
        await context.answer(texts.BUTTON_EXPIRED)
        return
    if button.role is not None and (context.member is None or not context.member.can(button.role)):
        await context.answer(texts.REFUSED_ROLE, alert=True)
        return
    context.button = data
    await button.handler(update, context)
    await context.answer()  # no-op when the handler answered


async def on_help(update: Update, context: DeskContext) -> None:
    """/help: what to do, and the commands this user's role may use."""
    role = context.member.role if context.member else None
    group = update.effective_chat.type != ChatType.PRIVATE
    if context.member is None:
        await update.effective_message.reply_text(texts.NOT_REGISTERED)
        return
    lines = [texts.HELP_HEADER]
    lines += [texts.HELP_LINE.format(name=c.name, description=escape(c.description))
              for c in registry_of(context.application).menu(role, group=group)]
    if group:
        lines.append("\n" + texts.GROUPS_REGISTERED_HINT)
    await update.effective_message.reply_text("\n".join(lines))


def bot_commands(commands: Sequence[Command]) -> list[BotCommand]:
    return [BotCommand(c.name, c.description) for c in commands]


async def set_default_menus(application: Application) -> None:
    """Menus for people without a personal one: unregistered private chats, and group chats."""
    registry = registry_of(application)
    await _safe(application.bot.set_my_commands(bot_commands(registry.menu(None)), scope=BotCommandScopeAllPrivateChats()))
    await _safe(application.bot.set_my_commands(
        bot_commands(registry.menu("staff", group=True)), scope=BotCommandScopeAllGroupChats()
    ))


async def set_menu(application: Application, chat_id: int, role: str | None) -> None:
    """The personal menu of one user (None: back to the default, e.g. after removal)."""
    scope = BotCommandScopeChat(chat_id)
    if role is None:
        await _safe(application.bot.delete_my_commands(scope=scope))
    else:
        await _safe(application.bot.set_my_commands(bot_commands(registry_of(application).menu(role)), scope=scope))


async def _safe(call: Awaitable[Any]) -> None:
    # A menu is a convenience: a user who never opened the chat ("chat not found") must not stop anything.
    try:
        await call
    except TelegramError as exc:
        log.warning("could not set a command menu: %s", exc)
