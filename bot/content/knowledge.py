"""Load and validate knowledge/: rules, entries, dictionary, and trainers' local overlay."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.content.models import Dictionary, Entry, KnowledgeBase, Rule
from bot.content.yamlfile import LINE_KEY, Problem, line_of, read_yaml, text_of, unknown_keys
from bot.matching.normalize import basic_normalize
from bot.verdicts import CODES, Verdict

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
RULE_KEYS = {"id", "law", "article", "title", "summary", "category", "chapter", "source"}
ENTRY_KEYS = {
    "id", "question", "alternates", "verdict", "answer", "basis",
    "caveats", "tags", "related", "source",
}
DICTIONARY_KEYS = {"aliases", "terms", "fillers", "scope_cues", "sensitive", "off_topic", "part_cues", "severance"}
# A withholding verdict must rest on an exemption of the Regulations or on another law's prohibition.
WITHHOLDING_BASES = {
    "reg-14", "reg-15", "reg-16", "statistics-28", "petition-30", "env-57",
    "penalty-50", "assistance-61", "spc-2011-8", "secrecy-64",
}
MIN_ALTERNATES = 3
MAX_ANSWER_CHARS = 400
NEAR_DUPLICATE = 92.0


class KnowledgeError(Exception):
    """The knowledge base has problems; ``problems`` lists them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_knowledge(root: Path) -> KnowledgeBase:
    """The validated knowledge base under ``root``; raises KnowledgeError listing every problem."""
    kb, problems = check_knowledge(root)
    if problems:
        raise KnowledgeError(problems)
    return kb


def check_knowledge(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Read everything, collect every problem, and return what could be built with the problems."""
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    for path in sorted((root / "rules").glob("*.yaml")):
        for item in _items(path, "rules", problems):
            _add_unique(rules, _rule(path, item, problems), "rule", path, item, problems)
    entries: dict[str, Entry] = {}
    lines: dict[str, tuple[str, int]] = {}
    links: list[tuple[Path, dict]] = []
    entry_files = sorted((root / "entries").glob("*.yaml")) + sorted((root / "local").glob("*.yaml"))
    for path in entry_files:
        local = path.parent.name == "local"
        items = _local_items(path, problems, links) if local else _items(path, "entries", problems)
        for item in items:
            entry = _entry(path, item, problems, min_alternates=0 if local else MIN_ALTERNATES)
            if _add_unique(entries, entry, "entry", path, item, problems):
                lines[entry.id] = (str(path), line_of(item))
    _link_alternates(entries, links, problems)
    dictionary = _dictionary(root / "dictionary.yaml", problems)
    problems.extend(_cross_check(rules, entries, lines))
    for family, entry_id in dictionary.severance.items():
        where = str(root / "dictionary.yaml")
        if family not in dictionary.sensitive:
            problems.append(Problem(where, 1, f"severance: '{family}' is not a sensitive family"))
        entry = entries.get(entry_id)
        if entry is None or entry.verdict is not Verdict.PARTIAL:
            problems.append(Problem(where, 1, f"severance: '{entry_id}' must be an existing entry with verdict partial"))
    return KnowledgeBase(rules=rules, entries=entries, dictionary=dictionary), problems


def _add_unique(table: dict, thing: Rule | Entry | None, kind: str, path: Path, item: dict,
                problems: list[Problem]) -> bool:
    """Add a parsed rule or entry under its id; a repeated id is a problem, and the first one stays."""
    if thing is None:
        return False
    if thing.id in table:
        problems.append(Problem(str(path), line_of(item), f"duplicate {kind} id '{thing.id}'"))
        return False
    table[thing.id] = thing
    return True


def _items(path: Path, key: str, problems: list[Problem]) -> list[dict[str, Any]]:
    data = read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(Problem(str(path), line_of(data), f"expected a top-level '{key}:' list"))
        return []
    items = []
    for item in data[key]:
        if isinstance(item, dict):
            items.append(item)
        else:
            problems.append(Problem(str(path), line_of(data), f"each of '{key}' must be a mapping"))
    return items


def _local_items(path: Path, problems: list[Problem], links: list[tuple[Path, dict]]) -> list[dict[str, Any]]:
    """A file of the trainers' overlay: new ``entries:``, and/or ``alternates:`` for existing entries."""
    data = read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not (isinstance(data.get("entries"), list) or isinstance(data.get("alternates"), list)):
        problems.append(Problem(str(path), line_of(data), "expected a top-level 'entries:' or 'alternates:' list"))
        return []
    unknown_keys(path, data, {"entries", "alternates"}, problems)
    items: list[dict[str, Any]] = []
    for key in ("entries", "alternates"):
        for item in data.get(key) or []:
            if not isinstance(item, dict):
                problems.append(Problem(str(path), line_of(data), f"each of '{key}' must be a mapping"))
            elif key == "entries":
                items.append(item)
            else:
                links.append((path, item))
    return items


def _link_alternates(entries: dict[str, Entry], links: list[tuple[Path, dict]], problems: list[Problem]) -> None:
    """Add overlay phrasings (``{entry: id, phrasings: [...]}``) to the entries they name.

    A phrasing that already belongs to another entry is a problem here, at the overlay's line, rather
    than later at the line of the entry it was added to."""
    owner = {basic_normalize(p): e.id for e in entries.values() for p in e.phrasings}
    for path, item in links:
        unknown_keys(path, item, {"entry", "phrasings"}, problems)
        target = entries.get(item.get("entry")) if isinstance(item.get("entry"), str) else None
        if target is None:
            problems.append(Problem(str(path), line_of(item), f"alternates for unknown entry {item.get('entry')!r}"))
            continue
        added: list[str] = []
        for phrasing in _strings(path, item, "phrasings", problems):
            key = basic_normalize(phrasing)
            if not key:
                continue
            if key not in owner:
                owner[key] = target.id
                added.append(phrasing)
            elif owner[key] != target.id:
                problems.append(Problem(str(path), line_of(item), f"phrasing '{phrasing}' for entry {target.id} already belongs to entry {owner[key]}"))
        if added:
            entries[target.id] = replace(target, alternates=(*target.alternates, *added))




def _strings(path: Path, item: dict, key: str, problems: list[Problem]) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(Problem(str(path), line_of(item), f"'{key}' must be a list of non-empty texts"))
        return ()
    return tuple(v.strip() for v in value)


def _checked_id(path: Path, item: dict, problems: list[Problem]) -> str | None:
    ident = item.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        problems.append(Problem(str(path), line_of(item), f"bad or missing id {ident!r} (use a-z, 0-9, -)"))
        return None
    return ident


def _rule(path: Path, item: dict, problems: list[Problem]) -> Rule | None:
    unknown_keys(path, item, RULE_KEYS, problems)
    ident = _checked_id(path, item, problems)
    article = item.get("article")
    if not isinstance(article, int) or isinstance(article, bool) or not 0 <= article < 1000:
        problems.append(Problem(str(path), line_of(item), f"rule {ident}: 'article' must be a whole number 0-999"))
        return None
    missing = [k for k in ("law", "title", "summary") if not text_of(item, k)]
    if missing:
        problems.append(Problem(str(path), line_of(item), f"rule {ident}: empty {', '.join(missing)}"))
        return None
    if ident is None:
        return None
    return Rule(
        id=ident, law=text_of(item, "law"), article=article, title=text_of(item, "title"),
        summary=text_of(item, "summary"), category=text_of(item, "category"),
        chapter=text_of(item, "chapter"), source=f"{path}:{line_of(item)}",
    )


def _entry(path: Path, item: dict, problems: list[Problem], min_alternates: int) -> Entry | None:
    unknown_keys(path, item, ENTRY_KEYS, problems)
    ident = _checked_id(path, item, problems)
    where = line_of(item)
    ok = ident is not None
    verdict = item.get("verdict")
    if verdict not in CODES:
        problems.append(Problem(str(path), where, f"entry {ident}: unknown verdict {verdict!r}"))
        ok = False
    question, answer = text_of(item, "question"), text_of(item, "answer")
    if not question:
        problems.append(Problem(str(path), where, f"entry {ident}: empty question"))
        ok = False
    if not answer:
        problems.append(Problem(str(path), where, f"entry {ident}: empty answer"))
        ok = False
    elif len(answer) > MAX_ANSWER_CHARS:
        problems.append(Problem(str(path), where, f"entry {ident}: answer has {len(answer)} characters (at most {MAX_ANSWER_CHARS})"))
    alternates = _strings(path, item, "alternates", problems)
    if len(alternates) < min_alternates:
        problems.append(Problem(str(path), where, f"entry {ident}: needs at least {min_alternates} alternates, has {len(alternates)}"))
    basis = _strings(path, item, "basis", problems)
    if not basis:
        problems.append(Problem(str(path), where, f"entry {ident}: no basis: every answer must cite a rule"))
        ok = False
    if not ok:
        return None
    return Entry(
        id=ident, question=question, alternates=alternates, verdict=Verdict(verdict), answer=answer,
        basis=basis, caveats=_strings(path, item, "caveats", problems),
        tags=_strings(path, item, "tags", problems), related=_strings(path, item, "related", problems),
        source=f"{path}:{where}",
    )


def _dictionary(path: Path, problems: list[Problem]) -> Dictionary:
    if not path.exists():
        return Dictionary()
    data = read_yaml(path, problems)
    if not isinstance(data, dict):
        if data is not None:
            problems.append(Problem(str(path), 1, "expected a mapping"))
        return Dictionary()
    unknown_keys(path, data, DICTIONARY_KEYS, problems)

    def groups(key: str) -> dict[str, tuple[str, ...]]:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            problems.append(Problem(str(path), line_of(data), f"'{key}' must be a mapping of word: [words]"))
            return {}
        out = {}
        for name, words in value.items():
            if name == LINE_KEY:
                continue
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                problems.append(Problem(str(path), line_of(value), f"'{key}.{name}' must be a list of words"))
                continue
            out[str(name)] = tuple(words)
        return out

    return Dictionary(
        aliases=groups("aliases"),
        terms=_strings(path, data, "terms", problems),
        fillers=_strings(path, data, "fillers", problems),
        scope_cues=_strings(path, data, "scope_cues", problems),
        sensitive=groups("sensitive"),
        off_topic=_strings(path, data, "off_topic", problems),
        part_cues=_strings(path, data, "part_cues", problems),
        severance=_severance(path, data, problems),
    )


def _severance(path: Path, data: dict, problems: list[Problem]) -> dict[str, str]:
    value = data.get("severance") or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for k, v in value.items() if k != LINE_KEY):
        problems.append(Problem(str(path), line_of(data), "'severance' must map a sensitive family to an entry id"))
        return {}
    return {str(k): v for k, v in value.items() if k != LINE_KEY}


def _cross_check(rules: dict[str, Rule], entries: dict[str, Entry], lines: dict[str, tuple[str, int]]) -> list[Problem]:
    problems: list[Problem] = []
    for entry in entries.values():
        path, line = lines[entry.id]
        for rid in entry.basis:
            if rid not in rules:
                problems.append(Problem(path, line, f"entry {entry.id}: unknown rule '{rid}' in basis"))
        for eid in entry.related:
            if eid not in entries:
                problems.append(Problem(path, line, f"entry {entry.id}: unknown related entry '{eid}'"))
        if entry.verdict.withholds and not WITHHOLDING_BASES.intersection(entry.basis):
            problems.append(Problem(path, line, f"entry {entry.id}: verdict {entry.verdict.value} must cite Art. 14, 15 or 16 or another law's prohibition"))
    problems.extend(_near_duplicates(entries, lines))
    return problems


def _near_duplicates(entries: dict[str, Entry], lines: dict[str, tuple[str, int]]) -> list[Problem]:
    """Two entries asking the same question make the answer a coin toss: flag them."""
    problems: list[Problem] = []
    ids = list(entries)
    questions = [basic_normalize(entries[i].question) for i in ids]
    for a in range(len(ids)):
        later = questions[a + 1:]
        for _, _, offset in process.extract(
            questions[a], later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE, limit=None
        ):
            b = a + 1 + offset
            path, line = lines[ids[b]]
            problems.append(Problem(path, line, f"entry {ids[b]}: question nearly duplicates entry {ids[a]}"))
    owner: dict[str, str] = {}
    for eid in ids:
        for phrasing in entries[eid].phrasings:
            key = basic_normalize(phrasing)
            other = owner.setdefault(key, eid)
            if other != eid:
                path, line = lines[eid]
                problems.append(Problem(path, line, f"entry {eid}: phrasing '{phrasing}' also belongs to entry {other}"))
    return problems
