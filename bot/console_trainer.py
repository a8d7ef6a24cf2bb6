"""Trainer commands in the console chat: /gaps (list, link, new, ignore) and /reload.

The console is the operator's own terminal, so it has every role; numbers refer to the last /gaps list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.gaps.texts import GAPS_HEADER, NO_GAPS, group_lines, reloaded_text, taught_text
from bot.presenting import as_text
from bot.services.teaching_dialogue import TeachingDialogue

if TYPE_CHECKING:
    from bot.console import Console, ConsoleCommand

CONSOLE_USER = 0  # the console chat's user id, as in bot.console
USAGE = "用法：/gaps 列出；/gaps link 序号 [答案编号]；/gaps new 序号；/gaps ignore 序号"


class GapsCommand:
    """/gaps with its last listing (numbers → group keys)."""

    def __init__(self) -> None:
        self.keys: list[int] = []

    async def __call__(self, console: Console, rest: str) -> None:
        words = rest.split()
        if not words:
            await self.list(console)
            return
        action, number = words[0], words[1] if len(words) > 1 else ""
        if action not in ("link", "new", "ignore") or not number.isdigit() or not 1 <= int(number) <= len(self.keys):
            console.say(USAGE if self.keys else "先输入 /gaps 查看待处理的问题。")
            return
        key = self.keys[int(number) - 1]
        if action == "ignore":
            closed = await console.core.gaps.ignore(key, by=CONSOLE_USER)
            console.say(f"已忽略 {closed} 条。" if closed else "这组问题已经处理过了。")
        elif action == "link":
            await self.link(console, key, words[2] if len(words) > 2 else "")
        else:
            await self.new(console, key)

    async def list(self, console: Console) -> None:
        groups = await console.core.gaps.groups()
        self.keys = [g.key for g in groups]
        if not groups:
            console.say(NO_GAPS)
            return
        lines = [GAPS_HEADER.format(groups=len(groups), gaps=sum(g.count for g in groups))]
        for n, group in enumerate(groups, 1):
            lines += group_lines(n, group, console.core.engine.kb)
        lines.append(USAGE)
        console.say("\n".join(lines))

    async def link(self, console: Console, key: int, entry_id: str) -> None:
        if not entry_id:
            group = await console.core.gaps.group(key)
            if group is None or group.suggestion is None:
                console.say("请写上要关联的答案编号：/gaps link 序号 答案编号")
                return
            entry_id = group.suggestion.entry_id
        taught = await console.core.teaching.link(key, entry_id, by=CONSOLE_USER)
        console.say(taught_text(taught))
        for notice in taught.notices:
            console.say(f"→ 通知用户 {notice.user_id}（问过：{notice.question}）")

    async def new(self, console: Console, key: int) -> None:
        dialogue = TeachingDialogue(console.core.teaching)
        prompt = await dialogue.start(CONSOLE_USER, key)
        console.say(prompt.text)
        if not prompt.active:
            return

        async def take(line: str) -> bool:
            step = await dialogue.reply(CONSOLE_USER, line)
            console.say(step.text)
            if step.taught is not None and step.taught.ok:
                for notice in step.taught.notices:
                    console.say(f"→ 通知用户 {notice.user_id}（问过：{notice.question}）")
                if step.taught.notices:
                    console.say("他们会收到：\n" + as_text(step.taught.notices[0].answer))
            return step.active

        console.handler = take


async def reload_command(console: Console, _: str) -> None:
    """/reload: re-read knowledge/ and quizzes/; on errors the old ones stay."""
    console.say(reloaded_text(await console.core.reloader.reload()))


def trainer_commands() -> list[ConsoleCommand]:
    from bot.console import ConsoleCommand

    return [
        ConsoleCommand("gaps", "培训：查看答不上来的问题并补充答案（/gaps link|new|ignore 序号）", GapsCommand()),
        ConsoleCommand("reload", "培训：重新加载知识库和测验（出错时保留原来的）", reload_command),
    ]
