"""Training runs as both sides see them: the trainer writes them; the daemon, `status` and `train` read them.

data/training/run/state.json     the run in progress and the stages it has done (present: interrupted)
data/training/last-result.json   how the last run ended, with its report
data/training/history.jsonl      every run's ending, one JSON line each, oldest first (the page's models chart)
data/training/progress.json      the run in progress: its stage, steps, loss so far and ETA (the page, `status`)
data/training/gpu                present while a training stage runs on a GPU (its name inside): chats need not
                                 pause it, they do not share a processor with it
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from foldermind.atomic import write_atomic
from foldermind.config import Config

HISTORY_FILE = "history.jsonl"
DOCUMENT_LISTS = ("trained_documents", "held_out_documents")  # a run's report data kept out of the history
PROGRESS_FILE = "progress.json"
# A run's stages in order, in the words the page and `status` show them in.
STAGES = {
    "dataset": "reading your notes and loading the base model",
    "examples": "making training examples",
    "train": "training",
    "merge": "merging what was learned into the model",
    "export": "exporting to GGUF",
    "quantize": "quantizing",
    "evaluate": "asking base, live and new model the held-out questions",
    "promote": "putting the new version live",
}
REJECTED_EXIT_CODE = 3  # `foldermind train` ends with this when the new model was not better: a normal outcome


def training_dir(config: Config) -> Path:
    return config.data_dir / "training"


def run_dir(config: Config) -> Path:
    """Where a run keeps its checkpoints and state until it ends; a later run resumes from it."""
    return training_dir(config) / "run"


def rejected_model(config: Config) -> Path:
    """The last rejected night's model, where `keep_rejected` keeps it (one file, replaced each time)."""
    return training_dir(config) / "rejected.gguf"


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
    """The run's ending whole in last-result.json, and in the history without its lists of documents (a few
    hundred paths a night; the history keeps every night)."""
    write_atomic(training_dir(config) / "last-result.json", json.dumps(record, indent=2, default=str))
    data = record.get("report", {}).get("data")
    if data:
        data = {key: value for key, value in data.items() if key not in DOCUMENT_LISTS}
        record = {**record, "report": {**record["report"], "data": data}}
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


def stage_seconds(config: Config) -> dict[str, float]:
    """How long each stage took in the latest run that measured its models (seconds), to estimate a run by."""
    for run in reversed(history(config)):
        stages = (run.get("report") or {}).get("stages")
        if stages:
            return {name: float(figures["seconds"]) for name, figures in stages.items()}
    return {}


class RunProgress:
    """The trainer's side of progress.json: rewritten whole (atomically) at each stage and each training step.

    `estimates` are the expected seconds of the stages (`stage_seconds`, and the training's own estimate from
    its steps); the ETA adds those of the stages still to come to what is left of the current one, and says
    when it is `partial` (a stage with no estimate yet, as in the first run).
    """

    def __init__(self, config: Config, estimates: dict[str, float]) -> None:
        self.path = training_dir(config) / PROGRESS_FILE
        self.estimates = dict(estimates)
        self.started = time.time()
        self.state: dict[str, Any] = {}
        self.stage_started = self.started

    def stage(self, name: str) -> None:
        """A stage starts; the training's loss curve and speed stay, for the stages after it."""
        self.stage_started = time.time()
        kept = {key: self.state[key] for key in ("loss_curve", "tokens_per_second") if key in self.state}
        self.state = {"stage": name, **kept}
        self.write()

    def advance(self, done: int, total: int, detail: str = "") -> None:
        """Progress within the stage: `done` of `total` parts (models measured, say), and what is being done."""
        self.state.update(done=done, total=total, detail=detail)
        self.write()

    def step(self, step: int, steps: int, loss: float, tokens_per_second: float, seconds_left: float) -> None:
        """A training step ended: `step` of `steps`, its loss, the speed so far and the training's remaining
        seconds at that speed (trainer/lora.py's `StepReport`)."""
        self.state.setdefault("loss_curve", []).append([step, round(loss, 4)])
        self.state.update(done=step, total=steps, tokens_per_second=round(tokens_per_second, 1))
        self.estimates["train"] = time.time() - self.stage_started + seconds_left
        self.write()

    def write(self) -> None:
        now = time.time()
        names = list(STAGES)
        current = self.state["stage"]
        later = names[names.index(current) + 1 :]
        later = [name for name in later if name != "promote" or "promote" in self.estimates]
        known = [self.estimates[name] for name in later if name in self.estimates]
        own = self.estimates.get(current)
        left = max(0.0, own - (now - self.stage_started)) if own is not None else 0.0
        record = {
            "pid": os.getpid(),
            "started_at": self.started,
            "updated_at": now,
            "stage_number": names.index(current) + 1,
            "stages": len(names),
            "stage_label": STAGES[current],
            **self.state,
            "eta_seconds": round(left + sum(known)),
            "eta_partial": own is None or len(known) < len(later),
        }
        write_atomic(self.path, json.dumps(record))

    def close(self) -> None:
        self.path.unlink(missing_ok=True)


def progress(config: Config) -> dict[str, Any] | None:
    """The run in progress as its trainer last wrote it, with the ETA counted down to now; None when no
    training runs (the file of a run killed without a chance to remove it names a process that is gone)."""
    try:
        record = json.loads((training_dir(config) / PROGRESS_FILE).read_text(encoding="utf-8"))
        os.kill(int(record["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    record["eta_seconds"] = max(0, round(record["eta_seconds"] - (time.time() - record["updated_at"])))
    return {**record, "summary": summary(record)}


def summary(record: dict[str, Any]) -> str:
    """A running training in one line, as `status` and the page show it: "stage 3 of 8, training: step 5 of
    16, loss 2.41, 150 tokens/s; about 3 min left"."""
    line = f"stage {record['stage_number']} of {record['stages']}, {record['stage_label']}"
    if record["stage"] == "train" and record.get("loss_curve"):
        line += (
            f": step {record['done']} of {record['total']}, loss {record['loss_curve'][-1][1]:.2f}, "
            f"{record['tokens_per_second']:.0f} tokens/s"
        )
    elif record.get("detail"):
        line += f": {record['detail']} ({record['done'] + 1} of {record['total']})"
    minutes = max(1, round(record["eta_seconds"] / 60))
    return line + f"; {'at least' if record['eta_partial'] else 'about'} {minutes} min left"
