"""/triage in chat: one question per message, edited in place as the officer taps; the record at the end.

Callback data (see callbacks.py): ``tc:<session>:<n>:<choice>`` answer question n, ``tb:<session>:<n>`` back,
``tx:<session>`` leave, ``ts:<question>`` start from the 逐步判定 button under an answer. The service checks
that the session is the presser's and still at question n, so stale, double-tapped or forged buttons change
nothing and only get a short notice.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.services.triage import TriageClosed, TriageResult, TriageStep
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.handlers.asking import edit
from bot.telegram.render import MAX_MESSAGE, split_text
from bot.triage.texts import CANCELLED_TEXT, TITLE, articles_text

CHANNEL = "telegram"
BUTTON_BACK = "⬅️ 上一步"
BUTTON_QUIT = "✖️ 退出"
CLOSED_NOTICE = "这个按钮已失效，输入 /triage 重新开始。"
RESULT_HEADER = "以下判定记录可以直接复制到案卷（点一下灰色区域即可复制）："


def step_html(step: TriageStep) -> str:
    s = step.step
    lines = [f"<b>{TITLE} · 第{step.number}问：{escape(s.title)}</b>（{articles_text(s.articles)}）",
             "", escape(s.question)]
    if s.hint:
        lines += ["", f"<i>提示：{escape(s.hint)}</i>"]
    return "\n".join(lines)


def step_keyboard(step: TriageStep) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(c.label, callback_data=encode("tc", step.session_id, step.number, i))]
            for i, c in enumerate(step.choices)]
    last = [InlineKeyboardButton(BUTTON_QUIT, callback_data=encode("tx", step.session_id))]
    if step.can_go_back:
        last.insert(0, InlineKeyboardButton(BUTTON_BACK, callback_data=encode("tb", step.session_id, step.number)))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


def result_messages(result: TriageResult) -> list[str]:
    """The verdict as a headline and the record in a copyable block (split plainly if it is too long)."""
    head = f"<b>【{escape(result.outcome.verdict.label)}】</b>{RESULT_HEADER}"
    block = f"{head}\n<pre>{escape(result.summary)}</pre>"
    if len(block) <= MAX_MESSAGE:
        return [block]
    return [head, *split_text(result.summary)]


async def show(context: DeskContext, chat_id: int, outcome: TriageStep | TriageResult,
               message: Message | None = None) -> None:
    """Put a question or the result in ``message`` (edited in place), or send it anew."""
    if isinstance(outcome, TriageStep):
        html, markup = step_html(outcome), step_keyboard(outcome)
        if message is not None:
            await edit(message, html, markup)
        else:
            await context.bot.send_message(chat_id, html, reply_markup=markup)
        return
    messages = result_messages(outcome)
    if message is not None:
        await edit(message, messages[0], None)
        messages = messages[1:]
    for html in messages:
        await context.bot.send_message(chat_id, html)


async def on_triage(update: Update, context: DeskContext) -> None:
    """/triage: start a guided triage (a new one replaces any left open)."""
    step = await context.core.triage.start(context.member.telegram_id, channel=CHANNEL)
    await show(context, update.effective_chat.id, step)


async def on_start_from_answer(update: Update, context: DeskContext) -> None:
    """🧭 逐步判定 under an answer: a triage linked to that question, as a new message."""
    (question_id,) = context.button.args
    if update.effective_chat is None:
        await context.answer(CLOSED_NOTICE)
        return
    step = await context.core.triage.start_from_question(context.member.telegram_id, question_id, channel=CHANNEL)
    if isinstance(step, TriageClosed):
        await context.answer(step.message, alert=True)
        return
    await context.answer()
    await show(context, update.effective_chat.id, step)


async def _after(update: Update, context: DeskContext, outcome: TriageStep | TriageResult | TriageClosed) -> None:
    if isinstance(outcome, TriageClosed):
        # Leave the message alone: after a double tap it already shows the next question.
        await context.answer(outcome.message)
        return
    await context.answer()
    if update.effective_chat is None:  # a button on an inline message: nowhere to show the next step
        return
    message = update.callback_query.message
    await show(context, update.effective_chat.id, outcome, message if isinstance(message, Message) else None)


async def on_choice(update: Update, context: DeskContext) -> None:
    """An answer button: the next question, or the verdict and the record."""
    session_id, number, index = context.button.args
    outcome = await context.core.triage.choose(context.member.telegram_id, session_id, number, index)
    await _after(update, context, outcome)


async def on_back(update: Update, context: DeskContext) -> None:
    """⬅️ 上一步: the previous question again."""
    session_id, number = context.button.args
    outcome = await context.core.triage.back(context.member.telegram_id, session_id, number)
    await _after(update, context, outcome)


async def on_quit(update: Update, context: DeskContext) -> None:
    """✖️ 退出: end the triage."""
    (session_id,) = context.button.args
    if not await context.core.triage.cancel(context.member.telegram_id, session_id):
        await context.answer(CLOSED_NOTICE)
        return
    await context.answer()
    message = update.callback_query.message
    if isinstance(message, Message):
        await edit(message, escape(CANCELLED_TEXT), None)
