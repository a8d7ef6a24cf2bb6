"""The console chat: the same core as Telegram, typed in a terminal or fed through a pipe."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

from bot.core import Core
from bot.presenting import as_text
from bot.services.triage import offers_triage

CONSOLE_USER = 0
PROMPT = "问> "
TRIAGE_HINT = "（拿不准时可输入 /triage，按条例逐步判定）"
WELCOME = "政务公开助手（本地控制台）。直接输入问题即可；/help 查看命令，Ctrl-D 或 /quit 退出。"


@dataclass(frozen=True)
class ConsoleCommand:
    name: str
    help: str
    run: Callable[[Console, str], Awaitable[None]]


class Console:
    """A line-oriented chat; features add commands to ``commands``."""

    def __init__(self, core: Core, stdin: TextIO | None = None, stdout: TextIO | None = None):
        self.core = core
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty()
        self.last_question_id: int | None = None
        self.last_suggestions: list[str] = []
        self.handler: Callable[[str], Awaitable[bool]] | None = None  # a running dialogue takes the lines
        self.commands: dict[str, ConsoleCommand] = {}
        from bot.console_quiz import quiz_command  # features register their console commands here
        from bot.console_trainer import trainer_commands
        from bot.console_triage import triage_commands

        quiz = ConsoleCommand("quiz", "测验：/quiz 列出，/quiz 编号 开始作答", quiz_command)
        for command in [*BASE_COMMANDS, quiz, *triage_commands(), *trainer_commands()]:
            self.add(command)

    def add(self, command: ConsoleCommand) -> None:
        self.commands[command.name] = command

    def say(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)

    async def read_line(self) -> str | None:
        if self.interactive:
            print(PROMPT, end="", file=self.stdout, flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, self.stdin.readline)
        return line.rstrip("\r\n") if line else None

    async def run(self) -> None:
        self.say(WELCOME)
        while True:
            line = await self.read_line()
            if line is None:
                self.say("再见。")
                return
            if not await self.handle(line.strip()):
                return

    async def handle(self, line: str) -> bool:
        """Handle one line; False ends the chat."""
        if not line:
            return True
        if self.handler is not None and not line.startswith("/"):
            keep = await self.handler(line)
            if not keep:
                self.handler = None
            return True
        if line.startswith("/"):
            name, _, rest = line[1:].partition(" ")
            if name in ("quit", "exit"):
                self.say("再见。")
                return False
            command = self.commands.get(name)
            if command is None:
                self.say(f"没有 /{name} 这个命令，输入 /help 查看可用命令。")
                return True
            self.handler = None
            await command.run(self, rest.strip())
            return True
        if line.isdigit() and self.last_suggestions and 1 <= int(line) <= len(self.last_suggestions):
            entry = self.core.engine.kb.entries.get(self.last_suggestions[int(line) - 1])
            if entry is not None:
                line = entry.question
        await self.ask(line)
        return True

    async def ask(self, text: str) -> None:
        asked = await self.core.asking.ask(text, user_id=CONSOLE_USER, channel="console")
        self.last_question_id = asked.question_id
        self.last_suggestions = [a.entry_id for a in asked.answer.alternatives]
        self.say(as_text(asked.answer))
        if asked.answer.alternatives and asked.answer.abstained:
            self.say("（输入序号查看对应问题的答案）")
        if offers_triage(asked.answer, self.core.config.matching.answer_threshold):
            self.say(TRIAGE_HINT)


async def _help(console: Console, _: str) -> None:
    lines = ["直接输入问题即可得到公开属性、依据和注意事项。命令："]
    lines += [f"  /{c.name}  {c.help}" for c in console.commands.values()]
    lines.append("  /quit  退出")
    console.say("\n".join(lines))


async def _rate(console: Console, helpful: bool, reason: str) -> None:
    if console.last_question_id is None:
        console.say("还没有可以评价的回答。")
        return
    await console.core.asking.feedback(console.last_question_id, user_id=CONSOLE_USER, helpful=helpful, reason=reason)
    console.say("谢谢反馈！" if helpful else "已记录，培训老师会看到这个问题。")


async def _good(console: Console, rest: str) -> None:
    await _rate(console, True, rest)


async def _bad(console: Console, rest: str) -> None:
    await _rate(console, False, rest)


BASE_COMMANDS = [
    ConsoleCommand("help", "查看帮助", _help),
    ConsoleCommand("good", "上一个回答有用", _good),
    ConsoleCommand("bad", "上一个回答没帮上，可附原因：/bad 原因", _bad),
]
