"""Quizzes in the console chat: /quiz lists them, /quiz <编号> plays one, answers are typed as letters."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.quiz.texts import LETTERS, PLAIN, feedback_text, listing_line, question_text, result_text
from bot.services.quizzes import AttemptResult, QuestionStep, Refusal, Refused

if TYPE_CHECKING:
    from bot.console import Console

CONSOLE_USER = 0  # the console chat's user id, as in bot.console
HINT = "（输入选项字母作答，多选题一次输入全部字母，如 AC；/quiz 查看测验）"
SEPARATORS = re.compile(r"[\s,，、;；]+")


def parse_choice(text: str, n_options: int) -> tuple[int, ...] | None:
    """Display positions from a typed answer: letters (A, ac, A C), 1-based digits, or 对/错."""
    text = SEPARATORS.sub("", text.strip()).upper()
    if text in ("对", "√", "正确", "是"):
        text = "A"
    elif text in ("错", "×", "错误", "否"):
        text = "B"
    positions = []
    for char in text:
        if char in LETTERS:
            positions.append(LETTERS.index(char))
        elif char.isdigit() and char != "0":
            positions.append(int(char) - 1)
        else:
            return None
    if not positions or any(p >= n_options for p in positions):
        return None
    return tuple(sorted(set(positions)))


async def quiz_command(console: Console, rest: str) -> None:
    """/quiz: list quizzes; /quiz <编号或序号>: start or resume one."""
    listing = await console.core.quizzes.overview(CONSOLE_USER)
    if not listing:
        console.say("还没有可用的测验。")
        return
    if not rest:
        lines = ["测验："] + [f"  {n}. {listing_line(item, PLAIN)}" for n, item in enumerate(listing, 1)]
        lines.append("输入序号（或 /quiz 编号）开始作答。")
        console.say("\n".join(lines))

        async def choose(line: str) -> bool:
            if line.isdigit() and 1 <= int(line) <= len(listing):
                await _start(console, listing[int(line) - 1].quiz.id)
                return console.handler is not choose
            console.handler = None  # not a choice: treat the line as a question
            await console.ask(line)
            return False

        console.handler = choose
        return
    quiz_id = rest.split()[0]
    if quiz_id.isdigit() and 1 <= int(quiz_id) <= len(listing):
        quiz_id = listing[int(quiz_id) - 1].quiz.id
    await _start(console, quiz_id)


async def _start(console: Console, quiz_id: str) -> None:
    await _show(console, await console.core.quizzes.start(CONSOLE_USER, quiz_id, channel="console"))


async def _show(console: Console, outcome: QuestionStep | AttemptResult | Refused | None) -> bool:
    """Print the next question (and take the following lines as its answer), or the result."""
    if isinstance(outcome, Refused):
        console.say(outcome.message)
        console.handler = None
        return False
    if isinstance(outcome, AttemptResult):
        text = result_text(outcome, PLAIN)
        if outcome.can_retry:
            text += f"\n输入 /quiz {outcome.quiz.id} 再做一次。"
        console.say(text)
        console.handler = None
        return False
    if outcome is None:
        console.handler = None
        return False
    step = outcome
    console.say(question_text(step, PLAIN) + "\n" + HINT)

    async def take_answer(line: str) -> bool:
        shown = parse_choice(line, len(step.options))
        if shown is None:
            console.say("请输入选项字母，如 A 或 AC（判断题可输入 对/错）。")
            return True
        answered = await console.core.quizzes.answer(CONSOLE_USER, step.attempt_id, step.position, shown)
        if isinstance(answered, Refused):
            console.say(answered.message)
            return answered.reason is Refusal.EMPTY_SELECTION
        console.say(feedback_text(answered.feedback, console.core.engine.kb.rules, PLAIN, with_question=False))
        return await _show(console, answered.next or answered.result)

    console.handler = take_answer
    return True
