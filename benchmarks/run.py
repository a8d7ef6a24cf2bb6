"""Run every benchmark and print one table (and write JSON).

    python -m benchmarks.run            full run (about ten minutes on 2 cores)
    python -m benchmarks.run --smoke    tiny sizes, seconds; CI runs this so the benchmarks keep working

Sections: engine (bundled base and synthetic N), startup to first answer, bot throughput, push.
Targets live here, next to the figures, not in timed tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def engine_figures(n: int | None, queries: int) -> dict[str, Any]:
    """Latency, accuracy, build time and memory of the engine on the bundled base (n=None) or a synthetic one."""
    from benchmarks.synthetic import generate
    from bot.content.knowledge import load_knowledge
    from bot.matching.engine import Engine

    if n is None:
        kb = load_knowledge(ROOT / "knowledge")
        cases = [(e.alternates[-1], e.id) for e in kb.entries.values() if e.alternates]
    else:
        kb, qs = generate(n)
        cases = [(q.text, q.entry_id) for q in qs]
    started = time.perf_counter()
    engine = Engine(kb)
    build_s = time.perf_counter() - started
    cases = cases[:queries] if len(cases) > queries else cases
    latencies, hits = [], 0
    for text, expected in cases:
        t0 = time.perf_counter()
        answer = engine.ask(text)
        latencies.append((time.perf_counter() - t0) * 1000)
        top = answer.entry.id if answer.entry else (answer.alternatives[0].entry_id if answer.alternatives else None)
        hits += top == expected
    return {
        "entries": len(kb.entries),
        "phrasings": sum(len(e.phrasings) for e in kb.entries.values()),
        "queries": len(cases),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 99), 3),
        "top1_accuracy": round(hits / len(cases), 4),
        "build_s": round(build_s, 3),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def in_subprocess(section: str, *args: str) -> dict[str, Any]:
    """Each measurement in a fresh interpreter, so memory and caches do not leak between them."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--one", section, *args],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup_figures(runs: int) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "bot.py"), "ask", "会议纪要有人申请公开"], capture_output=True,
                       check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def run_all(smoke: bool) -> dict[str, Any]:
    sizes = [200] if smoke else [1000, 10_000, 50_000]
    queries = 50 if smoke else 1000
    results: dict[str, Any] = {"machine": machine(), "smoke": smoke, "engine": {}}
    results["engine"]["bundled"] = in_subprocess("engine", "bundled", str(queries))
    for n in sizes:
        results["engine"][str(n)] = in_subprocess("engine", str(n), str(queries))
    results["startup"] = startup_figures(1 if smoke else 5)
    try:
        from benchmarks.botbench import bot_figures, push_figures
    except ImportError:
        pass
    else:
        results["bot"] = bot_figures(smoke)
        results["push"] = push_figures(smoke)
    return results


ENGINE_TARGETS = {"1000": "p99 ≤ 5 ms", "50000": "p99 ≤ 25 ms"}
STARTUP_TARGET_S = 1.5
BOT_TARGETS = {"offline": "≥ 50% of ceiling", "50 ms round trip": "≥ 300/s"}
PUSH_TARGET = 1.2  # × the floor, nothing lost


def table(results: dict[str, Any]) -> str:
    lines = [f"Machine: {results['machine']}", "",
             "| engine | entries | phrasings | p50 ms | p99 ms | top-1 | build s | RSS MB | target |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results["engine"].items():
        lines.append(f"| {name} | {r['entries']} | {r['phrasings']} | {r['p50_ms']} | {r['p99_ms']} | "
                     f"{r['top1_accuracy']:.1%} | {r['build_s']} | {r['rss_mb']} | {ENGINE_TARGETS.get(name, '')} |")
    s = results["startup"]
    lines += ["", f"Startup to first answer (`python bot.py ask`): median {s['median_s']} s over {s['runs']} runs "
                  f"(target ≤ {STARTUP_TARGET_S} s)"]
    if "bot" in results:
        b = results["bot"]
        lines += ["", "| bot, updates/s | updates | concurrent | outgoing limiter | bot | PTB ceiling | ratio | target |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, r in b["throughput"].items():
            lines.append(f"| {name} | {r['updates']} | {r['concurrent_updates']} | {r['outgoing_limiter']} | "
                         f"{r['bot_ups']} | {r['ceiling_ups']} | {r['ratio']:.0%} | {BOT_TARGETS.get(name, '')} |")
        c = b["cost_per_update"]
        lines += ["", f"CPU per update offline: bot {c['bot_cpu_ms']} ms; PTB alone {c['ptb_fixed_text_cpu_ms']} ms "
                      f"replying a fixed text, {c['ptb_answer_sized_cpu_ms']} ms replying an answer-sized message "
                      f"(HTML, four buttons); the engine {c['engine_cpu_ms']} ms; the rest (handlers, rendering, "
                      f"services, {c['database_hops']} database round trips) {c['rest_cpu_ms']} ms"]
        for r in b["double_taps"].values():
            detail = ", ".join(f"{k} {v}" for k, v in r["twice"].items() if v)
            lines.append(f"Double taps ({r['processor']} processor): {r['users']} users tapped a quiz answer and 👎 "
                         f"twice at once: counted twice {r['counted_twice']}{f' ({detail})' if detail else ''}, "
                         f"not counted {r['not_counted']}")
    if "push" in results:
        p = results["push"]
        lines += ["", f"| push to {p['users']} staff (floor {p['floor_s']} s) | round trip | total s | × floor | "
                      "assigning s | sending s | messages/s | lost | 429s | target |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in p["runs"].values():
            lines.append(f"| {r['delivery']} | {r['round_trip_ms']} ms | {r['seconds']} | {r['ratio']:.2f} | "
                         f"{r['assign_s']} | {r['sending_s']} | {r['messages_per_s']} | {r['lost']} | "
                         f"{r['refused_429']} | ≤ {PUSH_TARGET}×, 0 lost |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--json", type=Path, help="where to write the figures (default benchmarks/results/)")
    p.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        section, size, queries = args.one
        print(json.dumps(engine_figures(None if size == "bundled" else int(size), int(queries))))
        return 0
    results = run_all(args.smoke)
    path = args.json or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
