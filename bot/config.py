"""Typed configuration from config.yaml; unknown keys and wrong types are reported by name."""

from __future__ import annotations

import dataclasses
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"


class ConfigError(Exception):
    """config.yaml is unusable; the message names the key."""


@dataclass(frozen=True)
class MatchingConfig:
    answer_threshold: float = 0.3
    suggest_threshold: float = 0.22
    alternatives: int = 3


@dataclass(frozen=True)
class WebhookConfig:
    listen: str = "0.0.0.0"
    port: int = 8443
    url: str = ""
    secret_token: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "polling"
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    groups: str = "registered"
    concurrent_updates: int = 64


@dataclass(frozen=True)
class AccessConfig:
    managers: list[int] = field(default_factory=list)
    invite_ttl_hours: int = 72
    invite_uses: int = 1


@dataclass(frozen=True)
class QuizConfig:
    onboarding: list[str] = field(default_factory=lambda: ["basics", "applications", "attributes"])
    reminder_time: str = "09:00"
    remind_days_before: int = 3


@dataclass(frozen=True)
class CalendarConfig:
    extra_holidays: list[str] = field(default_factory=list)
    extra_workdays: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    database: str = "data/desk.db"
    knowledge_dir: str = "knowledge"
    quizzes_dir: str = "quizzes"
    log_level: str = "INFO"
    question_log_days: int = 730
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    quiz: QuizConfig = field(default_factory=QuizConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    base_dir: Path = Path(".")

    def path(self, value: str) -> Path:
        """A configured path, relative to the directory of config.yaml."""
        p = Path(value)
        return p if p.is_absolute() else self.base_dir / p

    @property
    def token(self) -> str | None:
        """The Bot API token, only ever from the environment."""
        return os.environ.get(TOKEN_ENV) or None


_CHOICES = {
    "telegram.mode": ("polling", "webhook"),
    "telegram.groups": ("registered", "refuse"),
    "log_level": ("DEBUG", "INFO", "WARNING", "ERROR"),
}


class _ConfigLoader(yaml.SafeLoader):
    """Dates stay text: calendar days are checked as YYYY-MM-DD with their line, where PyYAML would turn
    2026-03-02 into a date the type check refuses and crash on 2026-02-30 with a bare ValueError."""


_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load_config(path: Path) -> Config:
    """Read and validate config.yaml; raises ConfigError naming the offending key."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # noqa: S506 - safe
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{path}:{line}: YAML syntax error: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the top level must be a mapping of keys")
    where = _Where(path, path.read_text(encoding="utf-8"))
    config = _build(Config, data, "", where)
    _check_calendar(config, where)
    return dataclasses.replace(config, base_dir=path.resolve().parent)


class _Where:
    """``file:line`` of a key path such as ``telegram.mode`` or ``access.managers[0]`` (line 1 if unknown)."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines: dict[str, int] = {}
        self._walk(yaml.compose(text), "")

    def _walk(self, node: Any, key: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                child = f"{key}.{name.value}" if key else str(name.value)
                self.lines[child] = name.start_mark.line + 1
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                self.lines[f"{key}[{i}]"] = value.start_mark.line + 1
                self._walk(value, f"{key}[{i}]")

    def __call__(self, key: str = "") -> str:
        while key and key not in self.lines:  # the nearest enclosing key that is written in the file
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return f"{self.path}:{self.lines.get(key, 1)}"


def _check_calendar(config: Config, where: _Where) -> None:
    """Extra holidays and workdays must be real dates, and no day both (checked at start, not at first use)."""
    from bot.deadlines.calendar import CalendarError, WorkCalendar  # the calendar module imports this one

    try:
        WorkCalendar.from_config(config.calendar)
    except CalendarError as exc:
        key = re.search(r"'(calendar\.[a-z_]+\[\d+\])'", str(exc))
        raise ConfigError(f"{where(key.group(1) if key else 'calendar')}: {exc}") from exc


def _build(cls: type, data: dict[str, Any], prefix: str, where: _Where) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "base_dir"}
    for key in data:
        if key not in names:
            raise ConfigError(f"{where(prefix + str(key))}: unknown key '{prefix}{key}'")
    values = {}
    for name in names & set(data):
        key = prefix + name
        values[name] = _value(hints[name], data[name], key, where)
        if key in _CHOICES and values[name] not in _CHOICES[key]:
            raise ConfigError(f"{where(key)}: '{key}' must be one of {', '.join(_CHOICES[key])}")
    return cls(**values)


def _value(hint: Any, value: Any, key: str, where: _Where) -> Any:
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"{where(key)}: '{key}' must be a mapping")
        return _build(hint, value, key + ".", where)
    origin = typing.get_origin(hint)
    if origin in (list, types.GenericAlias) or origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"{where(key)}: '{key}' must be a list")
        return [_value(item, v, f"{key}[{i}]", where) for i, v in enumerate(value)]
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool) or not isinstance(value, hint):
        raise ConfigError(f"{where(key)}: '{key}' must be {_TYPE_NAMES.get(hint, hint.__name__)}, got {value!r}")
    return value


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
