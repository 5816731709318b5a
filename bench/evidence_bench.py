"""Does the evidence hold the answer? The answer benchmark's questions without a model: for each answerable
question, whether hybrid search ranks its document first, whether one of the chunks handed to evidence holds
the answer (the ceiling evidence can reach), whether the passage the model reads first holds it (the
answer benchmark's "evidence holds it"), and whether the check's quote of that passage (what a user reads
when the model's words fail the check) holds it. Minutes where bench/answer_bench.py takes most of an hour,
so a change to search or evidence can be measured on the tune split as it is made.

With `--before REV`, the same on the code of another revision (a git worktree, in its own process), over the
same home and questions, for a row to compare in the same run. Both revisions must read the home's manifest.

Run: .venv/bin/python bench/evidence_bench.py [--split tune|report|all] [--before REV] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import bench_home, load_questions, share
from common import table
from foldermind.answer import Notes
from foldermind.evidence import quote
from foldermind.home import open_home
from foldermind.indexer.index import Index

ROOT = Path(__file__).resolve().parent.parent


def measure(home: Path, split: str) -> dict[str, list[int]]:
    """{set: [document first, a chunk holds it, the first passage holds it, its quote holds it, questions]}"""
    config = open_home(home)
    index = Index(config)
    notes = Notes(index, config.server)
    found: dict[str, list[int]] = {}
    for question in load_questions(["notes", "manpages"], split):
        if not question.path:
            continue
        hits = notes.search(question.question, config.server.candidates, None, {})
        first = notes.evidence(question.question, hits)[:1]
        counts = found.setdefault(question.set, [0, 0, 0, 0, 0])
        counts[0] += [h.path for h in hits[:1]] == [question.path]
        counts[1] += any(question.right(h.text) for h in hits)
        counts[2] += bool(first) and question.right(first[0].text)
        counts[3] += bool(first) and question.right(quote(first[0], question.question))
        counts[4] += 1
    index.close()
    return found


def before(revision: str, home: Path, split: str) -> dict[str, list[int]]:
    """The counts on another revision's code, over the same home with that revision's default settings (a
    newer option is unknown to older code)."""
    config, now = home / "config.toml", (home / "config.toml").read_text()
    with tempfile.TemporaryDirectory(prefix="fm-evidence-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision], check=True)
        config.write_text((tree / "src" / "foldermind" / "config.toml").read_text())
        try:
            command = [sys.executable, __file__, "--measure", str(home), "--split", split]
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}  # this script, that revision's foldermind
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            config.write_text(now)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="tune")
    parser.add_argument("--before", help="a git revision to measure in the same run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="answer_bench.py's")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a home: print the counts as JSON
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.split)))
        return
    home = bench_home(args.work).home
    rows = {}
    if args.before:
        rows[args.before] = before(args.before, home, args.split)
    rows["now"] = measure(home, args.split)
    for chosen in ("notes", "manpages"):
        table(
            f"Evidence, {chosen} set, {args.split} split",
            ["code", "document first (recall@1)", "a chunk holds the answer", "evidence holds it", "quote holds it"],
            [[name, *(share(c, counts[chosen][-1]) for c in counts[chosen][:-1])] for name, counts in rows.items()],
        )


if __name__ == "__main__":
    main()
