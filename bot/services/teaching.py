"""Teaching the bot from a gap group: link it to an existing entry, or add a new entry; live at once.

Both write the trainers' overlay (``knowledge/local/linked.yaml``, ``knowledge/local/taught.yaml``),
but only after the whole knowledge base, with the change, passes the same loader the bot starts with.
Then the engine is rebuilt and swapped in, the group's gaps are closed, and the people who asked are
returned so the front end can tell them the answer.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.knowledge import check_knowledge
from bot.content.models import Entry, KnowledgeBase
from bot.content.yamlfile import Problem
from bot.matching.engine import Answer, Outcome
from bot.matching.normalize import basic_normalize
from bot.services.gaps import GapGroup, GapService
from bot.services.reload import ReloadService, shown

LINKED = "linked.yaml"
TAUGHT = "taught.yaml"
HEADER = "# Written by the bot from /gaps (trainers' answers). Hand edits are fine; comments are not kept.\n"
MAX_PHRASING = 200  # longer questions are stories, not phrasings worth matching against
_MASKED_NUMBER = re.compile(r"[0-9]*\*{2,}[0-9Xx]*")


@dataclass(frozen=True)
class NewEntry:
    """What the trainer wrote in the 新增答案 dialogue."""

    question: str
    verdict: str
    answer: str
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """Someone who asked, and the answer to send them now."""

    user_id: int
    question: str
    answer: Answer


@dataclass(frozen=True)
class Taught:
    ok: bool
    entry_id: str | None = None
    problems: tuple[str, ...] = ()  # file:line problems that stopped the change (nothing was written)
    phrasings: tuple[str, ...] = ()  # staff phrasings the entry now matches
    closed: int = 0  # gaps closed
    notices: tuple[Notice, ...] = ()
    reason: str = ""  # why nothing happened, when there are no problems to show


def clean_phrasing(text: str) -> str:
    """A question as a phrasing: masked numbers dropped (they help no match), '' when too short or long."""
    text = " ".join(_MASKED_NUMBER.sub("", text).split())
    return text if len(basic_normalize(text)) >= 2 and len(text) <= MAX_PHRASING else ""


def _owners(kb: KnowledgeBase) -> dict[str, str]:
    return {basic_normalize(p): e.id for e in kb.entries.values() for p in e.phrasings}


def new_phrasings(group: GapGroup, kb: KnowledgeBase, entry_id: str | None, skip: str = "") -> list[str]:
    """The group's phrasings worth adding to ``entry_id``: cleaned, and owned by no entry yet."""
    owners = _owners(kb)
    out: dict[str, str] = {}
    for text in group.phrasings:
        phrasing = clean_phrasing(text)
        key = basic_normalize(phrasing)
        if phrasing and key not in owners and key != basic_normalize(skip) and key not in out:
            out[key] = phrasing
    return list(out.values())


class TeachingService:
    def __init__(self, gaps: GapService, reloader: ReloadService):
        self.gaps = gaps
        self.reloader = reloader

    @property
    def local_dir(self) -> Path:
        return self.reloader.knowledge_dir / "local"

    async def link(self, key: int, entry_id: str, *, by: int | None) -> Taught:
        """关联已有答案: the group's phrasings become alternates of ``entry_id``."""
        async with self.reloader.lock:
            group = await self.gaps.group(key)
            if group is None:
                return Taught(ok=False, reason="这组问题已经处理过了。")
            kb = self.reloader.asking.engine.kb
            if entry_id not in kb.entries:
                return Taught(ok=False, reason=f"没有编号为 {entry_id} 的答案。")
            phrasings = new_phrasings(group, kb, entry_id)
            if phrasings:
                data = self._read(LINKED)
                links = data.setdefault("alternates", [])
                link = next((x for x in links if isinstance(x, dict) and x.get("entry") == entry_id), None)
                if link is None:
                    links.append({"entry": entry_id, "phrasings": phrasings})
                else:
                    link["phrasings"] = [*(link.get("phrasings") or []), *phrasings]
                problems = await self._write(LINKED, data)
                if problems:
                    return Taught(ok=False, entry_id=entry_id, problems=problems)
            return await self._settle(group, entry_id, tuple(phrasings), by)

    async def add(self, key: int, new: NewEntry, *, by: int | None) -> Taught:
        """新增答案: a new entry in the overlay, with the group's other phrasings as its alternates."""
        async with self.reloader.lock:
            group = await self.gaps.group(key)
            if group is None:
                return Taught(ok=False, reason="这组问题已经处理过了。")
            kb = self.reloader.asking.engine.kb
            entry_id = f"taught-{key}"
            n = 2
            while entry_id in kb.entries:
                entry_id, n = f"taught-{key}-{n}", n + 1
            phrasings = new_phrasings(group, kb, entry_id, skip=new.question)
            item: dict[str, Any] = {"id": entry_id, "question": new.question.strip()}
            if phrasings:
                item["alternates"] = phrasings
            item |= {"verdict": new.verdict, "answer": new.answer.strip(), "basis": list(new.basis)}
            data = self._read(TAUGHT)
            data.setdefault("entries", []).append(item)
            problems = await self._write(TAUGHT, data)
            if problems:
                return Taught(ok=False, entry_id=entry_id, problems=problems)
            return await self._settle(group, entry_id, (new.question.strip(), *phrasings), by)

    async def _settle(self, group: GapGroup, entry_id: str, phrasings: tuple[str, ...], by: int | None) -> Taught:
        """Close the group's gaps and work out whom to tell (one notice per person: their latest question)."""
        closed = await self.gaps.close(group, status="answered", entry_id=entry_id, by=by)
        kb = self.reloader.asking.engine.kb
        entry = kb.entries[entry_id]
        latest: dict[int, str] = {}
        for gap in closed:  # oldest first: a later question replaces an earlier one
            if gap.user_id is not None:
                latest[gap.user_id] = gap.text
        notices = tuple(Notice(uid, text, answer_for(kb, entry, text)) for uid, text in latest.items())
        return Taught(ok=True, entry_id=entry_id, phrasings=phrasings, closed=len(closed), notices=notices)

    # -- the overlay files ------------------------------------------------------------------------

    def _read(self, name: str) -> dict[str, Any]:
        path = self.local_dir / name
        if not path.exists():
            return {}
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    async def _write(self, name: str, data: dict[str, Any]) -> tuple[str, ...]:
        """Validate the knowledge base with ``name`` replaced by ``data``; if clean, write it and swap the
        engine. Returns the problems (nothing written) or ()."""
        text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        root = self.reloader.knowledge_dir
        problems = await asyncio.to_thread(_check_with, root, name, text)
        if problems:
            return shown(problems, self.reloader.config.base_dir)
        path = self.local_dir / name
        before = path.read_text(encoding="utf-8") if path.exists() else None
        await asyncio.to_thread(_replace, path, text)
        kb, problems = await asyncio.to_thread(check_knowledge, root)
        if problems:  # a file changed under us between the check and the write: put ours back
            await asyncio.to_thread(_restore, path, before)
            return shown(problems, self.reloader.config.base_dir)
        await asyncio.to_thread(self.reloader.swap, kb)
        return ()


def answer_for(kb: KnowledgeBase, entry: Entry, question: str) -> Answer:
    """The answer to send someone who asked ``question`` before the entry existed."""
    return Answer(question=question, outcome=Outcome.ANSWERED, confidence=1.0, entry=entry, rules=tuple(kb.basis_rules(entry)))


def _check_with(root: Path, name: str, text: str) -> list[Problem]:
    """Problems of the knowledge base under ``root`` as it would be with local/``name`` = ``text``.

    The check runs on a shadow folder (links to the real files, the new file in place) so a bad change
    never touches the folder the bot reads; paths in problems are mapped back to the real folder."""
    with tempfile.TemporaryDirectory(prefix="teach-") as tmp:
        shadow = Path(tmp)
        for child in root.iterdir():
            if child.name != "local":
                _link(child, shadow / child.name)
        (shadow / "local").mkdir()
        for child in sorted((root / "local").glob("*.yaml")) if (root / "local").is_dir() else []:
            if child.name != name:
                _link(child, shadow / "local" / child.name)
        (shadow / "local" / name).write_text(text, encoding="utf-8")
        _, problems = check_knowledge(shadow)
        return [Problem(p.path.replace(str(shadow), str(root), 1), p.line, p.message) for p in problems]


def _link(source: Path, target: Path) -> None:
    try:
        target.symlink_to(source.resolve(), target_is_directory=source.is_dir())
    except OSError:  # no symlinks here (some Windows set-ups): copy
        import shutil

        shutil.copytree(source, target) if source.is_dir() else shutil.copy2(source, target)


def _replace(path: Path, text: str) -> None:
    """Write atomically: the bot (or a reload) never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        _replace(path, before)
