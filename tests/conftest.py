"""Shared fixtures: a tiny knowledge base, its engine, a config, and a core on a temporary database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.content.knowledge import load_knowledge
from bot.core import Core
from bot.matching.engine import Engine
from tests.kbfixture import write_config, write_knowledge

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge")


@pytest.fixture
def engine(kb_dir: Path) -> Engine:
    return Engine(load_knowledge(kb_dir))


@pytest.fixture
def config_path(tmp_path: Path, kb_dir: Path) -> Path:
    return write_config(tmp_path, kb_dir)


@pytest.fixture
def core(config_path: Path):
    c = Core.build(load_config(config_path))
    yield c
    c.close()
