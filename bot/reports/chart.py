"""The /stats chart: training completion by department, and questions per week by verdict, as one PNG.

Chinese labels need a CJK font. We look for one (fontconfig's ``fc-list :lang=zh``, then fonts matplotlib
already knows); on Debian ``apt-get install fonts-noto-cjk`` or ``fonts-wqy-microhei`` provides one. With
none, the chart is drawn with English labels, departments become D1, D2 … (the caption maps them back),
and the title says so: tofu boxes would be worse than English.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.reports.completion import DepartmentRollup
from bot.reports.export import week_columns
from bot.verdicts import Verdict

KNOWN_CJK = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Droid Sans Fallback", "AR PL UMing CN")
NO_FONT_NOTE = "no CJK font found: labels in English"
MAX_WEEKS = 12

# (Chinese, English) for every label the chart draws.
WORDS = {
    "title": ("培训完成与提问情况", "Training completion and questions asked"),
    "completion": ("各部门培训完成情况（按分配项）", "Training by department (assignments)"),
    "weekly": ("每周提问（按结论）", "Questions per week (by verdict)"),
    "passed": ("已通过", "passed"), "in_progress": ("进行中", "in progress"),
    "overdue": ("已逾期", "overdue"), "failed": ("未通过", "failed"),
    "assignments": ("分配项", "assignments"), "questions": ("提问数", "questions"), "week": ("周（周一）", "week (Monday)"),
    "no_data": ("暂无数据", "no data"),
}
ENGLISH_COLUMNS = {v.label: v.value.replace("_", " ") for v in Verdict} | {"未答出": "unanswered", "不在服务范围": "out of scope"}


@dataclass(frozen=True)
class Chart:
    png: bytes
    font: str | None  # the CJK font used, or None (English labels)
    caption: str  # for the message under the picture (maps D1… back to departments when needed)


@functools.cache
def find_cjk_font() -> str | None:
    """Path of a font with Chinese glyphs, or None."""
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        paths = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
        for path in sorted(paths, key=lambda p: (not p.endswith((".ttf", ".otf")), p)):
            if Path(path).is_file():
                return path
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if font.name in KNOWN_CJK and Path(font.fname).is_file():
            return font.fname
    return None


def _family(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def render_chart(departments: Sequence[DepartmentRollup], weekly: dict[str, dict[str, int]],
                 font: str | None = None, *, look_for_font: bool = True) -> Chart:
    """PNG bytes of the two panels. ``font`` overrides the search; ``look_for_font=False`` forces English."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    font = font or (find_cjk_font() if look_for_font else None)
    chinese = font is not None
    pick = 0 if chinese else 1

    def word(key: str) -> str:
        return WORDS[key][pick]

    names = [d.department for d in departments]
    shown = names if chinese else [f"D{i}" for i in range(1, len(names) + 1)]
    caption = "" if chinese else "；".join(f"D{i} = {n}" for i, n in enumerate(names, 1))
    family = [_family(font), "DejaVu Sans"] if font else ["DejaVu Sans"]
    with rc_context({"font.family": family, "axes.unicode_minus": False}):
        figure = Figure(figsize=(12, max(4.5, 0.45 * len(names) + 2)), dpi=100)
        left, right = figure.subplots(1, 2, width_ratios=(1, 1.3))
        _completion(left, departments, shown, word)
        _weekly(right, weekly, chinese, word)
        figure.suptitle(word("title") + ("" if chinese else f" ({NO_FONT_NOTE})"), fontsize=14)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return Chart(png=out.getvalue(), font=font, caption=caption)


def _completion(ax, departments: Sequence[DepartmentRollup], labels: list[str], word) -> None:
    ax.set_title(word("completion"))
    if not departments or not any(d.assigned for d in departments):
        ax.text(0.5, 0.5, word("no_data"), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    rows = range(len(departments))
    start = [0] * len(departments)
    parts = (("passed", "#2e7d32"), ("in_progress", "#90caf9"), ("overdue", "#ef6c00"), ("failed", "#c62828"))
    for key, color in parts:
        values = [getattr(d, key) for d in departments]
        ax.barh(rows, values, left=start, color=color, label=word(key))
        start = [s + v for s, v in zip(start, values, strict=True)]
    for y, d in zip(rows, departments, strict=True):
        ax.text(d.assigned, y, f" {d.completion * 100:.0f}%", va="center")
    from matplotlib.ticker import MaxNLocator

    ax.set_yticks(list(rows), labels)
    ax.invert_yaxis()
    ax.set_xlabel(word("assignments"))
    ax.set_xlim(0, max(d.assigned for d in departments) * 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=8, frameon=False)


def _weekly(ax, weekly: dict[str, dict[str, int]], chinese: bool, word) -> None:
    ax.set_title(word("weekly"))
    weeks = list(weekly)[-MAX_WEEKS:]
    columns = [c for c in week_columns() if any(weekly[w].get(c) for w in weeks)]
    if not weeks or not columns:
        ax.text(0.5, 0.5, word("no_data"), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    from matplotlib import colormaps
    from matplotlib.ticker import MaxNLocator

    palette = colormaps["tab10"]
    order = week_columns()  # a column keeps its colour whichever columns a given chart shows
    bottom = [0] * len(weeks)
    for column in columns:
        values = [weekly[w].get(column, 0) for w in weeks]
        index = order.index(column)
        color = palette(index) if index < 10 else "#9e9e9e"
        ax.bar(range(len(weeks)), values, bottom=bottom, color=color,
               label=column if chinese else ENGLISH_COLUMNS.get(column, column))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(range(len(weeks)), [w[5:] for w in weeks], rotation=45)
    ax.set_xlabel(word("week"))
    ax.set_ylabel(word("questions"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
