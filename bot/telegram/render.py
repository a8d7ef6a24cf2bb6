"""HTML for Telegram: escaping, splitting below 4096 characters, and the answer message with its buttons.

Splitting happens on plain text before tags are added, so a cut never falls inside a tag or an entity
(``&amp;``): every block returned by ``para`` is balanced HTML that fits in one message on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.models import KnowledgeBase
from bot.matching.engine import Answer, Outcome
from bot.presenting import AnswerView
from bot.telegram import texts
from bot.telegram.callbacks import decode, encode

MAX_MESSAGE = 4096  # Bot API limit, counted after entity parsing; HTML length is an upper bound
BUTTON_CHARS = 40
_BREAKS = ("\n", "。", "；", "，", " ", "、")


def para(raw: str, fmt: str = "{}", limit: int = MAX_MESSAGE) -> list[str]:
    """``raw`` escaped into ``fmt``, cut into as many blocks as needed to keep each within ``limit``."""
    budget = limit - len(fmt.format(""))
    return [fmt.format(escape(piece, quote=False)) for piece in _cut(raw, budget)]


def _cut(raw: str, budget: int) -> list[str]:
    pieces: list[str] = []
    rest = raw
    while len(escape(rest, quote=False)) > budget:
        size, end = 0, 0
        for i, ch in enumerate(rest):
            size += len(escape(ch, quote=False))
            if size > budget:
                break
            end = i + 1
        head = rest[:end]
        # Prefer a natural break in the second half of the piece; otherwise cut hard.
        cut = max((head.rfind(b) + 1 for b in _BREAKS), default=0)
        if cut < end // 2:
            cut = end
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def pack(blocks: Sequence[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks with newlines into as few messages as fit; ``""`` blocks become blank lines."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        messages.append(current)
        current = block
    messages.append(current)
    return [m.strip("\n") for m in messages if m.strip()]


def split_text(raw: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Plain text as escaped HTML messages within the limit (lines kept whole where possible)."""
    return pack([b for line in raw.split("\n") for b in para(line, limit=limit)], limit)


def answer_messages(view: AnswerView, outcome: Outcome) -> list[str]:
    """The reply for one answer: headline, body, 依据, 注意, reminder, notes; split if needed."""
    blocks = [*para(view.headline, "<b>【{}】</b>"), *para(view.body)]
    if view.basis:
        blocks += ["", f"<b>{texts.BASIS}</b>"]
        for b in view.basis:
            blocks += para(f"{b.citation}（{b.title}）：{b.summary}", "• {}")
    if view.caveats:
        blocks += ["", f"<b>{texts.CAVEATS}</b>"]
        for c in view.caveats:
            blocks += para(c, "• {}")
    if view.reminder:
        blocks += ["", *para(view.reminder, "<i>{}</i>")]
    for note in view.notes:
        blocks += para(note, "<i>{}</i>")
    if outcome is not Outcome.ANSWERED and view.suggestions:
        blocks += ["", *para(texts.SUGGEST_FOOTER)]
    return pack(blocks)


def choices(answer: Answer, kb: KnowledgeBase, limit: int) -> list[tuple[str, str]]:
    """(entry_id, question) offered as buttons: the entry's related questions and the engine's alternatives."""
    found: list[tuple[str, str]] = []
    related = answer.entry.related if answer.entry and answer.outcome is Outcome.ANSWERED else ()
    for entry_id in related:
        if entry_id in kb.entries:
            found.append((entry_id, kb.entries[entry_id].question))
    found += [(a.entry_id, a.question) for a in answer.alternatives]
    unique = list(dict.fromkeys(found))
    return unique[: max(limit, len(related))]


def short(text: str, size: int = BUTTON_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def answer_keyboard(question_id: int, offered: Sequence[str], *, rate: bool,
                    triage: bool = False) -> InlineKeyboardMarkup | None:
    """👍/👎 (for answers), one row per offered question, and 逐步判定 when the FAQ did not settle it;
    callback data carries ids only."""
    rows = []
    if rate:
        rows.append([
            InlineKeyboardButton(texts.BUTTON_HELPFUL, callback_data=encode("r", question_id, 1)),
            InlineKeyboardButton(texts.BUTTON_UNHELPFUL, callback_data=encode("r", question_id, 0)),
        ])
    prefix = "🔎 " if rate else ""
    for n, question in enumerate(offered):
        rows.append([InlineKeyboardButton(prefix + short(question), callback_data=encode("a", question_id, n))])
    if triage:
        rows.append([InlineKeyboardButton(texts.BUTTON_TRIAGE, callback_data=encode("ts", question_id))])
    return InlineKeyboardMarkup(rows) if rows else None


def without_kind(markup: InlineKeyboardMarkup | None, kind: str) -> InlineKeyboardMarkup | None:
    """The keyboard minus the buttons of one callback kind (e.g. the rating row once rated)."""
    if markup is None:
        return None
    rows = []
    for row in markup.inline_keyboard:
        kept = [b for b in row if not ((data := decode(b.callback_data)) and data.kind == kind)]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows) if rows else None
