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
