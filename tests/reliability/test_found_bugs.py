"""Regression tests for bugs the reliability tests found (each names the test that found it)."""

from __future__ import annotations

import io

from bot.reports.export import Table, workbook_bytes


def test_a_question_with_a_control_character_does_not_break_the_excel_export():
    """Found by test_random_commands_from_trainers_and_managers_never_break_the_bot: a trainer typed a
    question containing \\x02, and the manager's xlsx export raised IllegalCharacterError."""
    from openpyxl import load_workbook

    table = Table("questions", "提问", ("问题",), [["三公\x02经费\x1b要不要公开"], [3]])
    book = load_workbook(io.BytesIO(workbook_bytes([table])))
    assert [c.value for c in book["提问"]["A"]] == ["问题", "三公经费要不要公开", 3]


def test_an_unquoted_impossible_date_is_a_problem_with_a_line_not_a_crash(tmp_path):
    """Found by test_bad_config_stops_start_up_with_file_and_line: ``- 2026-02-30`` under
    calendar.extra_holidays made PyYAML raise a bare ValueError (a traceback, no line); a valid unquoted
    date was refused as "must be text"."""
    import pytest

    from bot.config import ConfigError, load_config
    from bot.content.yamlfile import read_yaml

    good = tmp_path / "good.yaml"
    good.write_text("calendar:\n  extra_holidays:\n    - 2026-03-02\n", encoding="utf-8")
    assert load_config(good).calendar.extra_holidays == ["2026-03-02"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("calendar:\n  extra_holidays:\n    - 2026-02-30\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:3: .*2026-02-30"):
        load_config(bad)
    content = tmp_path / "entries.yaml"
    content.write_text("entries:\n  - id: x\n    question: 2026-02-30\n", encoding="utf-8")
    problems: list = []
    assert read_yaml(content, problems)["entries"][0]["question"] == "2026-02-30" and problems == []
