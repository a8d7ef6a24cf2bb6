"""The benchmarks keep working: ``python -m benchmarks.run --smoke`` runs every section at tiny sizes.

No timing is asserted here (figures belong in the README, not in tests); only that the command succeeds,
prints and writes every section, and that the correctness checks built into the benchmarks hold: a
double-tapped button counts once under concurrent updates, and a push under Telegram's flood limits
loses nobody.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_smoke_run_prints_and_writes_every_section(tmp_path):
    out_json = tmp_path / "smoke.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--smoke", "--json", str(out_json)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    for heading in ("| engine |", "Startup to first answer", "| bot, updates/s |", "CPU per update offline",
                    "Double taps (per-user processor)", "| push to "):
        assert heading in done.stdout, f"{heading!r} missing from:\n{done.stdout}"

    results = json.loads(out_json.read_text(encoding="utf-8"))
    assert results["smoke"] is True
    assert {"bundled", "200"} <= results["engine"].keys()
    assert results["startup"]["runs"] == 1
    throughput = results["bot"]["throughput"]
    assert {"offline", "50 ms round trip"} <= throughput.keys()
    assert all(r["bot_ups"] > 0 and r["ceiling_ups"] > 0 for r in throughput.values())
    taps = results["bot"]["double_taps"]["per-user"]
    assert taps["counted_twice"] == 0 and taps["not_counted"] == 0, taps
    runs = results["push"]["runs"]
    assert len(runs) == 4
    for run in runs.values():
        assert run["lost"] == 0 and run["sent_twice"] == 0 and run["report_sent"], run
