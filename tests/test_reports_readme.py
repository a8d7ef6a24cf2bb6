"""The README's Database section is part of the product: every table is described, every query runs."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.reportfixture import fill

README = Path(__file__).resolve().parent.parent / "README.md"


def section() -> str:
    return README.read_text(encoding="utf-8").split("\n## Database", 1)[1].split("\n## ", 1)[0]


def test_every_table_is_described(core):
    tables = core.store.run_sync(lambda db: db.table_names())
    missing = [t for t in tables if f"`{t}`" not in section()]
    assert not missing, f"describe {missing} in the Database section of README.md"


def test_the_example_queries_run_with_the_sqlite_utils_cli(core, tmp_path):
    core.store.run_sync(fill)
    copy = tmp_path / "copy.db"
    core.store.run_sync(lambda db: db.execute(f"VACUUM INTO '{copy}'"))
    commands = re.findall(r"^sqlite-utils copy\.db .+$", section(), re.M)
    assert len(commands) >= 2
    outputs = []
    for command in commands:
        args = shlex.split(command)[1:]
        args[0] = str(copy)
        cli = Path(sys.executable).with_name("sqlite-utils")
        out = subprocess.run([str(cli), *args], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        outputs.append(out.stdout)
    completion = outputs[0].splitlines()
    assert completion[0].split() == ["department", "assigned", "passed", "overdue"]
    assert completion[2].split()[:3] == ["人社局", "2", "1"] and completion[3].split()[:3] == ["财政局", "2", "0"]
    assert "proactive" in outputs[1] and "2026-02-23" in outputs[1]
