#!/usr/bin/env python3
"""Checks bench/notes/questions.jsonl and questions-2.jsonl against bench/notes/docs/ (not against any answer).

For every answerable question: the source exists, the quote occurs in the source's visible text
(HTML through `pandoc -t plain`, PDF through `pdftotext`, Markdown and text as they are; runs of
whitespace count as one space), and the pattern matches the answer. For every question: the fields,
the kinds, and the split rule (every fourth id is "tune"). Prints the counts. Needs pandoc and
poppler-utils. Run: python3 bench/notes/check.py
"""

import collections
import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE / "docs"
FIELDS = ["id", "split", "question", "kind", "answer", "pattern", "source", "quote"]
KINDS = {
    "person",
    "organisation",
    "date",
    "number",
    "version",
    "file",
    "path",
    "command",
    "option",
    "term",
    "yes/no",
    "how",
    "unanswerable-near",
    "unanswerable-off",
}


def visible(path: pathlib.Path) -> str:
    if path.suffix == ".html":
        out = subprocess.run(
            ["pandoc", "-f", "html", "-t", "plain", "--wrap=none", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    elif path.suffix == ".pdf":
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        out = path.read_text(errors="replace")
    return re.sub(r"\s+", " ", out)


def main() -> int:
    files = [HERE / "questions.jsonl", HERE / "questions-2.jsonl"]  # the second batch: n133 on, all tune
    rows = [json.loads(line) for file in files for line in file.read_text().splitlines() if line.strip()]
    errors = []
    cache = {}
    for n, r in enumerate(rows, 1):
        where = r.get("id", f"line {n}")
        if list(r) != FIELDS:
            errors.append(f"{where}: fields {list(r)}")
        if r["id"] != f"n{n:03d}":
            errors.append(f"{where}: id out of order")
        split = "tune" if n % 4 == 0 or n > 132 else "report"
        if r["split"] != split:
            errors.append(f"{where}: split should be {split}")
        if r["kind"] not in KINDS:
            errors.append(f"{where}: kind {r['kind']!r}")
        if r["kind"].startswith("unanswerable"):
            if any(r[k] is not None for k in ("answer", "pattern", "source", "quote")):
                errors.append(f"{where}: unanswerable question with answer/pattern/source/quote")
            continue
        if not re.search(r["pattern"], r["answer"], re.I):
            errors.append(f"{where}: pattern does not match answer")
        src = DOCS / r["source"]
        if not src.is_file():
            errors.append(f"{where}: no file {r['source']}")
            continue
        if src not in cache:
            cache[src] = visible(src)
        if re.sub(r"\s+", " ", r["quote"]).strip() not in cache[src]:
            errors.append(f"{where}: quote not in {r['source']}")
    kinds = collections.Counter((r["kind"], r["split"]) for r in rows)
    for kind in sorted({k for k, _ in kinds}):
        print(f"{kind:18s} tune {kinds[(kind, 'tune')]:3d}  report {kinds[(kind, 'report')]:3d}")
    answerable = [r for r in rows if not r["kind"].startswith("unanswerable")]
    print(
        f"{len(rows)} questions, {len(answerable)} answerable over {len({r['source'] for r in answerable})} "
        f"documents in {len({r['source'].split('/')[0] for r in answerable})} sources"
    )
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
