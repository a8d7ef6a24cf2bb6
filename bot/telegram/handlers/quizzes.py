"""Quizzes in chat: /quiz, one question per message with buttons, results and retries; /push and /reassign.

Callback data (see callbacks.py): ``qs:<quiz key>`` start or resume, ``qa:<attempt>:<n>:<option>`` answer,
``qt:<attempt>:<n>:<option>`` tick or untick (multiple choice), ``qc:<attempt>:<n>`` submit the ticks,
``qr:<attempt>`` retry. Options are display positions in the attempt's stored shuffle; the service checks
that the attempt belongs to the presser and that the question is the open one, so a stale, replayed or
forged button only gets "此题已关闭".
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.quiz import texts
from bot.quiz.bank import QuestionType
from bot.quiz.reminders import parse_due
from bot.services.quiz_push import Delivery
from bot.services.quizzes import CLOSED_TEXT, Answered, AttemptResult, QuestionStep, Refusal, Refused
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.pacing import deliver_paced, gate_of
from bot.telegram.quiz_notices import quiz_by_key, sender, start_button
from bot.telegram.render import pack

CHANNEL = "telegram"
EDIT_HARMLESS = ("message is not modified",)
EDIT_GONE = ("message to edit not found", "message can't be edited")
SUBMIT = "提交"
RETRY = "再做一次"
PER_ROW = 4


# ---------------------------------------------------------------- rendering


def step_keyboard(step: QuestionStep) -> InlineKeyboardMarkup:
    """Letter buttons (对/错 for true/false); multiple choice toggles ☐/☑ and has 提交."""
    if step.question.type is QuestionType.MULTIPLE:
        buttons = [
            InlineKeyboardButton(f"{'☑' if i in step.selected else '☐'} {texts.LETTERS[i]}",
                                 callback_data=encode("qt", step.attempt_id, step.position, i))
            for i in range(len(step.options))
        ]
        rows = [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
        rows.append([InlineKeyboardButton(SUBMIT, callback_data=encode("qc", step.attempt_id, step.position))])
        return InlineKeyboardMarkup(rows)
    labels = step.options if step.question.type is QuestionType.TRUE_FALSE else texts.LETTERS[: len(step.options)]
    buttons = [
        InlineKeyboardButton(label, callback_data=encode("qa", step.attempt_id, step.position, i))
        for i, label in enumerate(labels)
    ]
    return InlineKeyboardMarkup([buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)])


def step_text(step: QuestionStep) -> str:
    hint = "（可多选：点选后按「提交」）" if step.question.type is QuestionType.MULTIPLE else ""
    return texts.question_text(step, texts.HTML) + (f"\n\n{hint}" if hint else "")


async def send_outcome(context: DeskContext, chat_id: int, outcome: QuestionStep | AttemptResult | Refused) -> None:
    """The next question, the result (with 再做一次 while attempts remain), or why not."""
    if isinstance(outcome, Refused):
        await context.bot.send_message(chat_id, texts.HTML.escape(outcome.message))
        return
    if isinstance(outcome, QuestionStep):
        await context.bot.send_message(chat_id, step_text(outcome), reply_markup=step_keyboard(outcome))
        return
    messages = pack(texts.result_text(outcome, texts.HTML).split("\n"))
    retry = None
    if outcome.can_retry:
        retry = InlineKeyboardMarkup([[InlineKeyboardButton(RETRY, callback_data=encode("qr", outcome.attempt.id))]])
    for i, html in enumerate(messages):
        await context.bot.send_message(chat_id, html, reply_markup=retry if i == len(messages) - 1 else None)


async def edit(context: DeskContext, message: Message | None, html: str | None,
               markup: InlineKeyboardMarkup | None) -> None:
    """Edit a question message; unchanged is fine, and a message that is gone gets a new one instead."""
    if not isinstance(message, Message):
        return
    try:
        if html is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(html, reply_markup=markup)
    except BadRequest as exc:
        reason = str(exc).lower()
        if any(s in reason for s in EDIT_HARMLESS):
            return
        if html is not None and any(s in reason for s in EDIT_GONE):
            await context.bot.send_message(message.chat.id, html, reply_markup=markup)
            return
        raise


# ---------------------------------------------------------------- taking


async def on_quiz(update: Update, context: DeskContext) -> None:
    """/quiz: your assigned and open quizzes, a button each."""
    listing = await context.core.quizzes.overview(context.member.telegram_id)
    if not listing:
        await update.effective_message.reply_text("还没有可用的测验。")
        return
    lines = ["<b>我的测验</b>"] + [f"• {texts.listing_line(item, texts.HTML)}" for item in listing]
    rows = []
    for item in listing:
        verb = "继续" if item.open_attempt else ("练习" if item.assignment is None or not item.assignment.is_open else "开始")
        rows.append([start_button(item.quiz, f"{verb}：{item.quiz.title}")])
    await update.effective_message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


async def on_start_quiz(update: Update, context: DeskContext) -> None:
    """A quiz button: start a new attempt or resume the open one."""
    (key,) = context.button.args
    quiz = quiz_by_key(context.core.quizzes.banks, key)
    if quiz is None or update.effective_chat is None:
        await context.answer(CLOSED_TEXT)
        return
    await context.answer()
    outcome = await context.core.quizzes.start(context.member.telegram_id, quiz.id, channel=CHANNEL)
    await send_outcome(context, update.effective_chat.id, outcome)


async def on_answer(update: Update, context: DeskContext) -> None:
    """An option of a single-choice or true/false question: answered at once."""
    attempt_id, position, option = context.button.args
    answered = await context.core.quizzes.answer(context.member.telegram_id, attempt_id, position, (option,))
    await _after_answer(update, context, answered)


async def on_submit(update: Update, context: DeskContext) -> None:
    """提交 under a multiple-choice question: the ticked options are the answer."""
    attempt_id, position = context.button.args
    answered = await context.core.quizzes.answer(context.member.telegram_id, attempt_id, position)
    await _after_answer(update, context, answered)


async def _after_answer(update: Update, context: DeskContext, answered: Answered | Refused) -> None:
    # The service call before answering the query is one short write on the DB thread (milliseconds), and
    # its outcome is what the query answer says (✅/❌ or 此题已关闭); edits and the next question come after.
    if isinstance(answered, Refused):
        await context.answer(answered.message, alert=answered.reason is Refusal.EMPTY_SELECTION)
        return
    if answered.feedback.already or update.effective_chat is None:  # a double tap: counted once, shown once
        await context.answer(CLOSED_TEXT)
        return
    await context.answer("✅ 回答正确" if answered.feedback.correct else "❌ 回答错误")
    html = texts.feedback_text(answered.feedback, context.core.engine.kb.rules, texts.HTML)
    await edit(context, update.callback_query.message, html, None)
    await send_outcome(context, update.effective_chat.id, answered.next or answered.result)


async def on_toggle(update: Update, context: DeskContext) -> None:
    """☐/☑ under a multiple-choice question (the ticks are stored: they survive a restart)."""
    attempt_id, position, option = context.button.args
    step = await context.core.quizzes.toggle(context.member.telegram_id, attempt_id, position, option)
    if isinstance(step, Refused):
        await context.answer(step.message)
        return
    await context.answer()
    await edit(context, update.callback_query.message, None, step_keyboard(step))


async def on_retry(update: Update, context: DeskContext) -> None:
    """再做一次 under a result, while attempts remain."""
    (attempt_id,) = context.button.args
    outcome = await context.core.quizzes.retry(context.member.telegram_id, attempt_id, channel=CHANNEL)
    if isinstance(outcome, Refused) or update.effective_chat is None:
        await context.answer(outcome.message if isinstance(outcome, Refused) else CLOSED_TEXT)
        return
    await context.answer()
    if isinstance(update.callback_query.message, Message):
        await edit(context, update.callback_query.message, None, None)  # one retry per result
    await send_outcome(context, update.effective_chat.id, outcome)


# ---------------------------------------------------------------- assigning


def delivery_lines(delivery: Delivery) -> list[str]:
    lines = []
    if delivery.unreachable:
        names = "、".join(p.display for p in delivery.unreachable)
        lines.append(f"无法送达{texts.UNREACHABLE_HINT}：{names}")
    if delivery.failed:
        lines.append(f"发送失败（下次启动时自动重试）：{'、'.join(p.display for p, _ in delivery.failed)}")
    return lines


async def on_push(update: Update, context: DeskContext) -> None:
    """/push 测验编号 目标 [due=YYYY-MM-DD]: assign and notify (目标：@用户名、数字 id、部门、new、all)."""
    message = update.effective_message
    words = list(context.args or [])
    due_words = [w for w in words if w.startswith("due=")]
    words = [w for w in words if not w.startswith("due=")]
    usage = "用法：/push 测验编号 目标 [due=YYYY-MM-DD]\n" + texts.HTML.escape(
        "目标：@用户名、Telegram 数字 id、部门名称、new（新调岗且未通过者）或 all（全部工作人员）。")
    if len(words) < 2 or len(due_words) > 1:
        await message.reply_text(usage)
        return
    due = parse_due(due_words[0]) if due_words else None
    if due_words and due is None:
        await message.reply_text("截止日期格式应为 due=YYYY-MM-DD，例如 due=2026-06-30。")
        return
    pushed = await context.core.pushes.push(words[0], " ".join(words[1:]), due_on=due, by=context.member.telegram_id)
    if isinstance(pushed, Refused):
        await message.reply_text(texts.HTML.escape(pushed.message))
        return
    delivery = await deliver_paced(context.core.pushes, pushed.notices, sender(context.application),
                                    gate=gate_of(context.application))
    await message.reply_text(texts.push_report(pushed, delivery, texts.HTML))


async def on_reassign(update: Update, context: DeskContext) -> None:
    """/reassign @用户名或数字ID 新部门: record the move, flag as new, assign the onboarding tracks."""
    message = update.effective_message
    words = list(context.args or [])
    if len(words) < 2:
        await message.reply_text("用法：/reassign @用户名或数字ID 新部门")
        return
    moved = await context.core.pushes.reassign(words[0], " ".join(words[1:]), by=context.member.telegram_id)
    if isinstance(moved, Refused):
        await message.reply_text(texts.HTML.escape(moved.message))
        return
    delivery = await deliver_paced(context.core.pushes, moved.notices, sender(context.application),
                                    gate=gate_of(context.application))
    titles = "、".join(q.title for a in moved.assignments if (q := context.core.quizzes.banks.get(a.quiz_id)))
    lines = [
        f"已将 {moved.person.display} 从「{moved.from_department or '未填部门'}」调整到「{moved.person.department}」，标记为新调岗人员。",
        f"布置的入门测验：{titles or '（无）'}；本次通知送达 {len(delivery.reached)} 人。",
        *delivery_lines(delivery),
    ]
    await message.reply_text(texts.HTML.escape("\n".join(lines)))
