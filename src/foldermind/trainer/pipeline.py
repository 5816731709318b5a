"""The nightly pipeline, top-down: dataset -> LoRA -> merge -> GGUF -> quantize -> evaluate -> promote.

Each stage is logged with its time and peak memory and leaves its output in data/training/run/ with a
marker, so a run killed at any stage resumes where it stopped (the training stage from its last
checkpoint) when the data is unchanged. Nothing outside run/ changes until promotion, which is one
atomic pointer switch: a crash never leaves a half-promoted model.
"""

from __future__ import annotations

import json
import logging
import random
import resource
import shutil
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from foldermind import feedback
from foldermind.answer import Notes
from foldermind.atomic import write_atomic
from foldermind.cache import cache_dir
from foldermind.config import Config
from foldermind.indexer.embed import release_shared_embedders
from foldermind.indexer.index import Index
from foldermind.indexer.manifest import Manifest, manifest_path
from foldermind.lock import exclusive
from foldermind.models import (
    answers_line,
    base_version,
    bundled_gguf,
    current_name,
    live_version,
    promote,
    read_report,
    served_bundled,
)
from foldermind.quantize import quantize
from foldermind.trainer.base_model import base_gguf_source, load_base, resolve_base
from foldermind.trainer.corpus import Corpus, load_corpus, note_text
from foldermind.trainer.dataset import build_training_data, night_questions, reference_text
from foldermind.trainer.device import DeviceRecords, device_name, free_gpu_memory
from foldermind.trainer.evaluate import ModelScores, judge, score_model
from foldermind.trainer.export_gguf import convert_to_gguf
from foldermind.trainer.lora import train_lora
from foldermind.trainer.merge import merge_adapter
from foldermind.trainer.processes import ProcessGroup, process_group
from foldermind.trainer.questions import Question, rated_question, with_key_word
from foldermind.trainer.runs import (
    RunProgress,
    rejected_model,
    run_dir,
    save_last_result,
    stage_seconds,
    training_dir,
    training_on_gpu,
)

log = logging.getLogger(__name__)
# The default night's speed on 2 cores (bench/nightly_bench.py: 140.7 at seq_len 512, batch 4), for a first night
# on a CPU; the speed measured on the device replaces it.
ASSUMED_TOKENS_PER_SECOND = 140.0
MAX_PERPLEXITY_TEXTS = 40  # held-out chunks whose perplexity is measured (each costs a model pass per model)


@dataclass
class TrainingResult:
    status: str  # promoted | rejected | nothing_to_learn | dry_run | helped (a process that only trained along)
    message: str
    version: str | None = None
    reasons: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)


@contextmanager
def stage(name: str, timings: dict[str, Any], progress: RunProgress) -> Iterator[None]:
    started = time.monotonic()
    log.info("Stage %s: started", name)
    progress.stage(name)
    yield
    peak_mb = (
        max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        / 1024
    )
    timings[name] = {"seconds": round(time.monotonic() - started, 2), "peak_rss_mb": round(peak_mb)}
    log.info("Stage %s: done in %.1f s (peak memory %.0f MB)", name, timings[name]["seconds"], peak_mb)


class RunState:
    """data/training/run/state.json: the fingerprint of the data and the stages already done."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.path = folder / "state.json"
        saved = json.loads(self.path.read_text()) if self.path.is_file() else {}
        if saved.get("fingerprint") != fingerprint:
            if folder.exists():
                log.info("The data changed since the interrupted run: starting over")
            shutil.rmtree(folder, ignore_errors=True)
            saved = {"fingerprint": fingerprint, "done": {}}
        folder.mkdir(parents=True, exist_ok=True)
        self.data = saved
        self.save()

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.data, indent=2))

    def done(self, name: str) -> Any:
        return self.data["done"].get(name)

    def mark(self, name: str, result: Any) -> None:
        self.data["done"][name] = result
        self.save()


def read_corpus(config: Config, tokenizer: Any = None) -> Corpus:
    """The notes of the index, the examples of the user's example files, and the corrections given on the page."""
    path = manifest_path(config.data_dir)
    if not path.is_file():
        return Corpus()
    manifest = Manifest(path)
    try:
        count = (lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])) if tokenizer else None
        corpus = load_corpus(manifest, config.trainer, count)
    finally:
        manifest.close()
    corrections, refused = feedback.examples(config)
    corpus.examples.extend(corrections)
    corpus.rejected.extend(refused)
    return corpus


def planned_speed(config: Config, device: str) -> float | None:
    """Training tokens/s to plan with: the last measured on this device with this base model (kept across nights,
    also those with nothing to learn), else the assumed CPU speed; None for a GPU not measured yet."""
    kept = DeviceRecords(training_dir(config)).speed(device, config.trainer.base_model)
    return kept or (ASSUMED_TOKENS_PER_SECOND if device == "cpu" else None)


def served_base(config: Config) -> Path:
    """The base model as the server would serve it: its GGUF, or (for a hub base) an export made once."""
    source = base_gguf_source(config.trainer.base_model)
    if source == bundled_gguf():
        return served_bundled()
    if source is not None:
        return source if source.is_file() else base_version(config.server.base_model).path
    folder = cache_dir() / "base-gguf"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{Path(resolve_base(config.trainer.base_model)).name}-{config.trainer.quantization}.gguf"
    if not target.is_file():
        exported = convert_to_gguf(Path(resolve_base(config.trainer.base_model)), folder / "base-export.gguf")
        quantize(exported, target, config.trainer.quantization)
        exported.unlink()
    return target


def _finish(config: Config, result: TrainingResult) -> TrainingResult:
    save_last_result(config, {**asdict(result), "finished_at": time.time()})
    return result


class Helpers:
    """The other processes of an `accelerate launch` run, waiting for the main one to tell them, once, the
    training to join (or None: there is none)."""

    def __init__(self, group: ProcessGroup | None) -> None:
        self.group = group
        self.told = group is None

    def tell(self, job: dict[str, Any] | None) -> None:
        if not self.told:
            self.told = True
            self.group.share(job)  # type: ignore[union-attr]


def run_training(config: Config, dry_run: bool = False, show_progress: bool = True) -> TrainingResult:
    """One night. Under `accelerate launch` every process calls it: the main one runs the night (and takes the
    lock), the others train along with it (processes.py)."""
    group = process_group()
    if group is not None and not group.main:
        return _train_along(config, group)
    helpers = Helpers(group)
    try:
        with exclusive(training_dir(config) / "lock", "A training"):
            progress = RunProgress(config, stage_seconds(config))
            try:
                return _run(config, dry_run, show_progress, helpers, progress)
            finally:
                progress.close()
    finally:
        helpers.tell(None)  # a night that ends before training (or fails) lets them go


def _train_along(config: Config, group: ProcessGroup) -> TrainingResult:
    """A process other than the main one: load the base, train the night's adapter with the others, end."""
    model, _ = load_base(config.trainer.base_model)
    job = group.share(None)
    if job is None:
        return TrainingResult("helped", f"Process {group.index}: the main process had nothing to train.")
    train_lora(model, job["sequences"], job["settings"], Path(job["folder"]), False, group=group)
    return TrainingResult(
        "helped", f"Process {group.index} of {group.size} trained along; the main process judges the model."
    )


def night_steps(config: Config, sequences: int, speed: float | None) -> int:
    """Steps for one pass over the data, or as many as fit in `max_minutes` at `speed` tokens/s: a night that
    ends on schedule with its learning rate run down, instead of one cut off mid-epoch. With no speed known
    (a GPU's first night), one pass: the time budget stops it."""
    trainer = config.trainer
    if trainer.max_steps:
        return trainer.max_steps
    epoch = max(1, round(sequences * trainer.epochs / trainer.batch_size))
    if speed is None:
        return epoch
    fits = int(trainer.max_minutes * 60 * speed / (trainer.batch_size * trainer.seq_len))
    return max(1, min(epoch, fits))


def held_out_questions(corpus: Corpus, config: Config) -> tuple[list[Question], str]:
    """The questions that measure a model, and what kind they are: only from held-out documents, only ones a
    single fact decides. Notes that give none (prose without a number or a name) are asked what they say
    about their headings, checked by a key word of the answer, and the kind says so."""
    asked = night_questions(corpus.held_out, config.trainer.questions_per_chunk)
    found, kind = [q for q in asked if q.fact], "facts"
    if not found:
        found = [q for q in map(with_key_word, asked) if q.fact]
        kind = "headings (the held-out notes gave no question with a fact)"
    return across_documents(found, config.trainer.eval_questions, random.Random(1)), kind


def across_documents(questions: list[Question], count: int, rng: random.Random) -> list[Question]:
    """Up to `count` questions, taken from each held-out document in turn (each document's in random order),
    so that a long document does not crowd out the others (and the kinds of note they stand for)."""
    by_document: dict[str, list[Question]] = {}
    for question in questions:
        by_document.setdefault(question.passage.path, []).append(question)
    queues = [rng.sample(found, len(found)) for found in by_document.values()]
    taken: list[Question] = []
    while len(taken) < count and any(queues):
        for queue in queues:
            if queue and len(taken) < count:
                taken.append(queue.pop())
    return taken


def capacity(config: Config, speed: float | None) -> int | None:
    """Tokens a night can train in `max_minutes` at `speed` tokens/s (None: no bound, when `max_steps` sets
    the night or the device's speed is not known yet)."""
    trainer = config.trainer
    if trainer.max_steps or not speed:
        return None
    return int(trainer.max_minutes * 60 * speed * trainer.epochs)


def rated_questions(config: Config) -> list[Question]:
    """The questions whose answers the user rated right on the page (feedback.rated_right: never one trained
    on), newest first, at most `eval_questions`: asked beside the notes' held-out questions, so the gate
    refuses a model that answers the user's own questions worse, and the accuracy a night shows counts them."""
    asked = [
        rated_question(e["question"], e.get("answer") or "", e.get("sources") or [])
        for e in feedback.rated_right(config)
    ]
    return [question for question in asked if question][: config.trainer.eval_questions]


def _train_stage(
    config: Config,
    model: Any,
    sequences: list[dict[str, list[int]]],
    steps: int,
    folder: Path,
    show_progress: bool,
    helpers: Helpers,
    device: str,
    progress: RunProgress,
) -> dict[str, Any]:
    """Train the adapter (with the other processes, if any), keep the speed measured on this device for the next
    night's plan, and let the daemon know while the training runs on a GPU (chats need not pause it then)."""
    import torch

    settings = config.trainer.model_copy(update={"max_steps": steps})
    helpers.tell({"sequences": sequences, "settings": settings, "folder": str(folder)})
    records = DeviceRecords(training_dir(config))
    training_on_gpu(config, device if torch.cuda.is_available() else None)
    try:
        outcome = train_lora(
            model,
            sequences,
            settings,
            folder,
            show_progress,
            group=helpers.group,
            records=records,
            on_step=progress.step,
        )
    finally:
        training_on_gpu(config, None)
    del outcome["model"]
    if outcome["tokens_per_second"] > 0:  # 0 when a resumed run had no step left
        records.remember_speed(device, config.trainer.base_model, outcome["tokens_per_second"])
    return outcome


def _run(config: Config, dry_run: bool, show_progress: bool, helpers: Helpers, progress: RunProgress) -> TrainingResult:
    trainer = config.trainer
    timings: dict[str, Any] = {}
    with stage("dataset", timings, progress):
        model, tokenizer = load_base(trainer.base_model)
        corpus = read_corpus(config, tokenizer)
    if corpus.documents < trainer.min_documents or not corpus.train or not corpus.held_out:
        return _finish(
            config,
            TrainingResult(
                "nothing_to_learn",
                f"Nothing new to learn: {corpus.documents} document(s) to train on, {trainer.min_documents} needed "
                "(and enough text to hold some out for measuring). No model was made.",
            ),
        )
    fingerprint = corpus.fingerprint(trainer)
    live = current_name(config.data_dir)
    if live and read_report(config.data_dir, live).get("fingerprint") == fingerprint:
        return _finish(
            config,
            TrainingResult(
                "nothing_to_learn",
                f"Nothing new to learn since {live} was trained on the same notes.",
                live,
            ),
        )
    device = device_name(helpers.group.size if helpers.group else 1)
    speed = planned_speed(config, device)
    with stage("examples", timings, progress):
        with closing(Index(config)) as index:
            notes = Notes(index, config.server)
            data = build_training_data(corpus, tokenizer, config, notes, capacity=capacity(config, speed))
        release_shared_embedders()  # about half a gigabyte the training needs more; scoring loads it again
        questions, question_kind = held_out_questions(corpus, config)
        rated = rated_questions(config)
        questions += rated
    steps = night_steps(config, len(data.sequences), speed)
    seconds = steps * trainer.batch_size * trainer.seq_len / speed if speed else trainer.max_minutes * 60
    progress.estimates["train"] = seconds
    summary = {
        "documents": corpus.documents,
        # The documents this night's data comes from (the newest within `token_budget`, by path), and those it
        # measures on; a night shorter than one pass over its data may not reach every one.
        "trained_documents": sorted({p.path for p in corpus.train}),
        "held_out_documents": sorted({p.path for p in corpus.held_out}),
        "train_chunks": len(corpus.train),
        "held_out_chunks": len(corpus.held_out),
        "held_out_questions": len(questions),
        "held_out_question_kind": question_kind,
        "rated_questions": len(rated),
        "excluded_documents": corpus.excluded,
        "examples": data.counts,
        "rejected_examples": corpus.rejected,
        "too_long": data.too_long,
        "tokens": data.tokens,
        "sequences": len(data.sequences),
        "steps": steps,
        "estimated_minutes": round(seconds / 60, 1),
    }
    if dry_run:
        return TrainingResult("dry_run", "Dry run: nothing was trained.", report={"data": summary})

    run = RunState(run_dir(config), fingerprint)
    if not run.done("train"):
        with stage("train", timings, progress):
            outcome = _train_stage(
                config, model, data.sequences, steps, run.folder, show_progress, helpers, device, progress
            )
        run.mark("train", outcome)
    del model
    free_gpu_memory()  # the merge reloads the base on the CPU; llama.cpp's evaluation may want the GPU
    merged = run.folder / "merged"
    if not run.done("merge"):
        with stage("merge", timings, progress):
            merge_adapter(trainer.base_model, run.folder / "adapter", merged)
        run.mark("merge", True)
    if not isinstance(run.done("export"), str):  # the file name (older runs marked True: export again)
        with stage("export", timings, progress):
            exported = convert_to_gguf(merged, run.folder / "model-export.gguf")
        run.mark("export", exported.name)
    candidate = run.folder / f"model-{trainer.quantization}.gguf"
    if not run.done("quantize"):
        with stage("quantize", timings, progress):
            quantize(run.folder / run.done("export"), candidate, trainer.quantization)
        run.mark("quantize", True)

    with stage("evaluate", timings, progress), closing(Index(config)) as index:  # the server's retrieval
        user_texts = [note_text(p) for p in corpus.held_out[:MAX_PERPLEXITY_TEXTS]]  # (title line, text)
        reference = [part for part in reference_text().split("\n\n") if part.strip()]
        base_gguf, live_gguf = served_base(config), live_version(config.data_dir, config.server.base_model).path
        live_is_base = live_gguf.resolve() == base_gguf.resolve()
        measured = iter(range(3 - live_is_base))

        def scores(gguf: Path, which: str) -> ModelScores:
            progress.advance(next(measured), 3 - live_is_base, f"measuring {which}")
            return score_model(gguf, config, index, user_texts, reference, questions, trainer.threads)

        base_scores = scores(base_gguf, "the base model")
        live_scores = base_scores if live_is_base else scores(live_gguf, "the live model")
        candidate_scores = scores(candidate, "the new model")
        verdict = judge(base_scores, live_scores, candidate_scores, trainer)
    report = {
        "fingerprint": fingerprint,
        "data": summary,
        "training": run.done("train"),
        "stages": timings,
        "base": base_scores.to_json(),
        "live": {"name": live or "base", **live_scores.to_json()},
        "candidate": candidate_scores.to_json(),
        "verdict": asdict(verdict),
        "quantization": trainer.quantization,
        "base_model": trainer.base_model,
        "finished_at": time.time(),
    }
    (run.folder / "report.json").write_text(json.dumps(report, indent=2))
    if not verdict.promote:
        run.path.unlink()  # first: a crash from here on starts the next night over, never from a moved model
        if trainer.keep_rejected:
            candidate.replace(rejected_model(config))
        else:
            rejected_model(config).unlink(missing_ok=True)
        shutil.rmtree(run.folder, ignore_errors=True)
        return _finish(
            config,
            TrainingResult(
                "rejected",
                "The new model was not better, so the live model stays: " + "; ".join(verdict.reasons),
                live,
                verdict.reasons,
                report,
            ),
        )
    with stage("promote", timings, progress):
        version = promote(config.data_dir, candidate, report, run.folder / "adapter", trainer.keep_versions)
    shutil.rmtree(run.folder, ignore_errors=True)
    return _finish(
        config,
        TrainingResult(
            "promoted",
            f"Promoted {version}: {answers_line(report)}; held-out perplexity "
            f"{base_scores.user_perplexity:.2f} -> {candidate_scores.user_perplexity:.2f} ({verdict.gain:.0%} better).",
            version,
            [],
            report,
        ),
    )
