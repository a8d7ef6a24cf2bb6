"""Reading YAML while keeping the line each mapping starts on, for `file:line` messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records the 1-based line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: content has no date fields, and PyYAML's date constructor raises a bare ValueError
# (no line, a traceback) for an unquoted impossible date such as 2026-02-30.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, printed as ``file:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """The parsed document, or None after adding a Problem when the file cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, f"cannot read file: {exc}"))
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(str(path), line, f"YAML syntax error: {reason}"))
        return None


def line_of(item: Any, default: int = 1) -> int:
    if isinstance(item, dict):
        return int(item.get(LINE_KEY, default))
    return default


def unknown_keys(path: Path, item: dict, allowed: set[str], problems: list[Problem]) -> None:
    """A Problem for every key of ``item`` that the schema does not know (typos are caught, not ignored)."""
    for key in item:
        if key != LINE_KEY and key not in allowed:
            problems.append(Problem(str(path), line_of(item), f"unknown field '{key}'"))


def text_of(item: dict, key: str) -> str:
    """The stripped text under ``key``, or '' when it is missing or not text."""
    value = item.get(key)
    return value.strip() if isinstance(value, str) else ""
