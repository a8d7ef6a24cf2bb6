"""The command-line contract, run as a user would run it (subprocesses)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(config: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(config), *args],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


JSON_FIELDS = {"question", "verdict", "verdict_label", "entry_id", "confidence", "abstained", "answer",
               "articles", "citations", "alternatives"}


def test_ask_prints_a_readable_answer(config_path):
    out = run(config_path, "ask", "涉密文件能给申请人吗")
    assert out.returncode == 0, out.stderr
    assert "【不予公开】" in out.stdout and "第十四条" in out.stdout


def test_ask_json_contract(config_path):
    out = run(config_path, "ask", "--json", "我们局的预决算要不要挂网")
    data = json.loads(out.stdout)
    assert set(data) >= JSON_FIELDS
    assert data["verdict"] == "proactive" and data["verdict_label"] == "主动公开"
    assert data["articles"] == ["第二十条"]  # Regulation articles only
    assert "《预算法》第十四条" in data["citations"]
    assert data["abstained"] is False


def test_ask_json_stdin_one_object_per_line(config_path):
    questions = ["涉密文件能给申请人吗", "", "明天天气怎么样"] * 400
    out = run(config_path, "ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 800
    assert rows[0]["verdict"] == "must_not"
    assert rows[1]["abstained"] is True and rows[1]["verdict"] is None and rows[1]["articles"] == []


def test_check_clean_and_broken(config_path, kb_dir):
    assert run(config_path, "check").returncode == 0
    (kb_dir / "entries" / "bad.yaml").write_text("entries:\n  - id: x\n    verdict: nope\n", encoding="utf-8")
    out = run(config_path, "check")
    assert out.returncode == 1
    assert "bad.yaml:2:" in out.stdout and "unknown verdict" in out.stdout


def test_broken_knowledge_stops_ask_with_file_line(config_path, kb_dir):
    (kb_dir / "entries" / "bad.yaml").write_text("entries: [\n", encoding="utf-8")
    out = run(config_path, "ask", "值班表")
    assert out.returncode == 1
    assert "bad.yaml:" in out.stderr


def test_eval_reports_figures_and_misses(config_path, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in [
        {"id": "A", "question": "涉密文件能给申请人吗", "kind": "scope", "expected_verdict": "must_not", "articles": ["第十四条"]},
        {"id": "B", "question": "局里值班表能不能给申请人", "kind": "scope", "expected_verdict": "proactive", "articles": ["第二十条"]},
        {"id": "C", "question": "明天天气怎么样", "kind": "out_of_scope"},
        {"id": "D", "question": "答复期限能延长吗", "kind": "procedure", "articles": ["第三十三条"]},
    ]), encoding="utf-8")
    out = run(config_path, "eval", str(cases), "--json")
    data = json.loads(out.stdout)
    assert data["verdict_accuracy"] == 0.5
    assert data["article_hit_rate"] == 2 / 3
    assert data["out_of_scope_abstained"] == 1.0
    assert any(m.startswith("B ") for m in data["misses"])
    table = run(config_path, "eval", str(cases)).stdout
    assert "verdict accuracy" in table and "B verdict may_withhold" in table


def test_backup_command(config_path, tmp_path):
    run(config_path, "ask", "值班表")
    assert run(config_path, "console", stdin="值班表能给吗\n").returncode == 0
    out = run(config_path, "backup", str(tmp_path / "b" / "copy.db"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "b" / "copy.db").exists()
