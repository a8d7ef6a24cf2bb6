"""The /stats chart: a valid PNG; Chinese labels with a CJK font, English and a visible note without one."""

import io
import warnings

import pytest
from PIL import Image

from bot.reports.chart import NO_FONT_NOTE, find_cjk_font, render_chart
from bot.reports.completion import DepartmentRollup
from tests.reportfixture import prepare

PNG = b"\x89PNG\r\n\x1a\n"
DEPARTMENTS = [DepartmentRollup("人社局", 2, 2, 1, 0, 1), DepartmentRollup("财政局", 2, 2, 0, 1, 0)]
WEEKLY = {"2026-02-23": {"主动公开": 3, "不予公开": 1, "未答出": 2}, "2026-03-02": {"主动公开": 1, "不在服务范围": 1}}


def is_png(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    image = Image.open(io.BytesIO(data))
    image.verify()
    return image.size


async def test_stats_chart_from_the_database_is_a_png(core, tmp_path):
    reports = await prepare(core, tmp_path / "quizzes")
    chart = await reports.chart()
    width, height = is_png(chart.png)
    assert width >= 1000 and height >= 400


@pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font on this machine (apt-get install fonts-noto-cjk)")
def test_chinese_labels_render_with_a_cjk_font():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for tofu
        chart = render_chart(DEPARTMENTS, WEEKLY)
    is_png(chart.png)
    assert chart.font is not None and chart.caption == ""


def test_without_a_cjk_font_labels_are_english_and_the_chart_says_so(monkeypatch):
    captured = {}
    from matplotlib.figure import Figure

    original = Figure.suptitle

    def spy(self, text, **kwargs):
        captured["title"] = text
        return original(self, text, **kwargs)

    monkeypatch.setattr(Figure, "suptitle", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Chinese glyph is drawn, so nothing is missing
        chart = render_chart(DEPARTMENTS, WEEKLY, look_for_font=False)
    is_png(chart.png)
    assert chart.font is None and NO_FONT_NOTE in captured["title"]
    assert chart.caption == "D1 = 人社局；D2 = 财政局"


def test_an_empty_database_still_gives_a_chart():
    is_png(render_chart([], {}, look_for_font=False).png)
