"""Managers in Telegram, end to end: /report (paged, per department), /export (xlsx, csv), /stats (PNG)."""

import io

import pytest
from openpyxl import load_workbook

from tests.reportfixture import ID_NUMBER, prepare


def capture_uploads(harness) -> list[tuple[str, str, bytes]]:
    """Answer sendDocument/sendPhoto like Telegram and keep (method, filename, content) of each upload."""
    uploads: list[tuple[str, str, bytes]] = []
    api = harness.api
    original = api.do_request

    async def do_request(url, method, request_data=None, **kwargs):
        if request_data is not None and request_data.contains_files:
            for filename, content, _ in request_data.multipart_data.values():
                uploads.append((url.rsplit("/", 1)[-1], filename, content))
        return await original(url, method, request_data, **kwargs)

    def sent(params):
        return {"message_id": len(uploads) + 500000, "date": 0, "chat": api._chat(params["chat_id"]),
                "caption": params.get("caption", "")}

    api.do_request = do_request
    api.handlers["sendDocument"] = sent
    api.handlers["sendPhoto"] = sent
    return uploads


@pytest.fixture
async def manager(harness, tmp_path):
    await prepare(harness.core, tmp_path / "quizzes")  # the training history of tests/reportfixture.py
    return harness.manager


async def test_report_with_pages_and_one_department(harness, manager):
    await harness.send_text(manager, "/report")
    first = harness.last(manager)
    assert "培训完成情况（2026-03-02，全部部门）" in first.plain
    assert "人社局：2 人，分配 2 项，通过 1（50%），逾期 1" in first.plain and "第 1/2 页" in first.plain
    await harness.press(manager, harness.button(manager, "下一页"))
    page = harness.last(manager)
    assert page.message_id == first.message_id and "李四：演示测验 已逾期" in page.plain and "第 2/2 页" in page.plain
    await harness.press(manager, harness.button(manager, "上一页"))
    assert "部门汇总" in harness.last(manager).plain
    await harness.send_text(manager, "/report 财政局")
    assert "财政局" in harness.last(manager).plain and "人社局" not in harness.last(manager).plain
    await harness.send_text(manager, "/report 宣传部")
    assert "没有找到部门「宣传部」。现有部门：人社局、财政局" in harness.last(manager).plain


async def test_export_sends_the_workbook_and_csv_files(harness, manager):
    uploads = capture_uploads(harness)
    await harness.send_text(manager, "/export")
    [(method, filename, content)] = uploads
    assert (method, filename) == ("sendDocument", "desk-report-2026-03-02.xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["人员与完成情况", "部门汇总", "测验记录", "题目统计", "知识缺口", "每周提问"]
    names = [row[0] for row in book["人员与完成情况"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["张三", "李四", "王五", "王五", "赵六", "管理员"])  # the config manager too
    assert ID_NUMBER not in " ".join(str(c) for row in book["知识缺口"].iter_rows(values_only=True) for c in row)
    uploads.clear()
    await harness.send_text(manager, "/export csv")
    assert [u[1] for u in uploads] == [f"desk-report-2026-03-02-{n}.csv" for n in
                                       ("people", "departments", "attempts", "questions", "gaps", "weekly")]
    assert uploads[0][2].decode("utf-8-sig").splitlines()[0].startswith("姓名,用户名,Telegram ID,部门")


async def test_stats_sends_a_png(harness, manager):
    uploads = capture_uploads(harness)
    await harness.send_text(manager, "/stats")
    [(method, filename, content)] = uploads
    assert (method, filename) == ("sendPhoto", "stats.png") and content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "各部门培训完成情况" in harness.calls("sendPhoto")[-1].params["caption"]


async def test_manager_commands_are_refused_to_trainers_and_staff(harness):
    for user_id, role in ((2001, "staff"), (3001, "trainer")):
        person = await harness.member(user_id, role)
        for command in ("/report", "/export", "/export csv", "/stats"):
            await harness.send_text(person, command)
            assert "这个命令需要管理员权限" in harness.last(person).plain
        await harness.press(person, "rp:0:2")
        assert harness.answered()["text"] == "您没有权限进行这个操作。"
    assert not harness.calls("sendDocument") and not harness.calls("sendPhoto")
