"""Training runs as both sides see them: the trainer writes them; the daemon, `status` and `train` read them.

data/training/run/state.json     the run in progress and the stages it has done (present: interrupted)
data/training/last-result.json   how the last run ended, with its report
data/training/history.jsonl      every run's ending, one JSON line each, oldest first (the page's models chart)
data/training/gpu                present while a training stage runs on a GPU (its name inside): chats need not
                                 pause it, they do not share a processor with it
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from foldermind.atomic import write_atomic
from foldermind.config import Config

HISTORY_FILE = "history.jsonl"
REJECTED_EXIT_CODE = 3  # `foldermind train` ends with this when the new model was not better: a normal outcome


def training_dir(config: Config) -> Path:
    return config.data_dir / "training"


def run_dir(config: Config) -> Path:
    """Where a run keeps its checkpoints and state until it ends; a later run resumes from it."""
    return training_dir(config) / "run"


def training_on_gpu(config: Config, device: str | None) -> None:
    """Say that the training stage runs on the GPU `device`, or (None) that it no longer does."""
    marker = training_dir(config) / "gpu"
    if device is None:
        marker.unlink(missing_ok=True)
    else:
        write_atomic(marker, device)


def shares_the_cpu(config: Config) -> bool:
    """True unless a training stage is running on a GPU now: every other stage (examples, merge, export,
    evaluation) and a training on the CPU share the processor with the server."""
    return not (training_dir(config) / "gpu").is_file()


def interrupted(config: Config) -> bool:
    return (run_dir(config) / "state.json").is_file()


def save_last_result(config: Config, record: dict[str, Any]) -> None:
    write_atomic(training_dir(config) / "last-result.json", json.dumps(record, indent=2, default=str))
    with (training_dir(config) / HISTORY_FILE).open("a", encoding="utf-8") as history:
        history.write(json.dumps(record, default=str) + "\n")


def history(config: Config) -> list[dict[str, Any]]:
    """Every run's ending, oldest first; a line torn by a crash is skipped."""
    try:
        lines = (training_dir(config) / HISTORY_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    runs = []
    for line in lines:
        try:
            runs.append(json.loads(line))
        except ValueError:
            continue
    return runs


def last_result(config: Config) -> dict[str, Any] | None:
    try:
        return json.loads((training_dir(config) / "last-result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def last_training(config: Config) -> dict[str, Any] | None:
    """What `status` shows of the last run."""
    record = last_result(config)
    return {key: record.get(key) for key in ("status", "message", "version", "finished_at")} if record else None
