"""/start (with an invitation code), /invite, /users, /role, /remove."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.error import TelegramError

from bot.services.access import Member, Refused, Registration
from bot.telegram import texts
from bot.telegram.commands import set_menu
from bot.telegram.context import DeskContext
from bot.telegram.render import pack

log = logging.getLogger(__name__)

REGISTRATION_TEXTS = {
    Registration.UNKNOWN: texts.INVITE_UNKNOWN,
    Registration.EXPIRED: texts.INVITE_EXPIRED,
    Registration.USED_UP: texts.INVITE_USED_UP,
}
REFUSAL_TEXTS = {
    Refused.ROLE: texts.REFUSED_ROLE,
    Refused.NOT_FOUND: texts.REFUSED_NOT_FOUND,
    Refused.SELF: texts.REFUSED_SELF,
    Refused.CONFIG_MANAGER: texts.REFUSED_CONFIG_MANAGER,
}


def role_label(role: str) -> str:
    return texts.ROLE_LABELS.get(role, role)


def display(member: Member) -> str:
    """Escaped name for messages: the name, else @username, else the id."""
    return escape(member.name or (f"@{member.username}" if member.username else str(member.telegram_id)))


async def on_start(update: Update, context: DeskContext) -> None:
    """/start [code]: register with an invitation code, or greet."""
    user = update.effective_user
    message = update.effective_message
    member = context.member
    code = context.args[0] if context.args else ""
    if not code:
        if member is None:
            await message.reply_text(texts.NOT_REGISTERED)
        else:
            await message.reply_text(texts.WELCOME_BACK.format(name=escape(user.first_name)))
        return
    if member is not None:
        await message.reply_text(texts.ALREADY_REGISTERED.format(
            department=escape(member.department or texts.USERS_NO_DEPARTMENT), role=role_label(member.role)))
        return
    result = await context.core.access.register(code, telegram_id=user.id, name=user.full_name,
                                                username=user.username or "")
    if result is Registration.ALREADY:  # registered meanwhile (cannot happen with per-user ordering)
        result = Registration.UNKNOWN
    if result is not Registration.OK:
        log.info("registration refused for user %s: %s", user.id, result.value)
        await message.reply_text(REGISTRATION_TEXTS[result])
        return
    member = await context.core.access.identify(user.id, user.full_name, user.username or "")
    log.info("user %s registered (%s)", user.id, member.role)
    await set_menu(context.application, user.id, member.role)
    await message.reply_text(texts.WELCOME_NEW.format(
        name=escape(user.first_name), department=escape(member.department), role=role_label(member.role)))


async def on_invite(update: Update, context: DeskContext) -> None:
    """/invite <部门> [staff|trainer|manager]: a deep link that registers one colleague."""
    args = list(context.args or [])
    role = "staff"
    if len(args) >= 2 and args[-1].lower() in texts.ROLE_WORDS:
        role = texts.ROLE_WORDS[args.pop().lower()]
    department = " ".join(args).strip()
    if not department or len(department) > 50:
        await update.effective_message.reply_text(texts.INVITE_USAGE)
        return
    invitation = await context.core.access.invite(context.member, department, role)
    if isinstance(invitation, Refused):
        await update.effective_message.reply_text(texts.INVITE_ROLE_REFUSED)
        return
    link = f"https://t.me/{context.bot.username}?start={invitation.code}"
    expires = invitation.expires_at.astimezone(context.bot.defaults.tzinfo).strftime("%Y-%m-%d %H:%M")
    await update.effective_message.reply_text(texts.INVITE_CREATED.format(
        department=escape(department), role=role_label(role), link=escape(link), expires=expires,
        uses=invitation.max_uses))


async def on_users(update: Update, context: DeskContext) -> None:
    """/users [部门]: registered colleagues by department."""
    department = " ".join(context.args or []).strip()
    members = await context.core.access.members(department or None)
    if not members:
        await update.effective_message.reply_text(texts.USERS_EMPTY)
        return
    lines: list[str] = []
    for dept in dict.fromkeys(m.department for m in members):
        group = [m for m in members if m.department == dept]
        lines.append(texts.USERS_HEADER.format(department=escape(dept or texts.USERS_NO_DEPARTMENT), count=len(group)))
        lines += [texts.USERS_LINE.format(
            name=escape(m.name or "-"), username=escape(f" @{m.username}") if m.username else "",
            role=role_label(m.role), id=m.telegram_id) for m in group]
        lines.append("")
    for chunk in pack(lines):  # lines are short, balanced HTML: pack them whole
        await update.effective_message.reply_text(chunk)


async def on_role(update: Update, context: DeskContext) -> None:
    """/role <@username|id> <staff|trainer|manager>: change a colleague's role."""
    args = context.args or []
    if len(args) != 2 or args[1].lower() not in texts.ROLE_WORDS:
        await update.effective_message.reply_text(texts.ROLE_USAGE)
        return
    role = texts.ROLE_WORDS[args[1].lower()]
    result = await context.core.access.change_role(context.member, args[0], role)
    if isinstance(result, Refused):
        await update.effective_message.reply_text(REFUSAL_TEXTS[result])
        return
    log.info("user %s set role of %s to %s", context.member.telegram_id, result.telegram_id, role)
    await set_menu(context.application, result.telegram_id, role)
    await update.effective_message.reply_text(texts.ROLE_CHANGED.format(name=display(result), role=role_label(role)))
    await _notify(context, result.telegram_id, texts.ROLE_NOTICE.format(role=role_label(role)))


async def on_remove(update: Update, context: DeskContext) -> None:
    """/remove <@username|id>: a colleague loses access."""
    args = context.args or []
    if len(args) != 1:
        await update.effective_message.reply_text(texts.REMOVE_USAGE)
        return
    result = await context.core.access.remove(context.member, args[0])
    if isinstance(result, Refused):
        await update.effective_message.reply_text(REFUSAL_TEXTS[result])
        return
    log.info("user %s removed %s", context.member.telegram_id, result.telegram_id)
    await set_menu(context.application, result.telegram_id, None)
    await update.effective_message.reply_text(texts.REMOVED.format(name=display(result)))


async def _notify(context: DeskContext, chat_id: int, text: str) -> None:
    # A courtesy message; the user may have blocked the bot, which must not fail the manager's command.
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError as exc:
        log.info("could not notify user %s: %s", chat_id, exc)
