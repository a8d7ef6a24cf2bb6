"""Triage in words: the question to show, and the summary an officer pastes into the case file.

Plain text only; Telegram escapes these strings before adding its own tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.content.numerals import article_label
from bot.presenting import RELEASE_REMINDER
from bot.triage.walk import Outcome, Position

LAW = "《政府信息公开条例》"
TITLE = "逐步判定"
CANCELLED_TEXT = "已退出逐步判定。随时输入 /triage 重新开始。"


def articles_text(articles: Iterable[int]) -> str:
    """第二条、第十条 (sorted, without duplicates)."""
    return "、".join(article_label(a) for a in sorted(set(articles)))


def question_lines(position: Position) -> list[str]:
    """The heading, the question and its hint (the choices are buttons or numbered lines)."""
    step = position.step
    assert step is not None
    lines = [f"{TITLE} · 第{position.number}问：{step.title}（{articles_text(step.articles)}）", step.question]
    if step.hint:
        lines.append("提示：" + step.hint)
    return lines


def step_record(number: int, taken_step_title: str, articles: Iterable[int], record: str) -> str:
    return f"{number}. {taken_step_title}（{articles_text(articles)}）：{record}"


def summary_lines(outcome: Outcome, *, on: date | None = None, subject: str = "") -> list[str]:
    """The case-file record: conclusion, every step with its articles, the basis, caveats and reminder."""
    lines = ["政府信息公开申请处理意见（逐步判定记录）"]
    if subject:
        lines.append(f"事项：{subject}")
    if on is not None:
        lines.append(f"判定日期：{on.isoformat()}")
    lines.append(f"结论：{outcome.verdict.label}")
    lines.append("判定过程：")
    for n, t in enumerate(outcome.taken, 1):
        lines.append(step_record(n, t.step.title, (*t.step.articles, *t.choice.articles), t.choice.record))
    if outcome.skipped is not None:
        lines.append(f"（无需保护的内容，不需要“{outcome.skipped.title}”。）")
    lines.append(f"依据：{LAW}{articles_text(outcome.articles)}")
    if outcome.caveats:
        lines.append("注意事项：")
        lines += [f"{n}. {c}" for n, c in enumerate(outcome.caveats, 1)]
    if outcome.verdict.leads_to_release:
        lines.append(RELEASE_REMINDER)
    lines.append("（本记录由政务公开助手按条例逐步生成，供内部参考，最终以本机关审核决定为准。）")
    return lines


def summary_text(outcome: Outcome, *, on: date | None = None, subject: str = "") -> str:
    return "\n".join(summary_lines(outcome, on=on, subject=subject))
