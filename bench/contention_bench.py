"""A chat during the nightly training, on this machine's cores: how much slower the answer is, and how much
of its progress the training keeps.

Three runs of the real daemon (`foldermind run`) on 12 manual pages (the answer benchmark's questions about
them are the chats), each with a training scheduled 45 s
after start (16 LoRA steps of 4 x 512 tokens, then merge, export, quantize and the gates):
- idle: 12 chats before the training starts (the idle answer time), none during it (the idle training speed);
- shared: a user asks a question every 5 s for as long as the training runs, the daemon not pausing it;
- paused: the same, with `[daemon] pause_training_for_chat` (the default): training stops while a chat is
  answered.
Chats are seeded, so each evaluates its whole prompt. Training speed is the LoRA stage's tokens/s and the
run's wall time, from the run's own report.

Run: .venv/bin/python bench/contention_bench.py [idle,shared,paused]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from answer_bench import build_manpages, load_questions
from common import median, percentile, start_foldermind, table, temporary_home
from foldermind.config import Config

PAGES = ["grep", "sort", "cut", "cp", "tar", "gzip", "date", "find", "diff", "wget", "ssh-keygen", "make"]
QUESTIONS = [q.question for q in load_questions(["manpages"], "all") if q.path in {f"manpages/{p}.txt" for p in PAGES}]
CADENCE = 5.0


def chat(url: str, number: int) -> float:
    question = QUESTIONS[number % len(QUESTIONS)]
    body = {"messages": [{"role": "user", "content": question}], "seed": number, "max_tokens": 64}
    started = time.perf_counter()
    reply = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=300)
    reply.raise_for_status()
    return time.perf_counter() - started


def daemon_status(url: str) -> dict:
    return httpx.get(f"{url}/status", timeout=30).json()["daemon"]


def one_run(config: Config, pause: bool, chats_during: bool) -> tuple[list[float], list[float], dict]:
    when = dt.datetime.now() + dt.timedelta(seconds=45)
    os.environ.update(
        {
            "FOLDERMIND_TRAINER__SCHEDULE": f"{when.second} {when.minute} {when.hour} * * *",
            "FOLDERMIND_TRAINER__MAX_STEPS": "16",
            "FOLDERMIND_TRAINER__SEQ_LEN": "512",
            "FOLDERMIND_TRAINER__BATCH_SIZE": "4",
            "FOLDERMIND_DAEMON__PAUSE_TRAINING_FOR_CHAT": str(pause).lower(),
        }
    )
    process, url = start_foldermind(config)
    idle: list[float] = []
    during: list[float] = []
    try:
        while httpx.get(f"{url}/status", timeout=30).json()["documents"] < len(PAGES) or daemon_status(url)["indexing"]:
            time.sleep(0.5)  # chats measured on an idle machine must not meet the first indexing
        chat(url, 0)  # warm-up
        if not chats_during:
            idle = [chat(url, n) for n in range(1, 13)]
        while not daemon_status(url)["training_running_since"]:
            time.sleep(0.5)
        started = time.monotonic()
        number = 100
        while daemon_status(url)["training_running_since"]:
            if chats_during and time.monotonic() >= started:
                during.append(chat(url, number))
                number += 1
                started += CADENCE
            time.sleep(0.5)
        last = daemon_status(url)["last_training"]
    finally:
        process.terminate()
        process.wait(60)
    return idle, during, last


def training_figures(config: Config) -> tuple[float, float]:
    record = json.loads((config.data_dir / "training" / "last-result.json").read_text())
    report = record["report"]
    return float(report["training"]["tokens_per_second"]), sum(stage["seconds"] for stage in report["stages"].values())


def main() -> None:
    pages = Path(temporary_home("fm-pages-").context_dir)
    build_manpages(pages)
    wanted = sys.argv[1].split(",") if len(sys.argv) > 1 else ["idle", "shared", "paused"]  # idle comes first
    rows = []
    idle_chat = idle_speed = 1.0
    runs = [("idle", True, False), ("shared", False, True), ("paused", True, True)]
    for label, pause, chats_during in [run for run in runs if run[0] in wanted]:
        config = temporary_home("fm-contention-")
        for page in PAGES:
            (config.context_dir / f"{page}.txt").write_text((pages / f"{page}.txt").read_text())
        idle, during, last = one_run(config, pause, chats_during)
        speed, seconds = training_figures(config)
        if label == "idle":
            idle_chat, idle_speed = median(idle), speed
            rows.append(
                [
                    label,
                    f"{idle_chat:.2f}",
                    f"{percentile(idle, 0.95):.2f}",
                    "1.00",
                    f"{speed:.0f}",
                    "1.00",
                    f"{seconds:.0f}",
                    last["status"],
                ]
            )
        else:
            rows.append(
                [
                    label,
                    f"{median(during):.2f}",
                    f"{percentile(during, 0.95):.2f}",
                    f"{median(during) / idle_chat:.2f}",
                    f"{speed:.0f}",
                    f"{speed / idle_speed:.2f}",
                    f"{seconds:.0f}",
                    last["status"],
                ]
            )
        print(rows[-1], flush=True)
    table(
        f"Chat during training on {os.cpu_count()} cores (a question every {CADENCE:.0f} s while it trains)",
        ["run", "chat p50 s", "p95 s", "vs idle", "training tokens/s", "vs idle", "training s", "outcome"],
        rows,
    )


if __name__ == "__main__":
    main()
