"""Does a night make answers better? The default nightly training on real documents nobody here wrote.

The answer benchmark's corpus (installed manual pages, bench/answer_bench.py: 175 pages, about 2 MB) is
indexed in a fresh home and `run_training` runs at the default settings. Then, in the same run, the base
model and the promoted model answer the answer benchmark's questions (written before any of this work;
`--split report` by default) through the server's own path (retrieval, evidence, prompt, sampling).
Reported: answer accuracy of each model's own words and as served (after the server's answer check),
refusals of unanswerable questions; the night's own figures (questions generated from held-out chunks,
perplexity on held-out notes and on general text); time and peak memory per stage.

Run: .venv/bin/python bench/nightly_bench.py [--split report|tune|all] [--max-minutes M]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import REFUSAL, build_corpus, load_questions
from common import table, temporary_home
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.models import live_version
from foldermind.trainer.evaluate import answer_questions
from foldermind.trainer.pipeline import served_base
from foldermind.trainer.runs import last_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--max-minutes", type=float, help="training minutes (default: the default config's)")
    args = parser.parse_args()

    config = temporary_home("fm-night-")
    pages = build_corpus(config.context_dir)
    size = sum(p.stat().st_size for p in config.context_dir.iterdir())
    started = time.perf_counter()
    index = Index(config)
    index_folder(index)
    index.close()
    print(f"corpus: {pages} pages, {size / 1e6:.2f} MB, indexed in {time.perf_counter() - started:.0f} s", flush=True)
    env = {**os.environ, **({"FOLDERMIND_TRAINER__MAX_MINUTES": str(args.max_minutes)} if args.max_minutes else {})}
    started = time.perf_counter()
    # In its own process, as the daemon runs it: its peak memory is the training's alone.
    subprocess.run([sys.executable, "-m", "foldermind", "--home", str(config.home), "train"], env=env, check=False)
    night = time.perf_counter() - started
    record = last_result(config) or {}
    print(f"{record.get('status')}: {record.get('message')}", flush=True)
    report = record.get("report", {})

    models = {"base (bundled SmolLM2-135M)": served_base(config)}
    if record.get("status") == "promoted":
        models[f"{record['version']} (after one night)"] = live_version(config.data_dir, "").path
    questions = load_questions(args.split)
    answerable = [q for q in questions if q["doc"]]
    unanswerable = [q for q in questions if not q["doc"]]
    index = Index(config)
    rows = []
    for name, gguf in models.items():
        answers = dict(
            zip(
                [q["q"] for q in questions],
                answer_questions(gguf, config, index, [q["q"] for q in questions]),
                strict=True,
            )
        )
        row = [name]
        for which in (0, 1):  # the model's own words, then as served
            right = sum(bool(re.search(q["answer"], answers[q["q"]][which])) for q in answerable)
            refused = sum(bool(REFUSAL.search(answers[q["q"]][which])) for q in unanswerable)
            row += [f"{right / len(answerable):.2f}", f"{refused / max(1, len(unanswerable)):.2f}"]
        rows.append(row)
    index.close()
    table(
        f"The answer benchmark's questions ({args.split} split: {len(answerable)} answerable, "
        f"{len(unanswerable)} not), base and promoted model in one run",
        ["model", "right (own words)", "refused (own words)", "right (as served)", "refused (as served)"],
        rows,
    )
    if "candidate" in report:
        data = report["data"]
        table(
            f"The night's own measurements: {data['held_out_questions']} questions generated from held-out chunks",
            ["model", "held-out questions right", "as served", "held-out perplexity", "general-text perplexity"],
            [
                [name, s["answer_accuracy"], s["served_accuracy"], s["user_perplexity"], s["reference_perplexity"]]
                for name, s in (("base", report["base"]), ("candidate", report["candidate"]))
            ],
        )
        print(f"verdict: {report['verdict']}")
        print(f"data: {data}")
    stages = report.get("stages", {})
    table(
        f"Time per stage (the night: {night / 60:.1f} min)",
        ["stage", "seconds", "peak RSS MB (training process so far)"],
        [[name, f"{s['seconds']:.1f}", str(s["peak_rss_mb"])] for name, s in stages.items()],
    )


if __name__ == "__main__":
    main()
