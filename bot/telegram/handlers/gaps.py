"""Trainers in Telegram: /gaps (grouped list → a group → 关联已有答案 / 新增答案 / 忽略), /reload.

The 新增答案 dialogue lives in SQLite (``TeachingDialogue``); its prompts start with ``MARK`` and ask for
a reply (ForceReply), so the trainer's answer reaches ``on_draft_reply`` rather than being asked as a
question. The verdict and the final confirmation are buttons. When a gap is answered, everyone who asked
is sent the answer.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from html import escape

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import MessageHandler, filters

from bot.gaps.texts import GAPS_HEADER, NO_GAPS, NOTICE_HEADER, group_lines, reloaded_text, taught_text
from bot.presenting import view
from bot.services.gaps import GapGroup
from bot.services.teaching import Notice, Taught
from bot.services.teaching_dialogue import VERDICTS, Prompt, TeachingDialogue
from bot.telegram import texts
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.handlers.asking import edit
from bot.telegram.pacing import IN_FLIGHT, gate_of
from bot.telegram.render import answer_messages, pack, short, split_text

log = logging.getLogger(__name__)

MARK = "【新增答案】"
PER_PAGE = 5
MAX_PHRASINGS = 10
LINK_PROMPT = "关联到哪条已有答案？这组问题的问法会加入所选答案，立即生效："
NO_CANDIDATES = "没有找到相近的已有答案，请用「新增答案」。"
GONE = "这组问题已经处理过了。"
IGNORED = "已忽略 {n} 条，不再显示。"
NOTIFIED = "已通知提问的 {sent} 人。"
NOT_DELIVERED = "（{failed} 人未送达：对方可能停用了本助手。）"


def entry_key(entry_id: str) -> int:
    """A short, stable number for an entry id (callback data carries no text)."""
    return zlib.crc32(entry_id.encode("utf-8"))


async def _groups_page(context: DeskContext, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    groups = await context.core.gaps.groups()
    if not groups:
        return escape(NO_GAPS), None
    pages = (len(groups) + PER_PAGE - 1) // PER_PAGE
    page = min(max(page, 1), pages)
    shown = groups[(page - 1) * PER_PAGE: page * PER_PAGE]
    lines = [GAPS_HEADER.format(groups=len(groups), gaps=sum(g.count for g in groups))]
    first = (page - 1) * PER_PAGE + 1
    for n, group in enumerate(shown, first):
        lines += group_lines(n, group, context.core.engine.kb)
    lines.append(f"第 {page}/{pages} 页。点序号处理该组问题。")
    rows = [[InlineKeyboardButton(str(n), callback_data=encode("gv", g.key)) for n, g in enumerate(shown, first)]]
    nav = []
    if page > 1:
        nav.append(InlineKeyboardButton("◀ 上一页", callback_data=encode("gp", page - 1)))
    if page < pages:
        nav.append(InlineKeyboardButton("下一页 ▶", callback_data=encode("gp", page + 1)))
    if nav:
        rows.append(nav)
    return _fit(lines), InlineKeyboardMarkup(rows)


def _fit(lines: list[str]) -> str:
    """Escaped lines in one message (a page of five groups fits; the cut is a safety net)."""
    return split_text("\n".join(lines))[0]


async def on_gaps(update: Update, context: DeskContext) -> None:
    """/gaps: questions the bot could not answer, grouped, five groups a page."""
    text, markup = await _groups_page(context, 1)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def on_gaps_page(update: Update, context: DeskContext) -> None:
    """◀ / ▶ under the /gaps list."""
    (page,) = context.button.args
    await context.answer()
    text, markup = await _groups_page(context, page)
    if isinstance(update.callback_query.message, Message):
        await edit(update.callback_query.message, text, markup)


def _group_text(group: GapGroup, context: DeskContext) -> str:
    lines = group_lines(1, group, context.core.engine.kb)
    lines[0] = lines[0].removeprefix("1. ")
    lines.append("问法：")
    lines += [f"  · {p}" for p in group.phrasings[:MAX_PHRASINGS]]
    if len(group.phrasings) > MAX_PHRASINGS:
        lines.append(f"  ……共 {len(group.phrasings)} 种问法")
    return _fit(lines)


async def _pressed_group(context: DeskContext) -> tuple[int, GapGroup | None]:
    """The group a button names, with the query answered; (key, None) after saying it is gone."""
    (key,) = context.button.args
    group = await context.core.gaps.group(key)
    await context.answer(GONE if group is None else None)
    return key, group


async def on_group(update: Update, context: DeskContext) -> None:
    """A group from the list: its details and the three things a trainer can do with it."""
    key, group = await _pressed_group(context)
    if group is None:
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton("关联已有答案", callback_data=encode("gl", key)),
        InlineKeyboardButton("新增答案", callback_data=encode("gn", key)),
        InlineKeyboardButton("忽略", callback_data=encode("gi", key)),
    ]])
    await context.bot.send_message(update.effective_chat.id, _group_text(group, context), reply_markup=markup)


async def on_link_menu(update: Update, context: DeskContext) -> None:
    """关联已有答案: the closest existing entries as buttons."""
    key, group = await _pressed_group(context)
    if group is None:
        return
    candidates = context.core.gaps.candidates(group)
    if not candidates:
        await context.bot.send_message(update.effective_chat.id, escape(NO_CANDIDATES))
        return
    rows = [[InlineKeyboardButton(short(c.question), callback_data=encode("gk", key, entry_key(c.entry_id)))]
            for c in candidates]
    lines = [LINK_PROMPT] + [f"{n}. {c.question}（{c.entry_id}）" for n, c in enumerate(candidates, 1)]
    await context.bot.send_message(update.effective_chat.id, _fit(lines), reply_markup=InlineKeyboardMarkup(rows))


async def on_link(update: Update, context: DeskContext) -> None:
    """A candidate entry: link the group to it, live at once, and tell the askers."""
    key, wanted = context.button.args
    entry_id = next((e for e in context.core.engine.kb.entries if entry_key(e) == wanted), None)
    if entry_id is None:  # the entry went away in a reload since the button was sent
        await context.answer(texts.BUTTON_EXPIRED)
        return
    await context.answer()
    taught = await context.core.teaching.link(key, entry_id, by=context.member.telegram_id)
    await _report_taught(update, context, taught)


async def on_ignore(update: Update, context: DeskContext) -> None:
    """忽略: the group is set aside."""
    (key,) = context.button.args
    closed = await context.core.gaps.ignore(key, by=context.member.telegram_id)
    await context.answer(IGNORED.format(n=closed) if closed else GONE)
    if isinstance(update.callback_query.message, Message):
        await edit(update.callback_query.message, None, None)


async def _report_taught(update: Update, context: DeskContext, taught: Taught) -> None:
    text = taught_text(taught)
    if taught.ok:
        sent, failed = await notify(context, taught.notices)
        text += "\n" + NOTIFIED.format(sent=sent) + (NOT_DELIVERED.format(failed=failed) if failed else "")
    for chunk in split_text(text):
        await context.bot.send_message(update.effective_chat.id, chunk)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and taught.ok:
        await edit(query.message, None, None)


async def notify(context: DeskContext, notices: tuple[Notice, ...]) -> tuple[int, int]:
    """Send each asker the answer to what they asked, at Telegram's pace; (sent, not delivered)."""
    gate = gate_of(context.application)  # shared with pushes and reminders: together they stay under the limits
    slots = asyncio.Semaphore(IN_FLIGHT)  # hundreds of sends at once would exhaust the connection pool

    async def tell(notice: Notice) -> bool:
        header = f"{escape(NOTICE_HEADER)}\n<i>{escape(notice.question)}</i>"
        try:
            async with slots:
                for html in pack([header, "", *answer_messages(view(notice.answer), notice.answer.outcome)]):
                    await gate.wait(notice.user_id)
                    await context.bot.send_message(notice.user_id, html)
        except (Forbidden, BadRequest) as exc:  # blocked the bot, or never opened the chat
            log.info("could not tell user %s about a new answer: %s", notice.user_id, exc)
            return False
        return True

    # the console chat's user (0) has no Telegram chat
    results = await asyncio.gather(*(tell(n) for n in notices if n.user_id > 0))
    return sum(results), len(results) - sum(results)


# -- the new-answer dialogue ------------------------------------------------------------------------


def _dialogue(context: DeskContext) -> TeachingDialogue:
    return TeachingDialogue(context.core.teaching)


async def _send_prompt(update: Update, context: DeskContext, prompt: Prompt) -> None:
    """A step of the dialogue: verdict buttons, confirm buttons, or a prompt that asks for a reply."""
    chat_id = update.effective_chat.id
    text = split_text(MARK + prompt.text)[0]
    if prompt.taught is not None and prompt.taught.ok:
        await _report_taught(update, context, prompt.taught)
        return
    if not prompt.active:
        await context.bot.send_message(chat_id, text)
    elif prompt.step == "verdict":
        buttons = [InlineKeyboardButton(label, callback_data=encode("gd", n)) for n, (_, label) in enumerate(prompt.choices, 1)]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        await context.bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup(rows))
    elif prompt.step == "confirm":
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ 确认保存", callback_data=encode("gc", 1)),
                                        InlineKeyboardButton("取消", callback_data=encode("gc", 0))]])
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    else:
        await context.bot.send_message(chat_id, text, reply_markup=ForceReply(input_field_placeholder="回复这条消息"))


async def on_new(update: Update, context: DeskContext) -> None:
    """新增答案: start the dialogue for this group."""
    (key,) = context.button.args
    await context.answer()
    await _send_prompt(update, context, await _dialogue(context).start(context.member.telegram_id, key))


async def on_draft_verdict(update: Update, context: DeskContext) -> None:
    """A verdict button in the dialogue."""
    (n,) = context.button.args
    if not 1 <= n <= len(VERDICTS):
        await context.answer(texts.BUTTON_EXPIRED)
        return
    await context.answer()
    prompt = await _dialogue(context).reply(context.member.telegram_id, VERDICTS[n - 1].value)
    if isinstance(update.callback_query.message, Message):
        await edit(update.callback_query.message, None, None)
    await _send_prompt(update, context, prompt)


async def on_draft_confirm(update: Update, context: DeskContext) -> None:
    """✅ 确认保存 / 取消 under the summary."""
    (save,) = context.button.args
    await context.answer()
    dialogue = _dialogue(context)
    user = context.member.telegram_id
    prompt = await (dialogue.reply(user, "确认") if save == 1 else dialogue.cancel(user))
    if isinstance(update.callback_query.message, Message):
        await edit(update.callback_query.message, None, None)
    await _send_prompt(update, context, prompt)


class _RepliesToDraftPrompt(filters.MessageFilter):
    """A reply to one of the dialogue's prompts (the database knows which step it answers)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied is not None and replied.from_user is not None and replied.from_user.is_bot
                    and (replied.text or "").startswith(MARK))


DRAFT_REPLY = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND \
    & _RepliesToDraftPrompt()


def draft_reply_handler() -> MessageHandler:
    """Add before the question handler: otherwise the reply would be answered as a question."""
    return MessageHandler(DRAFT_REPLY, on_draft_reply)


async def on_draft_reply(update: Update, context: DeskContext) -> None:
    """The trainer's reply to a dialogue prompt: the next step."""
    member = context.member
    if member is None or not member.can("trainer"):
        await update.effective_message.reply_text(texts.REFUSED_ROLE)
        return
    prompt = await _dialogue(context).reply(member.telegram_id, update.effective_message.text)
    await _send_prompt(update, context, prompt)


async def on_reload(update: Update, context: DeskContext) -> None:
    """/reload: re-read knowledge/ and quizzes/; on errors the old ones stay and the problems are listed."""
    result = await context.core.reloader.reload()
    for chunk in split_text(reloaded_text(result)):
        await update.effective_message.reply_text(chunk)
