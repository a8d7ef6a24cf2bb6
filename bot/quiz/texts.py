"""The words of quizzes, for every front end: plain text for the console, HTML for Telegram.

Each function takes a Markup that escapes interpolated values and marks bold text, so the Telegram
layer passes ``HTML`` and the console ``PLAIN``; the wording lives here once.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot.content.models import Rule
from bot.quiz.bank import Banks, Question, QuestionType
from bot.quiz.models import AssignmentStatus
from bot.quiz.reminders import Due

LETTERS = "ABCDEFGH"
TYPE_LABELS = {QuestionType.SINGLE: "单选题", QuestionType.MULTIPLE: "多选题", QuestionType.TRUE_FALSE: "判断题"}
UNREACHABLE_HINT = "（对方屏蔽了机器人，或从未启动过机器人）"


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Markup:
    escape: Callable[[str], str] = _same
    bold: Callable[[str], str] = _same


PLAIN = Markup()
HTML = Markup(escape=lambda s: html.escape(s, quote=False), bold=lambda s: f"<b>{s}</b>")


def letters(positions: Iterable[int]) -> str:
    return "".join(LETTERS[i] for i in sorted(positions) if 0 <= i < len(LETTERS))


def question_text(step, m: Markup = PLAIN) -> str:
    """The question as shown before answering: header, stem, lettered options in this attempt's order."""
    q = step.question
    head = m.bold(m.escape(f"【{step.quiz.title}】第 {step.position + 1}/{step.total} 题 · {TYPE_LABELS[q.type]}"))
    lines = [head, m.escape(q.stem), ""]
    lines += [f"{LETTERS[i]}. {m.escape(text)}" for i, text in enumerate(step.options)]
    return "\n".join(lines)


def citation(rule_id: str, rules: Mapping[str, Rule]) -> str:
    rule = rules.get(rule_id)
    return rule.citation if rule else rule_id


def feedback_text(feedback, rules: Mapping[str, Rule], m: Markup = PLAIN, *, with_question: bool = True) -> str:
    """The answered question: ✅/❌, the right answer, the explanation and the article (the question itself
    is repeated for Telegram, where this text replaces the question message)."""
    step = feedback.step
    right = step.right
    verdict = "✅ 回答正确" if feedback.correct else f"❌ 回答错误（你选了 {letters(feedback.chosen)}）"
    answer = "；".join(f"{LETTERS[i]}. {step.options[i]}" for i in right)
    basis = "、".join(citation(r, rules) for r in step.question.basis)
    return "\n".join([
        *([question_text(step, m), ""] if with_question else []),
        m.bold(verdict),
        f"{m.bold('正确答案：')}{m.escape(answer)}",
        f"{m.bold('解析：')}{m.escape(step.question.explanation)}",
        f"{m.bold('依据：')}{m.escape(basis)}",
    ])


def result_text(result, m: Markup = PLAIN) -> str:
    """Score, passed or not, the missed questions and what may come next."""
    s = result.score
    outcome = "✅ 通过" if s.passed else "❌ 未通过"
    lines = [
        m.bold(m.escape(f"【{result.quiz.title}】测验完成")),
        f"得分 {s.percent}%（答对 {s.correct}/{s.total}），及格线 {result.quiz.pass_mark}% —— {m.bold(outcome)}",
    ]
    if result.missed:
        lines += ["", m.bold("答错的题：")]
        lines += [f"{n}. {m.escape(_missed(q))}" for n, q in enumerate(result.missed, 1)]
    lines.append("")
    if result.assignment is None:
        lines.append("这是自选练习，成绩不计入培训记录。")
    elif s.passed:
        lines.append("培训记录已更新。")
    elif result.can_retry:
        lines.append(f"还可以再作答 {result.attempts_left} 次。")
    else:
        lines.append("作答次数已用完，请联系培训老师。")
    return "\n".join(lines)


def _missed(question: Question) -> str:
    return f"{question.stem} —— 正确答案：{'；'.join(question.answer_texts)}"


def listing_line(item, m: Markup = PLAIN) -> str:
    """One quiz in /quiz: title, id and where the user stands."""
    quiz, assignment = item.quiz, item.assignment
    if item.open_attempt is not None:
        state = "进行中，可继续作答"
    elif assignment is None:
        state = "自选练习"
    elif assignment.status is AssignmentStatus.PASSED:
        state = f"已通过（最好成绩 {assignment.best_score}%）"
    elif assignment.status is AssignmentStatus.FAILED:
        state = "未通过，作答次数已用完"
    else:
        state = f"待完成，截止 {assignment.due_on.isoformat()}，剩余 {item.attempts_left} 次"
    return f"{m.bold(m.escape(quiz.title))}（{m.escape(quiz.id)}，{len(quiz.questions)} 题抽 {quiz.draw}）— {m.escape(state)}"


def assignment_notice(quiz, due_on: date, m: Markup = PLAIN) -> str:
    return "\n".join([
        m.bold("📋 新的培训测验"),
        m.escape(f"【{quiz.title}】{quiz.description}"),
        m.escape(f"每次 {quiz.draw} 题，{quiz.pass_mark} 分及格，可作答 {quiz.max_attempts} 次，请在 {due_on.isoformat()} 前完成。"),
    ])


def _due_phrase(due: Due) -> str:
    if due.overdue:
        return f"已逾期 {-due.days_left} 天"
    return "今天截止" if due.days_left == 0 else f"还剩 {due.days_left} 天"


def reminder_text(dues: Iterable[Due], banks: Banks, m: Markup = PLAIN) -> str:
    lines = [m.bold("⏰ 培训测验提醒")]
    for due in dues:
        quiz = banks.get(due.assignment.quiz_id)
        title = quiz.title if quiz else due.assignment.quiz_id
        lines.append(m.escape(f"· 【{title}】截止 {due.assignment.due_on.isoformat()}（{_due_phrase(due)}）"))
    lines.append("发送 /quiz 开始作答。")
    return "\n".join(lines)


def digest_text(grouped: Mapping[str, list[Due]], banks: Banks, today: date, m: Markup = PLAIN) -> str:
    lines = [m.bold(m.escape(f"📊 逾期未完成的测验（{today.isoformat()}）"))]
    for department, dues in grouped.items():
        lines.append(m.bold(m.escape(department)))
        for due in dues:
            quiz = banks.get(due.assignment.quiz_id)
            title = quiz.title if quiz else due.assignment.quiz_id
            lines.append(m.escape(f"· {due.person.display} —【{title}】{_due_phrase(due)}"))
    return "\n".join(lines)


def push_report(pushed, delivery, m: Markup = PLAIN) -> str:
    """The reply to /push: how many were reached and who could not be."""
    lines = [m.escape(f"【{pushed.quiz.title}】已布置给 {len(pushed.people)} 人：送达 {len(delivery.reached)} 人")]
    if pushed.already:
        lines.append(m.escape(f"此前已通知过 {len(pushed.already)} 人，未重复发送。"))
    if delivery.unreachable:
        names = "、".join(p.display for p in delivery.unreachable)
        lines.append(m.escape(f"无法送达 {len(delivery.unreachable)} 人{UNREACHABLE_HINT}：{names}"))
    if delivery.failed:
        names = "、".join(p.display for p, _ in delivery.failed)
        lines.append(m.escape(f"发送失败 {len(delivery.failed)} 人（下次启动时自动重试）：{names}"))
    if not pushed.people:
        lines.append("没有符合条件的人员。")
    return "\n".join(lines)
