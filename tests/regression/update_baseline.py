"""Record the current regression figures as the baseline CI holds the engine to.

    python -m tests.regression.update_baseline
"""

import json
import math
from pathlib import Path

from bot.content.knowledge import load_knowledge
from bot.evaluation import evaluate, read_cases
from bot.matching.engine import Engine

HERE = Path(__file__).resolve().parent


def main() -> None:
    report = evaluate(Engine(load_knowledge(HERE.parent.parent / "knowledge")), read_cases(HERE / "questions.jsonl"))
    figures = report.as_dict()
    baseline = {
        key: (math.ceil(value * 1000) / 1000 if key == "false_abstention_rate" else math.floor(value * 1000) / 1000)
        for key, value in figures.items() if key != "unsafe_release"
    }
    (HERE / "baseline.json").write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(baseline, indent=2))


if __name__ == "__main__":
    main()
