"""The development questions: ours, for tuning, not a benchmark.

bench/notes/dev-questions*.tsv (question, answer pattern, file) and dev-unanswerable*.tsv (question, "near" or
"off") were written by the project's sessions and helpers from the documents alone, without reading the
benchmark's questions; the rules of the answer path were tuned on them, so their figures say what a change moved,
not how good the path is (bench/answer_bench.py's report split says that). One exception: dev-unanswerable-7.tsv
(programs the folder has no page on: "Which tmux key combination ...?") was written on 2026-12-06 after the man-page
set's unanswerable questions had been read to label them near or off-topic, so the man-page near-miss figure
after that day is not independent of it. Each question goes through
`answer.ask` with the bundled model (seed 0) in answer_bench's home (notes, man pages and records, indexed up to
date in `--work`), and each file prints one row: n; the model's own words, the answer shown and the top evidence
passage matching the pattern; refusals (of answerable questions: false ones). `--failures` prints each miss.

Run: .venv/bin/python bench/dev_bench.py [--failures] [--work DIR] [FILE.tsv ...] (default: every file)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import bench_home, refused
from common import table
from foldermind.answer import Notes, ask
from foldermind.indexer.index import Index
from foldermind.llama import load_llama
from foldermind.models import served_bundled
from foldermind.threads import free_cores

HERE = Path(__file__).parent / "notes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="default: bench/notes/dev-*.tsv")
    parser.add_argument("--failures", action="store_true", help="print each miss and each unrefused question")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="kept between runs")
    args = parser.parse_args()
    config = bench_home(args.work)
    index = Index(config)
    notes = Notes(index, config.server)
    settings = {"n_ctx": config.server.n_ctx, "n_threads": free_cores(), "flash_attn": True, "verbose": False}
    llama = load_llama(served_bundled(), **settings)
    rows = []
    try:
        for file in args.files or sorted(HERE.glob("dev-*.tsv")):
            lines = [line.split("\t") for line in file.read_text().splitlines() if line.strip()]
            own = shown = found = refusals = 0
            for question, *rest in lines:
                plan, reply = ask(llama, question, notes, config.server, seed=0)
                evidence = plan.passages[0].text if plan.passages else ""
                no = refused({"shown": reply.shown, "fixed": reply.fixed})
                refusals += no
                if len(rest) == 1:  # unanswerable: "near" or "off"
                    if args.failures and not no:
                        print(f"- [{rest[0]}] {question}\n    shown: {reply.shown[:160]!r}", flush=True)
                    continue
                pattern = rest[0]
                right = [re.search(pattern, text, re.I) is not None for text in (reply.own, reply.shown, evidence)]
                own, shown, found = own + right[0], shown + right[1], found + right[2]
                if args.failures and not right[1]:
                    print(f"- {question}\n    shown: {reply.shown[:160]!r}\n    evidence: {evidence[:160]!r}")
            answerable = len(lines[0]) > 2
            figures = [own, shown, found] if answerable else ["-", "-", "-"]
            rows.append([file.name, len(lines), *figures, refusals])
    finally:
        llama.close()
        index.close()
    header = ["file", "n", "own words right", "shown right", "evidence holds it", "refused"]
    table("Development questions (ours, tuned on; bundled model, seed 0)", header, rows)


if __name__ == "__main__":
    main()
