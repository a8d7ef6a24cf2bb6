"""Managers in Telegram: /report [部门] (paged), /export and /export csv (documents), /stats (a chart)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update

from bot.reports.service import Page
from bot.telegram.callbacks import encode
from bot.telegram.context import DeskContext
from bot.telegram.handlers.asking import edit
from bot.telegram.render import MAX_MESSAGE

NO_DEPARTMENT = "没有找到部门「{name}」。现有部门：{known}"
EXPORT_CAPTION = "培训完成情况、测验记录、题目统计、知识缺口、每周提问（{date}）"
CSV_CAPTION = "CSV 文件（UTF-8，可用 Excel 打开）：{name}"
STATS_CAPTION = "左：各部门培训完成情况；右：每周提问（按结论）。"
PAGE_FOOTER = "\n\n第 {number}/{pages} 页"


def _page_text(page: Page) -> str:
    footer = PAGE_FOOTER.format(number=page.number, pages=page.pages) if page.pages > 1 else ""
    text = escape(page.text)
    budget = MAX_MESSAGE - len(footer) - 1
    return (text if len(text) <= budget else text[:budget].rsplit("\n", 1)[0] + "\n…") + footer


def _page_keyboard(department: int, page: Page) -> InlineKeyboardMarkup | None:
    row = []
    if page.number > 1:
        row.append(InlineKeyboardButton("◀ 上一页", callback_data=encode("rp", department, page.number - 1)))
    if page.number < page.pages:
        row.append(InlineKeyboardButton("下一页 ▶", callback_data=encode("rp", department, page.number + 1)))
    return InlineKeyboardMarkup([row]) if row else None


async def on_report(update: Update, context: DeskContext) -> None:
    """/report [部门]: completion per person and a rollup per department, a page at a time."""
    reports = context.core.reports
    name = " ".join(context.args or []).strip()
    departments = await reports.departments()
    if name and name not in departments:
        known = "、".join(departments) or "（还没有）"
        await update.effective_message.reply_text(escape(NO_DEPARTMENT.format(name=name, known=known)))
        return
    index = departments.index(name) + 1 if name else 0  # callback data carries the index, never the name
    page = await reports.page(1, name or None)
    await update.effective_message.reply_text(_page_text(page), reply_markup=_page_keyboard(index, page))


async def on_report_page(update: Update, context: DeskContext) -> None:
    """◀ / ▶ under a report."""
    index, number = context.button.args
    departments = await context.core.reports.departments()
    if index > len(departments):
        await context.answer("部门列表已变化，请重新发送 /report。")
        return
    await context.answer()
    department = departments[index - 1] if index else None
    page = await context.core.reports.page(number, department)
    message = update.callback_query.message
    if isinstance(message, Message):
        await edit(message, _page_text(page), _page_keyboard(index, page))


async def on_export(update: Update, context: DeskContext) -> None:
    """/export: the Excel workbook; /export csv: the same tables as CSV files."""
    reports = context.core.reports
    chat_id = update.effective_chat.id
    if [a.lower() for a in context.args or []] == ["csv"]:
        for file in await reports.csv_files():
            await context.bot.send_document(chat_id, InputFile(file.content, filename=file.filename),
                                            caption=escape(CSV_CAPTION.format(name=file.filename)))
        return
    file = await reports.workbook()
    today = context.core.quizzes.today().isoformat()
    await context.bot.send_document(chat_id, InputFile(file.content, filename=file.filename),
                                    caption=escape(EXPORT_CAPTION.format(date=today)))


async def on_stats(update: Update, context: DeskContext) -> None:
    """/stats: completion by department and questions per week by verdict, as a picture."""
    chart = await context.core.reports.chart()
    caption = STATS_CAPTION + (f"\n{chart.caption}" if chart.caption else "")
    await context.bot.send_photo(update.effective_chat.id, InputFile(chart.png, filename="stats.png"),
                                 caption=escape(caption[:1000]))
