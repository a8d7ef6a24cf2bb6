"""/deadline, /cases and /close in chat, and naming a saved deadline by replying to the bot's prompt.

``/deadline 2025-01-02`` shows the dates under a 💾 button (``cs:<draft>``); the button sends a prompt the
officer replies to with a name (Telegram's force-reply), and that reply opens the case. The draft is found by
the prompt's message id and the replier, so nobody else's reply can name it.
"""

from __future__ import annotations

from html import escape

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import MessageHandler, filters

from bot.deadlines.reminders import local_today
from bot.deadlines.texts import cases_text, deadline_lines, parse_request, saved_text
from bot.services.cases import Refused
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.render import split_text

BUTTON_SAVE = "💾 保存为案件（到期前提醒）"
NAME_PROMPT = "请回复本条消息，写上案件名称"
NAME_PROMPT_TEXT = NAME_PROMPT + "（例如：张三申请-2025-001）。保存后每个期限前3个工作日提醒您。"
GONE = "这组日期已经保存过或已过期，请重新 /deadline 计算。"


async def _reply_plain(message: Message, text: str, **kwargs) -> None:
    parts = split_text(text)
    for i, html in enumerate(parts):
        await message.reply_text(html, **(kwargs if i == len(parts) - 1 else {}))


async def on_deadline(update: Update, context: DeskContext) -> None:
    """/deadline 收到日期 [征求 日期] [扣除 天数]: the due dates, with a button to save them as a case."""
    request = parse_request(" ".join(context.args or []))
    message = update.effective_message
    if isinstance(request, str):
        await _reply_plain(message, request)
        return
    drafted = await context.core.cases.draft(context.member.telegram_id, request)
    save = InlineKeyboardMarkup([[InlineKeyboardButton(BUTTON_SAVE, callback_data=encode("cs", drafted.case_id))]])
    await _reply_plain(message, "\n".join(deadline_lines(drafted.deadlines)), reply_markup=save)


async def on_save(update: Update, context: DeskContext) -> None:
    """💾 under the dates: ask for a name (the reply to this prompt saves the case)."""
    (case_id,) = context.button.args
    service = context.core.cases
    draft = await service.draft_of(context.member.telegram_id, case_id)
    if draft is None or update.effective_chat is None:
        await context.answer(GONE, alert=True)
        return
    await context.answer()
    prompt = await context.bot.send_message(
        update.effective_chat.id, escape(NAME_PROMPT_TEXT),
        reply_markup=ForceReply(selective=True, input_field_placeholder="案件名称"))
    await service.remember_prompt(case_id, prompt.message_id)


class _RepliesToNamePrompt(filters.MessageFilter):
    """A reply to the bot's name prompt (the database decides whose draft it names)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied is not None and replied.from_user is not None and replied.from_user.is_bot
                    and (replied.text or "").startswith(NAME_PROMPT))


NAME_REPLY = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND \
    & _RepliesToNamePrompt()


async def on_name_reply(update: Update, context: DeskContext) -> None:
    """The reply to the name prompt: open the case, or say why not (and ask again)."""
    message = update.effective_message
    member = context.member
    if member is None:
        return
    service = context.core.cases
    draft = await service.draft_for_reply(member.telegram_id, message.reply_to_message.message_id)
    if draft is None:
        await message.reply_text(escape(GONE))
        return
    saved = await service.name(member.telegram_id, draft.id, message.text)
    if isinstance(saved, Refused):
        await message.reply_text(escape(saved.message))
        if saved.retry:
            prompt = await message.reply_text(escape(NAME_PROMPT_TEXT),
                                              reply_markup=ForceReply(selective=True, input_field_placeholder="案件名称"))
            await service.remember_prompt(draft.id, prompt.message_id)
        return
    await message.reply_text(escape(saved_text(saved)))


def name_reply_handler() -> MessageHandler:
    """Add before the question handler: otherwise the name would be answered as a question."""
    return MessageHandler(NAME_REPLY, on_name_reply)


async def on_cases(update: Update, context: DeskContext) -> None:
    """/cases: your open cases and the working days left for each due date."""
    service = context.core.cases
    cases = await service.open_cases(context.member.telegram_id)
    await _reply_plain(update.effective_message, cases_text(cases, local_today(), service.calendar))


async def on_close(update: Update, context: DeskContext) -> None:
    """/close 编号或名称: close a case (its reminders stop)."""
    closed = await context.core.cases.close(context.member.telegram_id, " ".join(context.args or []))
    text = closed.message if isinstance(closed, Refused) else f"已结案：#{closed.id}「{closed.name}」，不再提醒。"
    await update.effective_message.reply_text(escape(text))
