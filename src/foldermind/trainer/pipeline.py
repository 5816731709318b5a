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
from foldermind.trainer.corpus import Corpus, load_corpus, pretraining_text
from foldermind.trainer.dataset import build_training_data, night_questions, reference_text
from foldermind.trainer.evaluate import ModelScores, judge, score_model
from foldermind.trainer.export_gguf import convert_to_gguf
from foldermind.trainer.lora import train_lora
from foldermind.trainer.merge import merge_adapter
from foldermind.trainer.questions import Question, rated_question, with_key_word
from foldermind.trainer.runs import (
    RunProgress,
    last_result,
    run_dir,
    save_last_result,
    stage_seconds,
    training_dir,
)

log = logging.getLogger(__name__)
# The default night's speed on 2 cores (bench/nightly_bench.py: 140.7 at seq_len 512, batch 4); the last run's
# measured speed replaces it.
ASSUMED_TOKENS_PER_SECOND = 140.0
MAX_PERPLEXITY_TEXTS = 40  # held-out chunks whose perplexity is measured (each costs a model pass per model)


@dataclass
class TrainingResult:
    status: str  # promoted | rejected | nothing_to_learn | dry_run
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


def measured_speed(config: Config) -> float:
    try:
        return float(last_result(config)["report"]["training"]["tokens_per_second"])  # type: ignore[index]
    except (KeyError, ValueError, TypeError):
        return ASSUMED_TOKENS_PER_SECOND


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
        f16 = convert_to_gguf(Path(resolve_base(config.trainer.base_model)), folder / "base-f16.gguf")
        quantize(f16, target, config.trainer.quantization)
        f16.unlink()
    return target


def _finish(config: Config, result: TrainingResult) -> TrainingResult:
    save_last_result(config, {**asdict(result), "finished_at": time.time()})
    return result


def run_training(config: Config, dry_run: bool = False, show_progress: bool = True) -> TrainingResult:
    with exclusive(training_dir(config) / "lock", "A training"):
        progress = RunProgress(config, stage_seconds(config))
        try:
            return _run(config, dry_run, show_progress, progress)
        finally:
            progress.close()


def night_steps(config: Config, sequences: int) -> int:
    """Steps for one pass over the data, or as many as fit in `max_minutes` at the measured speed: a night
    that ends on schedule with its learning rate run down, instead of one cut off mid-epoch."""
    trainer = config.trainer
    if trainer.max_steps:
        return trainer.max_steps
    epoch = max(1, round(sequences * trainer.epochs / trainer.batch_size))
    fits = int(trainer.max_minutes * 60 * measured_speed(config) / (trainer.batch_size * trainer.seq_len))
    return max(1, min(epoch, fits))


def capacity(config: Config) -> int | None:
    """Tokens a night can train in `max_minutes` at the measured speed (None when `max_steps` sets the night)."""
    trainer = config.trainer
    if trainer.max_steps:
        return None
    return int(trainer.max_minutes * 60 * measured_speed(config) * trainer.epochs)


def held_out_questions(corpus: Corpus, config: Config) -> tuple[list[Question], str]:
    """The questions that measure a model, and what kind they are: only from held-out documents, only ones a
    single fact decides. Notes that give none (prose without a number or a name) are asked what they say
    about their headings, checked by a key word of the answer, and the kind says so."""
    asked = night_questions(corpus.held_out, config.trainer.questions_per_chunk)
    found, kind = [q for q in asked if q.fact], "facts"
    if not found:
        found = [q for q in map(with_key_word, asked) if q.fact]
        kind = "headings (the held-out notes gave no question with a fact)"
    return random.Random(1).sample(found, min(len(found), config.trainer.eval_questions)), kind


def rated_questions(config: Config) -> list[Question]:
    """The questions whose answers the user rated right on the page (feedback.rated_right: never one trained
    on), newest first, at most `eval_questions`: asked beside the notes' held-out questions, so the gate
    refuses a model that answers the user's own questions worse, and the accuracy a night shows counts them."""
    asked = [
        rated_question(e["question"], e.get("answer") or "", e.get("sources") or [])
        for e in feedback.rated_right(config)
    ]
    return [question for question in asked if question][: config.trainer.eval_questions]


def _run(config: Config, dry_run: bool, show_progress: bool, progress: RunProgress) -> TrainingResult:
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
    with stage("examples", timings, progress):
        with closing(Index(config)) as index:
            data = build_training_data(
                corpus, tokenizer, config, Notes(index, config.server), capacity=capacity(config)
            )
        release_shared_embedders()  # about half a gigabyte the training needs more; scoring loads it again
        questions, question_kind = held_out_questions(corpus, config)
        rated = rated_questions(config)
        questions += rated
    steps = night_steps(config, len(data.sequences))
    seconds = steps * trainer.batch_size * trainer.seq_len / measured_speed(config)
    progress.estimates["train"] = seconds
    summary = {
        "documents": corpus.documents,
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
            settings = trainer.model_copy(update={"max_steps": steps})
            outcome = train_lora(model, data.sequences, settings, run.folder, show_progress, on_step=progress.step)
            peft_model = outcome.pop("model")
        run.mark("train", outcome)
    else:
        peft_model = None
    merged = run.folder / "merged"
    if not run.done("merge"):
        with stage("merge", timings, progress):
            merge_adapter(trainer.base_model, run.folder / "adapter", merged, peft_model)
        run.mark("merge", True)
    del model, peft_model
    f16 = run.folder / "model-f16.gguf"
    if not run.done("export"):
        with stage("export", timings, progress):
            convert_to_gguf(merged, f16)
        run.mark("export", True)
    candidate = run.folder / f"model-{trainer.quantization}.gguf"
    if not run.done("quantize"):
        with stage("quantize", timings, progress):
            quantize(f16, candidate, trainer.quantization)
        run.mark("quantize", True)

    with stage("evaluate", timings, progress), closing(Index(config)) as index:  # the server's retrieval
        user_texts = [pretraining_text(p) for p in corpus.held_out[:MAX_PERPLEXITY_TEXTS]]
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
