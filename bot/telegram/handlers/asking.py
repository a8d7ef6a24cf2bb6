"""Questions and what follows them: the answer with buttons, 👍/👎 (and a reason), offered questions."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.matching.engine import Outcome
from bot.presenting import view
from bot.services.asking import Asked
from bot.services.followup import Offer, Rated
from bot.services.triage import offers_triage
from bot.telegram import texts
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.render import answer_keyboard, answer_messages, choices, without_kind

CHANNEL = "telegram"
EDIT_HARMLESS = ("not modified", "not found", "can't be edited")


def addressed_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """In a group, the question when the message @mentions the bot or replies to it; else None."""
    text = message.text or ""
    mention = f"@{bot_username}"
    mentioned = any(
        e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == mention.lower()
        for e in message.entities
    )
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None \
        and message.reply_to_message.from_user.id == bot_id
    if not (mentioned or replied):
        return None
    return re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip() if mentioned else text


async def on_text(update: Update, context: DeskContext) -> None:
    """Plain text from a member: a 👎 reason if one is awaited, otherwise a question."""
    message = update.effective_message
    member = context.member
    if member is None:
        return
    private = update.effective_chat.type == ChatType.PRIVATE
    if private:
        text = message.text
        if await context.core.followup.take_reason(member.telegram_id, text):
            await message.reply_text(texts.REASON_SAVED)
            return
    else:
        text = addressed_text(message, context.bot.id, context.bot.username)
        if text is None:
            return
    asked = await context.core.asking.ask(text, user_id=member.telegram_id, channel=CHANNEL,
                                          department=member.department)
    await send_answer(context, update.effective_chat.id, asked, quote=None if private else message)


async def send_answer(context: DeskContext, chat_id: int, asked: Asked, *, quote: Message | None = None,
                      replace: Message | None = None) -> None:
    """Render ``asked`` and send it (or put it in place of ``replace``); buttons go on the last part."""
    answer = asked.answer
    offered = choices(answer, context.core.engine.kb, context.core.config.matching.alternatives)
    await context.core.followup.offer(asked.question_id, [entry_id for entry_id, _ in offered])
    messages = answer_messages(view(answer), answer.outcome)
    keyboard = answer_keyboard(asked.question_id, [q for _, q in offered], rate=answer.outcome is Outcome.ANSWERED,
                               # 逐步判定 in private chats only (Telegram: private chat ids are positive)
                               triage=chat_id > 0 and offers_triage(answer, context.core.config.matching.answer_threshold))
    for i, html in enumerate(messages):
        markup = keyboard if i == len(messages) - 1 else None
        if i == 0 and replace is not None:
            await edit(replace, html, markup)
        elif i == 0 and quote is not None:
            await quote.reply_text(html, reply_markup=markup, do_quote=True)
        else:
            await context.bot.send_message(chat_id, html, reply_markup=markup)


async def edit(message: Message, html: str | None, markup: InlineKeyboardMarkup | None) -> None:
    """Edit text (or only the keyboard, when ``html`` is None). An unchanged, deleted or too old message
    is not an error: a double tap, or a button under a message that is gone."""
    try:
        if html is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(html, reply_markup=markup)
    except BadRequest as exc:
        if not any(s in str(exc).lower() for s in EDIT_HARMLESS):
            raise


async def on_rate(update: Update, context: DeskContext) -> None:
    """👍 / 👎 under an answer: recorded once; 👎 files a gap and offers to take a reason."""
    question_id, helpful = context.button.args
    if helpful not in (0, 1):
        await context.answer(texts.BUTTON_EXPIRED)
        return
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    member = context.member
    result = await context.core.followup.rate(question_id, user_id=member.telegram_id, helpful=bool(helpful),
                                              department=member.department, await_reason=private)
    if result is Rated.NOT_YOURS:
        await context.answer(texts.NOT_YOURS, alert=True)
        return
    if result is Rated.ALREADY:
        await context.answer(texts.ALREADY_RATED)
        return
    await context.answer(texts.THANKS_HELPFUL if helpful else texts.THANKS_UNHELPFUL)
    message = update.callback_query.message
    if isinstance(message, Message):
        await edit(message, None, without_kind(message.reply_markup, "r"))
    if not helpful and private:
        skip = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_SKIP, callback_data=encode("s", question_id))]])
        minutes = int(context.core.followup.reason_window.total_seconds() // 60)
        await context.bot.send_message(update.effective_chat.id, texts.ASK_REASON.format(minutes=minutes),
                                       reply_markup=skip)


async def on_skip(update: Update, context: DeskContext) -> None:
    """「跳过」 under the reason prompt: stop waiting for a reason."""
    (question_id,) = context.button.args
    await context.core.followup.skip_reason(context.member.telegram_id, question_id)
    await context.answer(texts.REASON_SKIPPED)
    message = update.callback_query.message
    if isinstance(message, Message):
        await edit(message, None, None)


async def on_choose(update: Update, context: DeskContext) -> None:
    """An offered question: answered in place of a "did you mean" list, or as a new message under an answer."""
    question_id, position = context.button.args
    member = context.member
    if update.effective_chat is None:  # a button on an inline message: there is no chat to answer in
        await context.answer(texts.BUTTON_EXPIRED)
        return
    offer = await context.core.followup.offered(question_id, position, user_id=member.telegram_id)
    if not isinstance(offer, Offer):
        await context.answer(texts.NOT_YOURS, alert=True)
        return
    asked = await context.core.asking.ask_entry(offer.entry_id, user_id=member.telegram_id, channel=CHANNEL,
                                                department=member.department)
    if asked is None:  # the entry was removed by a reload since the button was sent
        await context.answer(texts.BUTTON_EXPIRED)
        return
    await context.answer()
    message = update.callback_query.message
    in_place = not offer.answered and isinstance(message, Message)
    await send_answer(context, update.effective_chat.id, asked, replace=message if in_place else None)
