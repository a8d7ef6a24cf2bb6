"""What an answer says, independent of where it is shown (console text, Telegram HTML, JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.matching.engine import Answer, Outcome

RELEASE_REMINDER = "发布前提醒：先按第十七条做公开前审查（含保密审查），并按第三十七条去除身份证号、住址、电话等个人信息。"
OUT_OF_SCOPE_TEXT = "这个问题不属于政府信息公开业务，我只回答信息公开方面的问题（公开属性判定、依申请办理、主动公开等）。"
UNKNOWN_TEXT = "这个问题我还答不准，不敢乱说。问题已记录并转给培训老师，补充答案后会通知您。处理前请先按第十四、十五、十六条逐项审查，拿不准的报本级政府信息公开主管部门。"
SUGGEST_TEXT = "我不确定您问的是哪一种情况。您是不是想问："
EMPTY_TEXT = "请直接输入您的问题，例如：“会议纪要有人申请公开，给不给？”"


@dataclass(frozen=True)
class Basis:
    citation: str  # 《政府信息公开条例》第十四条
    title: str
    summary: str


@dataclass(frozen=True)
class AnswerView:
    """The parts of a reply, in the order people read them."""

    headline: str  # verdict label, or a short status line
    body: str
    basis: tuple[Basis, ...] = ()
    caveats: tuple[str, ...] = ()
    reminder: str = ""
    notes: tuple[str, ...] = ()
    suggestions: tuple[tuple[str, str], ...] = ()  # (entry_id, question)


ONE_LINE = 80


def one_line(summary: str, limit: int = ONE_LINE) -> str:
    """A rule's summary cut to its first sentence, at most ``limit`` characters (the 依据 list stays short)."""
    first = summary.split("。")[0].strip()
    first = first if first.endswith(("。", "）")) else first + "。"
    return first if len(first) <= limit else first[: limit - 1] + "…"


def view(answer: Answer) -> AnswerView:
    if answer.outcome is Outcome.ANSWERED and answer.entry is not None:
        entry = answer.entry
        return AnswerView(
            headline=entry.verdict.label,
            body=entry.answer,
            basis=tuple(Basis(r.citation, r.title, one_line(r.summary)) for r in answer.rules),
            caveats=entry.caveats,
            reminder=RELEASE_REMINDER if entry.verdict.leads_to_release else "",
            notes=answer.notes,
            suggestions=tuple((a.entry_id, a.question) for a in answer.alternatives),
        )
    suggestions = tuple((a.entry_id, a.question) for a in answer.alternatives)
    if answer.outcome is Outcome.OUT_OF_SCOPE:
        return AnswerView(headline="不在服务范围", body=OUT_OF_SCOPE_TEXT)
    if answer.outcome is Outcome.EMPTY:
        return AnswerView(headline="请提问", body=EMPTY_TEXT)
    if answer.outcome is Outcome.SUGGESTED and suggestions:
        return AnswerView(headline="需要确认", body=SUGGEST_TEXT, notes=answer.notes, suggestions=suggestions)
    return AnswerView(headline="暂无把握", body=UNKNOWN_TEXT, notes=answer.notes, suggestions=suggestions)


def as_text(answer: Answer) -> str:
    """Plain text for the console and `bot.py ask`."""
    v = view(answer)
    lines = [f"【{v.headline}】", v.body]
    if answer.outcome is Outcome.ANSWERED:
        if v.basis:
            lines.append("依据：")
            lines += [f"  · {b.citation}（{b.title}）：{b.summary}" for b in v.basis]
        if v.caveats:
            lines.append("注意：")
            lines += [f"  · {c}" for c in v.caveats]
        if v.reminder:
            lines.append(v.reminder)
        lines += list(v.notes)
        if v.suggestions:
            lines.append("相关问题：" + "；".join(q for _, q in v.suggestions))
    else:
        lines += list(v.notes)
        lines += [f"  {i}. {q}" for i, (_, q) in enumerate(v.suggestions, 1)]
    return "\n".join(line for line in lines if line)


def as_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` contract."""
    entry = answer.entry if answer.outcome is Outcome.ANSWERED else None
    verdict = entry.verdict if entry else None
    return {
        "question": answer.question,
        "verdict": verdict.value if verdict else None,
        "verdict_label": verdict.label if verdict else None,
        "entry_id": entry.id if entry else None,
        "confidence": answer.confidence,
        "abstained": answer.abstained,
        "outcome": answer.outcome.value,
        "answer": entry.answer if entry else view(answer).body,
        "articles": [r.article_label for r in answer.rules if r.is_regulation and r.article_label] if entry else [],
        "citations": [r.citation for r in answer.rules] if entry else [],
        "caveats": list(entry.caveats) if entry else [],
        "alternatives": [
            {"entry_id": a.entry_id, "question": a.question, "confidence": a.confidence}
            for a in answer.alternatives
        ],
    }
