"""Options of manual pages, whatever format they were saved in. For three option entries of each page the answer
benchmark installs (drawn with a fixed seed from the page's text rendering: an option, maybe its long name, and
the first line of its description), the question "Which PAGE option means: DESCRIPTION?" is asked of the same
pages saved as text, PDF and HTML (evidence_bench.layout_home, each a home of its own). For each: whether hybrid
search ranks the page first, whether the first evidence passage and its quote hold the option (the short name,
case counting: -t is not -T; or the long one), whether the check grounds "Use the -x option." and whether it
refuses another option of the same page. No model runs: this measures reading, evidence and the check.

With `--before REV`, the same on another revision's code, which reads and indexes a copy of each folder itself
(in a git worktree, in its own process), for a row to compare in the same run.

Run: .venv/bin/python bench/option_bench.py [--layout txt pdf html] [--before REV] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import share
from common import table, worktree
from evidence_bench import fresh_copy, layout_home
from foldermind.answer import Notes
from foldermind.evidence import grounded, quote
from foldermind.home import open_home
from foldermind.indexer.index import Index

# An option's entry in a page rendered at 80 columns: its names alone at 7 spaces ("-t", "-p DIR", "-t, --text",
# "-b, --bytes=LIST"), its description at 14 on the line below.
ENTRY = re.compile(r"^ {7}(-[A-Za-z0-9])(?:[ =][A-Z]\S*)?(?:, (--[\w-]+)\S*)?[ \t]*\n {14}([a-z][^\n]{15,})", re.M)
PER_PAGE = 3  # entries asked about per page with at least this many
SEED = 7


@dataclass(frozen=True)
class OptionQuestion:
    page: str  # the page's name: its file is PAGE.<layout>
    question: str
    short: str  # "-t"
    long: str  # "--text", or "" where the entry has none
    other: str  # another option of the same page

    def held(self, text: str) -> bool:
        short = re.search(rf"(?<![\w-]){re.escape(self.short)}(?![\w-])", text) is not None
        return short or bool(self.long and re.search(rf"{re.escape(self.long)}(?![\w-])", text))


def option_questions(pages: Path) -> list[OptionQuestion]:
    """PER_PAGE questions per text page in `pages` with that many option entries, the same on every run."""
    rng = random.Random(SEED)
    found = []
    for page in sorted(pages.glob("*.txt")):
        entries = ENTRY.findall(page.read_text())
        if len(entries) < PER_PAGE:
            continue
        for short, long, description in rng.sample(entries, PER_PAGE):
            meaning = re.split(r"[;.(]", " ".join(description.split()))[0].strip()
            other = next(e[0] for e in entries if e[0].lower() != short.lower())
            found.append(OptionQuestion(page.stem, f"Which {page.stem} option means: {meaning}?", short, long, other))
    return found


def measure(home: Path, questions: list[OptionQuestion], layout: str) -> list[int]:
    """[page first, the first passage holds it, its quote holds it, right grounded, other refused, questions]"""
    config = open_home(home)
    index = Index(config)
    notes = Notes(index, config.server)
    counts = [0] * 6
    for item in questions:
        hits = notes.search(item.question, config.server.candidates, None, {}, config.server.each_ranking_first)
        first = notes.evidence(item.question, hits)[:1]
        counts[0] += [h.path for h in hits[:1]] == [f"manpages/{item.page}.{layout}"]
        if first:
            counts[1] += item.held(first[0].text)
            counts[2] += item.held(quote(first[0], item.question))
            counts[3] += grounded(f"Use the {item.short} option.", item.question, first[0])
            counts[4] += not grounded(f"Use the {item.other} option.", item.question, first[0])
        counts[5] += 1
    index.close()
    return counts


def before(revision: str, home: Path, pages: Path, layout: str) -> list[int]:
    """The counts on another revision's code, over a copy of the home's folder that code reads and indexes."""
    with worktree(revision) as tree:
        command = [sys.executable, __file__, "--measure", str(home), "--pages", str(pages), "--layout", layout]
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}  # this script, that revision's foldermind
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layout", nargs="+", choices=["txt", "pdf", "html"], default=["txt", "pdf", "html"])
    parser.add_argument("--before", help="a git revision to measure in the same run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="answer_bench.py's")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a home: print a fresh copy's counts
    parser.add_argument("--pages", type=Path, help=argparse.SUPPRESS)  # the text pages the questions come from
    args = parser.parse_args()
    if args.measure:
        copy = fresh_copy(args.measure)
        print(json.dumps(measure(copy, option_questions(args.pages), args.layout[0])))
        shutil.rmtree(copy.parent)
        return
    pages = open_home(layout_home(args.work, "txt")).context_dir / "manpages"
    questions = option_questions(pages)
    rows = []
    for layout in args.layout:
        home = layout_home(args.work, layout)
        measured = {args.before: before(args.before, home, pages, layout)} if args.before else {}
        measured["now"] = measure(home, questions, layout)
        rows += [[layout, code, *(share(c, counts[-1]) for c in counts[:-1])] for code, counts in measured.items()]
    table(
        f"Option questions on manual pages, by the format they were saved in ({len(questions)} questions)",
        ["layout", "code", "page first", "first passage holds it", "quote holds it", "right grounded", "other refused"],
        rows,
    )


if __name__ == "__main__":
    main()
