"""The 新增答案 dialogue: question, verdict, answer, basis, confirm — one step per message.

The state lives in SQLite (``teaching_drafts``), so a restart mid-dialogue loses nothing. Front ends pass
the trainer's text in and show the returned Prompt; the verdict step also offers choices for buttons.
Typed keywords (取消, 确认, 沿用, 问题/结论/答案/依据 to redo a step) work the same in every front end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.knowledge import MAX_ANSWER_CHARS, WITHHOLDING_BASES
from bot.services.teaching import MAX_PHRASING, NewEntry, Taught, TeachingService, clean_phrasing
from bot.store import gaps as store
from bot.verdicts import LABELS, Verdict, parse_verdict, verdict_by_label

STEPS = ("question", "verdict", "answer", "basis")
STEP_NAMES = {"question": "问题", "verdict": "结论", "answer": "答案", "basis": "依据"}
CANCEL = {"取消", "放弃", "cancel"}
CONFIRM = {"确认", "保存", "是", "ok", "yes"}
KEEP = {".", "。", "沿用"}
VERDICTS = tuple(Verdict)
_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class Prompt:
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # (value to send back, label) for buttons
    active: bool = True  # the dialogue waits for the next message
    taught: Taught | None = None  # set when the entry was saved
    step: str = ""  # the step now awaited: question, verdict, answer, basis, confirm ("" when over)


def parse_basis(text: str, rules: set[str]) -> tuple[tuple[str, ...], list[str]]:
    """Rule ids from what the trainer typed (``15`` means ``reg-15``); and the ids that do not exist."""
    ids, unknown = [], []
    for word in _SPLIT.split(text.strip().lower()):
        if not word:
            continue
        rid = f"reg-{word}" if word.isdigit() else word
        (ids if rid in rules else unknown).append(rid)
    return tuple(dict.fromkeys(ids)), unknown


class TeachingDialogue:
    def __init__(self, teaching: TeachingService):
        self.teaching = teaching
        self.store = teaching.gaps.store

    @property
    def kb(self):
        return self.teaching.reloader.asking.engine.kb

    async def active(self, user_id: int) -> bool:
        return await self.store.run(store.get_draft, user_id) is not None

    async def start(self, user_id: int, key: int) -> Prompt:
        group = await self.teaching.gaps.group(key)
        if group is None:
            return Prompt("这组问题已经处理过了。", active=False)
        default = next((p for p in map(clean_phrasing, group.phrasings) if p), "")
        await self.store.run(store.start_draft, user_id, key, default)
        hint = f"\n发送「沿用」使用：{default}" if default else ""
        return Prompt(f"新增答案（共4步，随时发送「取消」放弃）。\n第1步 问题：发送这条答案的标准问法。{hint}", step="question")

    async def cancel(self, user_id: int) -> Prompt:
        await self.store.run(store.delete_draft, user_id)
        return Prompt("已取消，未保存任何内容。", active=False)

    async def reply(self, user_id: int, text: str) -> Prompt:
        draft = await self.store.run(store.get_draft, user_id)
        if draft is None:
            return Prompt("没有正在填写的答案。在 /gaps 里选一组问题，点「新增答案」开始。", active=False)
        text = text.strip()
        if text.lower() in CANCEL:
            return await self.cancel(user_id)
        step = draft["step"]
        if step == "confirm":
            return await self._confirm(user_id, draft, text)
        error, value = self._check(step, text, draft)
        if error:
            return self._ask(step, draft, error)
        draft = {**draft, step: value}
        after = next((s for s in STEPS if not draft[s]), "confirm")
        await self.store.run(store.update_draft, user_id, **{step: value, "step": after})
        return self._ask(after, {**draft, "step": after})

    def _check(self, step: str, text: str, draft: dict) -> tuple[str, str]:
        """(error, value to store) for one step's input."""
        if step == "question":
            if text in KEEP and draft["question"]:
                return "", draft["question"]
            if not text or len(text) > MAX_PHRASING:
                return f"问题不能为空，也不要超过{MAX_PHRASING}字。", ""
            return "", text
        if step == "verdict":
            if text.isdigit() and 1 <= int(text) <= len(VERDICTS):
                return "", VERDICTS[int(text) - 1].value
            verdict = parse_verdict(text) or verdict_by_label(text)
            return ("", verdict.value) if verdict else ("请选择一个结论（发送序号或点按钮）。", "")
        if step == "answer":
            if not text or len(text) > MAX_ANSWER_CHARS:
                return f"答案不能为空，也不要超过{MAX_ANSWER_CHARS}字（现在{len(text)}字）。先写结论，再写理由。", ""
            return "", text
        ids, unknown = parse_basis(text, set(self.kb.rules))
        if unknown or not ids:
            return ("找不到这些条款编号：" + "、".join(unknown) if unknown else "至少填一个条款编号。"), ""
        verdict = parse_verdict(draft["verdict"])
        if verdict is not None and verdict.withholds and not WITHHOLDING_BASES.intersection(ids):
            return "「不予公开」「可以不予公开」要以第十四、十五或十六条（或其他法律的禁止性规定）为依据。", ""
        return "", " ".join(ids)

    def _ask(self, step: str, draft: dict, error: str = "") -> Prompt:
        lead = f"{error}\n" if error else ""
        if step == "question":
            keep = f"\n发送「沿用」使用：{draft['question']}" if draft["question"] else ""
            return Prompt(f"{lead}第1步 问题：发送这条答案的标准问法。{keep}", step=step)
        if step == "verdict":
            lines = [f"{lead}第2步 结论：发送序号或点按钮。"]
            lines += [f"  {i}. {v.label}" for i, v in enumerate(VERDICTS, 1)]
            return Prompt("\n".join(lines), choices=tuple((v.value, v.label) for v in VERDICTS), step=step)
        if step == "answer":
            return Prompt(f"{lead}第3步 答案：不超过{MAX_ANSWER_CHARS}字，先写结论，再写理由和要核实的事项。", step=step)
        if step == "basis":
            return Prompt(f"{lead}第4步 依据：发送条款编号，第一个为主要依据，例如「15 37」或「reg-15 budget-14」。", step=step)
        return Prompt(lead + self.summary(draft) + "\n发送「确认」保存并立即生效；发送「问题」「结论」「答案」「依据」修改对应一步；「取消」放弃。",
                      step="confirm")

    def summary(self, draft: dict) -> str:
        verdict = parse_verdict(draft["verdict"])
        rules = [self.kb.rules[r] for r in draft["basis"].split() if r in self.kb.rules]
        return "\n".join([
            "请核对：",
            f"问题：{draft['question']}",
            f"结论：{LABELS[verdict] if verdict else ''}",
            f"答案：{draft['answer']}",
            "依据：" + "；".join(f"{r.citation}（{r.title}）" for r in rules),
        ])

    async def _confirm(self, user_id: int, draft: dict, text: str) -> Prompt:
        redo = next((s for s, name in STEP_NAMES.items() if text == name), None)
        if redo is not None:
            await self.store.run(store.update_draft, user_id, step=redo)
            return self._ask(redo, draft)
        if text.lower() not in CONFIRM:
            return self._ask("confirm", draft)
        new = NewEntry(question=draft["question"], verdict=draft["verdict"], answer=draft["answer"],
                       basis=tuple(draft["basis"].split()))
        taught = await self.teaching.add(draft["gap_id"], new, by=user_id)
        if taught.ok or not taught.problems:
            await self.store.run(store.delete_draft, user_id)
            if not taught.ok:
                return Prompt(taught.reason, active=False, taught=taught)
            return Prompt(f"已保存为 {taught.entry_id}，立即生效；提问的 {len(taught.notices)} 人会收到这个答案。",
                          active=False, taught=taught)
        problems = "\n".join(taught.problems[:10])
        return Prompt(f"知识库校验没有通过，未保存：\n{problems}\n发送「问题」「结论」「答案」「依据」修改，或「取消」。",
                      step="confirm")
