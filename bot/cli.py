"""Command line: run the bot, the console chat, ask, check, eval, backup."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from bot.content.knowledge import KnowledgeError, check_knowledge
from bot.core import Core, load_engine

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"
EXIT_CONFIG = 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bot.py", description="政务公开助手 Disclosure Desk")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="path to config.yaml")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    sub.add_parser("console", help="chat in the terminal (no Telegram)")
    ask = sub.add_parser("ask", help="answer one question, or one per line from stdin with '-'")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    ask.add_argument("question", help="the question, or - to read questions from stdin")
    sub.add_parser("check", help="validate knowledge/, quizzes/ and config")
    ev = sub.add_parser("eval", help="score the engine on a JSONL question file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    backup = sub.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("path", type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"配置错误 / config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(config)
    command = args.command or ("run" if config.token else "console")
    try:
        if command == "check":
            return cmd_check(config)
        if command == "ask":
            return cmd_ask(config, args.question, as_json=args.json)
        if command == "eval":
            return cmd_eval(config, args.file, as_json=args.json)
        if command == "backup":
            return cmd_backup(config, args.path)
        if command == "console":
            return cmd_console(config)
        return cmd_run(config)
    except KnowledgeError as exc:
        print("知识库有错误 / knowledge base errors:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


def setup_logging(config: Config) -> None:
    """Log lines to stderr at the configured level, never with the token or a personal number in them."""
    from bot.privacy import redact_logs

    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact_logs(config.token)


def cmd_check(config: Config) -> int:
    _, problems = check_knowledge(config.path(config.knowledge_dir))
    problems += check_quizzes(config)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok: knowledge, quizzes and config are valid")
    return 0


def check_quizzes(config: Config) -> list:
    """Quiz banks are validated against the rules they cite (the quiz package owns the checks)."""
    try:
        from bot.quiz.bank import check_banks
    except ImportError:
        return []
    kb, _ = check_knowledge(config.path(config.knowledge_dir))
    return check_banks(config.path(config.quizzes_dir), set(kb.rules))


def cmd_ask(config: Config, question: str, *, as_json: bool) -> int:
    from bot.presenting import as_json as to_json
    from bot.presenting import as_text

    engine = load_engine(config)
    lines = sys.stdin if question == "-" else [question]
    for line in lines:
        text = line.strip()
        if question == "-" and not text:
            continue
        answer = engine.ask(text)
        if as_json:
            print(json.dumps(to_json(answer), ensure_ascii=False), flush=True)
        else:
            print(as_text(answer), flush=True)
            if question == "-":
                print()
    return 0


def cmd_eval(config: Config, path: Path, *, as_json: bool) -> int:
    from bot.evaluation import evaluate, read_cases

    report = evaluate(load_engine(config), read_cases(path))
    if as_json:
        print(json.dumps({**report.as_dict(), "misses": report.misses}, ensure_ascii=False, indent=2))
        return 0
    print(report.table())
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):")
        for miss in report.misses:
            print(f"  {miss}")
    return 0


def cmd_backup(config: Config, target: Path) -> int:
    from bot.store.backup import backup

    try:
        pages = backup(config.path(config.database), target)
    except (FileNotFoundError, OSError) as exc:
        print(f"备份失败 / backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {target} ({pages} pages)")
    return 0


def cmd_console(config: Config) -> int:
    from bot.console import Console

    core = Core.build(config)
    try:
        asyncio.run(Console(core).run())
    except KeyboardInterrupt:
        pass
    finally:
        core.close()
    return 0


def cmd_run(config: Config) -> int:
    if not config.token:
        print("没有设置 TELEGRAM_BOT_TOKEN：请先 export TELEGRAM_BOT_TOKEN=... 再运行；不带令牌可用 console 命令在本地试用。",
              file=sys.stderr)
        return EXIT_CONFIG
    from bot.telegram.runner import run_bot

    return run_bot(config)
