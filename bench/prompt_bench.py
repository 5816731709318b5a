"""Where the notes go in the prompt: the bundled model's own words on the same plans, layout against layout.

Each answerable question of the answer benchmark's tune split (bench/answer_bench.py, its home in `--work`) is
planned once through `answer.plan` (search, evidence, sources). Only questions whose evidence holds the answer
are asked, since the layout cannot help the others. Each is then answered by the bundled model, with the
config's sampling (seed 0 unless `--seeds`), once per layout, so that where the notes go and what the
instruction says are measured apart:
- `user, one line (now)`: what foldermind sends (answer.model_messages): a one-line system message, the
  numbered notes in the user's turn right before the question;
- `user, long`: the same place for the notes (each passage alone, as before `answer.reading`), under the
  instruction used before commit 4dce1f9 (which also asks for a citation and for a refusal when the notes
  do not answer);
- `system, long (before)`: the layout before commit 4dce1f9: that instruction and the notes in the system
  message, the bare question as the user's turn;
- `user, passage alone (before)`: what foldermind sent before the sentence that answers (the check's quote)
  was put on top of each passage (`answer.reading`).
The table gives own words right (the pattern matches the model's answer, before any check), the model's
refusals and the median seconds per answer, with n; with `--seeds N`, each layout answers each question once
per seed (0 to N-1) and the figures are over all those answers.

Run: .venv/bin/python bench/prompt_bench.py [--split tune|report] [--seeds N] [--work DIR]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from answer_bench import bench_home, load_questions
from common import table
from foldermind.answer import (
    REFUSED,
    Notes,
    Plan,
    answer_sampling,
    answer_stops,
    generate,
    model_messages,
    plan,
    respond,
)
from foldermind.indexer.index import Index
from foldermind.llama import count_tokens, load_llama
from foldermind.models import served_bundled
from foldermind.prompt import SourceText, format_source
from foldermind.threads import free_cores

SYSTEM_LAYOUT = (  # the system message before commit 4dce1f9, word for word
    "You are foldermind. Answer the question from the numbered notes below in one short sentence. "
    "Copy the exact words of the note that answer it, such as an option name or a number, and cite the note "
    "like [1]. If the notes do not answer the question, say that the notes do not cover it."
)


def passage_sources(chosen: Plan) -> list[SourceText]:
    """The plan's sources as they were before `answer.reading`: each passage's text alone."""
    return [replace(s, text=p.text) for s, p in zip(chosen.sources, chosen.passages, strict=True)]


def system_layout(chosen: Plan, question: str) -> list[dict[str, str]]:
    notes = "\n\n".join(format_source(s) for s in passage_sources(chosen))
    return [
        {"role": "system", "content": f"{SYSTEM_LAYOUT}\n\nSources:\n\n{notes}"},
        {"role": "user", "content": question},
    ]


def user_layout_long(chosen: Plan, question: str) -> list[dict[str, str]]:
    instruction = SYSTEM_LAYOUT.replace(" from the numbered notes below", "")
    return [{"role": "system", "content": instruction}, *passage_alone(chosen, question)[1:]]


def passage_alone(chosen: Plan, question: str) -> list[dict[str, str]]:
    return model_messages([{"role": "user", "content": question}], passage_sources(chosen))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["tune", "report"], default="tune")
    parser.add_argument("--seeds", type=int, default=1, help="answer each question with seeds 0 to N-1 (N >= 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="the answer bench's")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds takes a count of 1 or more")
    config = bench_home(args.work)
    notes = Notes(Index(config), config.server)
    llama = load_llama(
        served_bundled(), n_ctx=config.server.n_ctx, n_threads=free_cores(), flash_attn=True, verbose=False
    )
    params = answer_sampling(config.server)
    asked = []
    questions = [q for q in load_questions(["notes", "manpages"], args.split) if q.path]
    for question in questions:
        turns = [{"role": "user", "content": question.question}]
        chosen = plan(turns, notes, config.server, lambda t: count_tokens(llama, t), params["max_tokens"])
        if chosen.fixed is None and re.search(question.pattern, chosen.passages[0].text, re.I):
            asked.append((question, chosen))
    layouts = {
        "user, one line (now)": lambda p, q: p.messages,
        "user, long": user_layout_long,
        "system, long (before)": system_layout,
        "user, passage alone (before)": passage_alone,
    }
    right = dict.fromkeys(layouts, 0)
    refused = dict.fromkeys(layouts, 0)
    seconds: dict[str, list[float]] = {name: [] for name in layouts}
    for seed in range(args.seeds):
        for question, chosen in asked:  # the layouts take turns on each question: load changes hit them alike
            for name, messages in layouts.items():
                started = time.perf_counter()
                laid_out = replace(chosen, messages=messages(chosen, question.question))
                pieces = generate(llama, laid_out, {**params, "seed": seed})
                own = respond(laid_out, pieces, stops=answer_stops(config.server, params)).own
                seconds[name].append(time.perf_counter() - started)
                right[name] += bool(re.search(question.pattern, own, re.I))
                refused[name] += bool(REFUSED.search(own))
    n = len(asked) * args.seeds
    rows = [
        [name, f"{right[name] / n:.2f} (n={n})", f"{refused[name]}", f"{statistics.median(seconds[name]):.2f}"]
        for name in layouts
    ]
    llama.close()
    title = f"Own words by prompt layout, {args.split} split ({len(asked)} of {len(questions)} answerable questions"
    title += f" have the answer in their evidence; {args.seeds} seed(s))"
    table(title, ["layout", "own words right", "model refusals", "p50 s"], rows)


if __name__ == "__main__":
    main()
