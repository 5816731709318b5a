"""How fast foldermind answers, as a user meets it: a real `foldermind serve` on real documents, and the CLI.

- Answers: the report split's answerable questions of the answer benchmark (54 questions over 175 manual
  pages), streamed through the HTTP endpoint with a seed (so llama.cpp reads the whole prompt each time: no
  prompt cache between questions). Time to the first content and to the end of the answer, for the bundled
  model served as shipped (Q4_1, no flash attention: as it was served before) and as now (Q8_0 copy,
  flash attention), each in its own server process, one after the other.
- The shell: `foldermind search` and `foldermind status` as new processes, with the server running (they
  ask it) and without (they load the index and the embedding model themselves).

Run: .venv/bin/python bench/speed_bench.py [answers|shell]
(builds the man-page corpus as bench/answer_bench.py does, or reuses its --work folder)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from answer_bench import bench_home, load_questions
from common import median, percentile, start_foldermind, table
from foldermind.config import Config
from foldermind.models import bundled_gguf

WORK = Path("/tmp/fm-answer-bench")
SEARCHES = ["grep option to print only names of matching files", "default compression level", "sort by time"]


def stream(url: str, question: str) -> tuple[float, float]:
    body = {"messages": [{"role": "user", "content": question}], "stream": True, "seed": 0}
    started = time.perf_counter()
    first = None
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=120) as reply:
        for line in reply.iter_lines():
            if line.startswith("data: {") and not first:
                delta = json.loads(line.removeprefix("data: "))["choices"]
                if delta and delta[0]["delta"].get("content"):
                    first = time.perf_counter()
    return (first or time.perf_counter()) - started, time.perf_counter() - started


def cli(config: Config, port: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(config.home), *args],
        env={**os.environ, "FOLDERMIND_SERVER__PORT": port},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def shell_rows(config: Config, url: str, label: str, runs: int) -> list[list[object]]:
    port = url.rsplit(":", 1)[1]
    searches = [cli(config, port, "search", q) for q in SEARCHES * runs]
    statuses = [cli(config, port, "status") for _ in range(runs)]
    return [
        [f"search, {label}", f"{median(searches):.2f}", f"{percentile(searches, 0.95):.2f}", len(searches)],
        [f"status, {label}", f"{median(statuses):.2f}", f"{percentile(statuses, 0.95):.2f}", len(statuses)],
    ]


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None  # "answers" or "shell"
    config = bench_home(WORK)
    questions = [q.question for q in load_questions(["manpages"], "report") if q.path]
    variants = {
        "shipped Q4_1, no flash attention (before)": {
            "FOLDERMIND_SERVER__BASE_MODEL": str(bundled_gguf()),
            "FOLDERMIND_SERVER__FLASH_ATTN": "false",
        },
        "Q8_0 copy + flash attention (now)": {},
    }
    if only == "shell":
        variants = {"Q8_0 copy + flash attention (now)": {}}
    answer_rows: list[list[object]] = []
    shell = [] if only == "answers" else shell_rows(config, "http://127.0.0.1:1", "no server running", 2)
    for label, env in variants.items():
        server, url = start_foldermind(config, "serve", env)
        try:
            stream(url, questions[0])  # warm-up
            timings = [stream(url, q) for q in (questions if only != "shell" else questions[:1])]
            if not env and only != "answers":
                shell += shell_rows(config, url, "server running", 5)
        finally:
            server.terminate()
            server.wait(30)
        firsts, totals = [t[0] for t in timings], [t[1] for t in timings]
        answer_rows.append(
            [
                label,
                f"{median(firsts):.2f}",
                f"{percentile(firsts, 0.95):.2f}",
                f"{median(totals):.2f}",
                f"{percentile(totals, 0.95):.2f}",
            ]
        )
        print(answer_rows[-1], flush=True)
    table(
        f"Streamed answers through HTTP, {len(questions)} questions over 175 manual pages (seconds)",
        ["bundled model served as", "first content p50", "p95", "complete p50", "p95"],
        answer_rows,
    )
    table("From the shell, a new process per command (seconds)", ["command", "p50", "p95", "runs"], shell)


if __name__ == "__main__":
    main()
