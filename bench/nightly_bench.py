"""Does a night make answers better? One default night on real documents nobody here wrote, then the
answer benchmark's three sets for the bundled model before it and the promoted model after it, in one run.

The answer benchmark's home (bench/answer_bench.py: the notes set's 223 prose documents, 175 manual pages and
10 record files, in one folder as one person's notes would be) is made in `--work` and indexed; `foldermind
train` runs at the default settings in its own process, as the daemon runs it. Then both models (the night's
also when its gate rejected it: `keep_rejected` keeps it; and, with `--peer`, LlamaIndex) answer the three
question sets through `answer.ask`, the figures split into questions whose document the night trained on (what
a user asks about their own notes) and those whose document it did not (the reading skill): held out, or past
the night's token budget, which reads the newest documents first (the questioned ones: answer_bench.py's
`questioned_newest`). Also: the night's own gate figures (held-out questions made from held-out documents,
perplexities, the verdict), and time and peak memory per stage. Every answer is kept in
`--work`/answers-night.json.

Run: .venv/bin/python bench/nightly_bench.py [--split report|tune|all] [--peer] [--max-minutes M] [--work DIR]
     [--tables: the last run's answer tables again, from the answers it kept]
     [--again: the last night's models asked again, without training (the home is read again first)]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import bench_home, compare, keep_answers, load_questions, print_tables, recalls_of
from common import table
from foldermind.home import open_home
from foldermind.models import live_version
from foldermind.trainer.pipeline import served_base
from foldermind.trainer.runs import DOCUMENT_LISTS, last_result, rejected_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--peer", action="store_true", help="also run LlamaIndex (see bench/README.md)")
    parser.add_argument("--max-minutes", type=float, help="training minutes (default: the default config's)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-night-bench"), help="kept between runs")
    parser.add_argument("--tables", action="store_true", help="print the last run's answer tables again, only")
    parser.add_argument(
        "--again", action="store_true", help="ask the last night's models again (no training): after a stopped run"
    )
    args = parser.parse_args()
    if args.tables:
        if not (args.work / "answers-night.json").is_file():
            parser.error(f"no answers kept in {args.work}: run the bench first")
        kept = json.loads((args.work / "answers-night.json").read_text())
        config = open_home(Path((args.work / "home-path").read_text()))
        questions = {q.id: q for q in load_questions(["notes", "manpages", "records"], "all")}
        # A question left out since the run (answered_in_notes) is left out of its kept answers too.
        answers = {name: [a for a in found if a["id"] in questions] for name, found in kept["answers"].items()}
        asked = [questions[a["id"]] for a in next(iter(answers.values()))]
        trained = None if kept["trained"] is None else set(kept["trained"])
        print_tables(asked, answers, recalls_of(config, asked), trained)
        return

    config = bench_home(args.work)
    env = {
        **os.environ,
        "FOLDERMIND_TRAINER__KEEP_REJECTED": "true",  # a rejected night's model is asked too, so its figures show
        **({"FOLDERMIND_TRAINER__MAX_MINUTES": str(args.max_minutes)} if args.max_minutes else {}),
    }
    started = time.perf_counter()
    if not args.again:  # in its own process, as the daemon runs it: its peak memory is the training's alone
        subprocess.run([sys.executable, "-m", "foldermind", "--home", str(config.home), "train"], env=env, check=False)
    night = time.perf_counter() - started
    record = last_result(config) or {}
    print(f"{record.get('status')}: {record.get('message')}", flush=True)
    report = record.get("report", {})

    models = {"before (bundled SmolLM2-135M)": served_base(config)}
    if record.get("status") == "promoted":
        models[f"after one night ({record['version']})"] = live_version(config.data_dir, "").path
    elif "candidate" in report:
        models["after one night (rejected by its gate)"] = rejected_model(config)
    questions = load_questions(["notes", "manpages", "records"], args.split)
    listed = report.get("data", {}).get("trained_documents")
    trained = None if listed is None else set(listed)
    print(f"the night trained on {len(listed)} documents" if listed else "no documents trained: not split", flush=True)
    results = compare(config, questions, models, args.peer, trained, work=args.work)
    keep_answers(args.work / "answers-night.json", questions, results, trained=listed)
    if "candidate" in report:
        data = report["data"]
        table(
            f"The night's gate: {data['held_out_questions']} questions ({data['held_out_question_kind']}) made from "
            f"held-out documents, asked through the answer path",
            ["model", "own words right", "shown right", "refused", "held-out perplexity", "general-text perplexity"],
            [
                [
                    name,
                    s["answer_accuracy"],
                    s["served_accuracy"],
                    sum(s.get("refused", [])),
                    s["user_perplexity"],
                    s["reference_perplexity"],
                ]
                for name, s in (("base", report["base"]), ("candidate", report["candidate"]))
            ],
        )
        print(f"verdict: {report['verdict']}")
        print(f"data: { {key: value for key, value in data.items() if key not in DOCUMENT_LISTS} }")
    stages = report.get("stages", {})
    table(
        f"Time per stage (the night: {night / 60:.1f} min)" if not args.again else "Time per stage (as recorded)",
        ["stage", "seconds", "peak RSS MB (training process so far)"],
        [[name, f"{s['seconds']:.1f}", str(s["peak_rss_mb"])] for name, s in stages.items()],
    )


if __name__ == "__main__":
    main()
