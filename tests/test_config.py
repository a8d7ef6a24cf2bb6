from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_config_is_valid_and_documented():
    config = load_config(ROOT / "config.yaml")
    assert config.telegram.mode == "polling"
    assert config.database.startswith("data/")
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    for key in ("database", "answer_threshold", "base_url", "managers", "reminder_time", "extra_holidays"):
        line = next(line for line in text.splitlines() if line.strip().startswith(key + ":"))
        previous = text.splitlines()[text.splitlines().index(line) - 1].strip()
        assert previous.startswith("#") or previous.endswith(":"), f"{key} lacks a comment"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(ConfigError, match="telegram.mdoe"):
        load_config(write(tmp_path, "telegram:\n  mdoe: polling\n"))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("matching:\n  answer_threshold: high\n", "matching.answer_threshold"),
        ("access:\n  managers: [abc]\n", "access.managers[0]"),
        ("access:\n  invite_uses: true\n", "access.invite_uses"),
        ("telegram: 5\n", "telegram"),
        ("telegram:\n  mode: carrier-pigeon\n", "telegram.mode"),
    ],
)
def test_wrong_type_is_named(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config(write(tmp_path, text))


def test_int_is_accepted_for_float(tmp_path):
    assert load_config(write(tmp_path, "matching:\n  answer_threshold: 1\n")).matching.answer_threshold == 1.0


def test_malformed_yaml_gives_line(tmp_path):
    with pytest.raises(ConfigError, match=r"c.yaml:2"):
        load_config(write(tmp_path, "a: 1\nb: [unclosed\n"))


def test_cli_exits_2_on_bad_config(tmp_path, capsys):
    assert main(["--config", str(write(tmp_path, "nonsense_key: 1\n")), "check"]) == 2
    assert "nonsense_key" in capsys.readouterr().err


def test_token_comes_only_from_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, "token: 123:abc\n"))
    config = load_config(write(tmp_path, "{}\n"))
    assert config.token is None
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert config.token == "123:abc"


def test_run_without_token_explains(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["--config", str(write(tmp_path, "{}\n")), "run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("calendar:\n  extra_holidays: ['2027-13-01']\n", r"calendar.extra_holidays\[0\]"),
        ("calendar:\n  extra_holidays: ['2027-10-01']\n  extra_workdays: ['2027-10-01']\n", "both as a holiday"),
    ],
)
def test_bad_calendar_days_stop_start_up(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))
