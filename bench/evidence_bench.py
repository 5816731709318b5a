"""Does the evidence hold the answer? The answer benchmark's questions (notes, man pages, records) without a
model: for each answerable question, whether hybrid search ranks its document first, whether one of the chunks
handed to evidence holds the answer (the ceiling evidence can reach), whether the passage the model reads
first holds it (the answer benchmark's "evidence holds it"), and whether the check's quote of that passage
(what a user reads when the model's words fail the check) holds it. Minutes where bench/answer_bench.py takes
most of an hour, so a change to search or evidence can be measured on the tune split as it is made.

With `--layout pdf` or `--layout html`, the man-page questions on the same pages saved as PDF or HTML (groff,
as `man -t` and `man -Thtml` render them; needs Debian's groff and ghostscript), in a home of their own.

With `--before REV`, the same on the code of another revision (a git worktree, in its own process), for a row
to compare in the same run: over the same home and questions (both revisions must read the home's manifest),
or, for a PDF or HTML layout, over a copy of its folder that REV's code reads and indexes itself.

Run: .venv/bin/python bench/evidence_bench.py [--split tune|report|all] [--layout txt|pdf|html] [--before REV]
     [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import bench_home, build_manpages, load_questions, share
from common import table, temporary_home, worktree
from foldermind.answer import Notes
from foldermind.config import default_config_text
from foldermind.evidence import quote
from foldermind.home import open_home
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder


def sets_of(layout: str) -> list[str]:
    """The question sets measured: all three on the home's own files; the man pages alone in another layout."""
    return ["notes", "manpages", "records"] if layout == "txt" else ["manpages"]


def measure(home: Path, split: str, layout: str = "txt") -> dict[str, list[int]]:
    """{set: [document first, a chunk holds it, the first passage holds it, its quote holds it, questions]}"""
    config = open_home(home)
    index = Index(config)
    notes = Notes(index, config.server)
    found: dict[str, list[int]] = {}
    for question in load_questions(sets_of(layout), split, layout):
        if not question.path:
            continue
        hits = notes.search(question.question, config.server.candidates, None, {}, config.server.each_ranking_first)
        first = notes.evidence(question.question, hits)[:1]
        counts = found.setdefault(question.set, [0, 0, 0, 0, 0])
        counts[0] += [h.path for h in hits[:1]] == [question.path]
        counts[1] += any(question.right(h.text) for h in hits)
        counts[2] += bool(first) and question.right(first[0].text)
        counts[3] += bool(first) and question.right(quote(first[0], question.question))
        counts[4] += 1
    index.close()
    return found


def layout_home(work: Path, layout: str) -> Path:
    """A home with the man pages saved as `layout` (build_manpages), made once and kept in `work`, indexed."""
    marker = work / f"home-path-{layout}"
    if marker.exists() and Path(marker.read_text()).is_dir():
        home = Path(marker.read_text())
        (home / "config.toml").write_text(default_config_text())
        config = open_home(home)
    else:
        config = temporary_home(f"fm-{layout}-")
        print(f"corpus: {build_manpages(config.context_dir / 'manpages', layout)} manual pages", flush=True)
        work.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(config.home))
    index = Index(config)
    report = index_folder(index)
    print(f"index: {len(report.indexed)} read, {len(report.failed)} failed, {report.seconds:.0f} s", flush=True)
    index.close()
    return config.home


def fresh_copy(home: Path) -> Path:
    """A new home holding a copy of `home`'s folder, read and indexed by the code this process runs (the caller
    removes it: `home.parent`)."""
    config = temporary_home("fm-evidence-copy-")
    shutil.rmtree(config.context_dir)
    shutil.copytree(open_home(home).context_dir, config.context_dir)
    index = Index(config)
    index_folder(index)
    index.close()
    return config.home


def before(revision: str, home: Path, split: str, layout: str) -> dict[str, list[int]]:
    """The counts on another revision's code, with that revision's default settings (a newer option is unknown
    to older code): over the same home, or (a PDF or HTML layout) a copy of its folder that code reads."""
    config, now = home / "config.toml", (home / "config.toml").read_text()
    with worktree(revision) as tree:
        config.write_text((tree / "src" / "foldermind" / "config.toml").read_text())
        try:
            command = [sys.executable, __file__, "--measure", str(home), "--split", split, "--layout", layout]
            command += ["--fresh"] if layout != "txt" else []
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}  # this script, that revision's foldermind
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            config.write_text(now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="tune")
    parser.add_argument("--before", help="a git revision to measure in the same run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="answer_bench.py's")
    parser.add_argument("--layout", choices=["txt", "pdf", "html"], default="txt", help="how the man pages are saved")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a home: print the counts as JSON
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)  # --measure a copy read anew
    args = parser.parse_args()
    if args.measure:
        home = fresh_copy(args.measure) if args.fresh else args.measure
        print(json.dumps(measure(home, args.split, args.layout)))
        if args.fresh:
            shutil.rmtree(home.parent)
        return
    home = bench_home(args.work).home if args.layout == "txt" else layout_home(args.work, args.layout)
    rows = {}
    if args.before:
        rows[args.before] = before(args.before, home, args.split, args.layout)
    rows["now"] = measure(home, args.split, args.layout)
    for chosen in sets_of(args.layout):
        table(
            f"Evidence, {chosen} set{f' ({args.layout})' if chosen == 'manpages' else ''}, {args.split} split",
            ["code", "document first (recall@1)", "a chunk holds the answer", "evidence holds it", "quote holds it"],
            [[name, *(share(c, counts[chosen][-1]) for c in counts[chosen][:-1])] for name, counts in rows.items()],
        )


if __name__ == "__main__":
    main()
