"""Trainer-facing wording for gaps, teaching and reload, shared by the console and Telegram (plain text:
the Telegram layer escapes it)."""

from __future__ import annotations

from bot.content.models import KnowledgeBase
from bot.services.gaps import GapGroup
from bot.services.reload import Reloaded
from bot.services.teaching import Taught

NO_GAPS = "目前没有待处理的问题，知识库都答得上来。"
GAPS_HEADER = "待补充的问题（共 {groups} 组，{gaps} 条；同一问题的不同问法已合并）："
MAX_EXAMPLE = 60
RELOAD_FAILED = "重新加载失败，继续使用原来的知识库和测验。请修改以下问题后再试："
MAX_PROBLEMS = 20


def _clip(text: str, size: int = MAX_EXAMPLE) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _day(stamp: str) -> str:
    return stamp[:10]


def group_lines(number: int, group: GapGroup, kb: KnowledgeBase) -> list[str]:
    """One group: count, departments, first and latest example, 👎 reasons, the closest existing answer."""
    departments = "、".join(group.departments[:4]) + ("等" if len(group.departments) > 4 else "")
    head = f"{number}. 问过 {group.count} 次" + (f"（{departments}）" if departments else "")
    if group.unhelpful:
        head += f"，其中 {group.unhelpful} 次是对回答点了👎"
    lines = [head, f"   首次 {_day(group.first.created_at)}：{_clip(group.first.text)}"]
    if group.count > 1:
        lines.append(f"   最近 {_day(group.latest.created_at)}：{_clip(group.latest.text)}")
    if group.complaints:
        lines.append("   👎 原因：" + "；".join(_clip(c, 40) for c in group.complaints[:3]))
    suggestion = group.suggestion
    if suggestion is not None and suggestion.entry_id in kb.entries:
        lines.append(f"   最接近的已有答案：{_clip(suggestion.question)}（{suggestion.entry_id}）")
    return lines


def taught_text(taught: Taught) -> str:
    if taught.ok:
        added = f"，新增 {len(taught.phrasings)} 种问法" if taught.phrasings else ""
        return f"已生效：{taught.entry_id}{added}；关闭 {taught.closed} 条待处理问题。"
    if taught.problems:
        return "知识库校验没有通过，未做任何修改：\n" + "\n".join(taught.problems[:MAX_PROBLEMS])
    return taught.reason


def reloaded_text(result: Reloaded) -> str:
    if result.ok:
        return f"已重新加载：{result.rules} 条法规条款，{result.entries} 条答案，{result.quizzes} 套测验。"
    more = len(result.problems) - MAX_PROBLEMS
    lines = [RELOAD_FAILED, *result.problems[:MAX_PROBLEMS]]
    if more > 0:
        lines.append(f"……另有 {more} 处问题（运行 python bot.py check 查看全部）")
    return "\n".join(lines)


NOTICE_HEADER = "您之前问的问题现在有答案了："


def digest_text(groups: list[GapGroup]) -> str:
    """The trainers' morning line: how much is open and the most asked group."""
    top = groups[0]
    return (f"早上好。目前有 {sum(g.count for g in groups)} 条问题还没有答案（{len(groups)} 组），"
            f"问得最多的是「{_clip(top.first.text, 40)}」（{top.count} 次）。发送 /gaps 处理。")
