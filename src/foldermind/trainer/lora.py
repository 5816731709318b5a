"""LoRA fine-tuning with peft and the Hugging Face Trainer: checkpoints every N steps, resume after a kill,
a wall-clock budget it stops cleanly at, a progress bar with loss, tokens/s and ETA, as many sequences at
once as the GPU holds, and data-parallel over the processes of an `accelerate launch`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foldermind.config import TrainerConfig
from foldermind.threads import FreeCores, free_cores
from foldermind.trainer.device import DeviceRecords, device_name, largest_batch
from foldermind.trainer.processes import ProcessGroup

log = logging.getLogger(__name__)


class PackedDataset:
    """Packed sequences (trainer/dataset.py) as tensors of shape (seq_len,): input_ids, labels, position_ids.

    All the same length, so the default collator stacks them as they are, into (batch, seq_len), and the
    Trainer passes each key to the model's forward. There is deliberately no attention_mask: given one,
    transformers would no longer read the examples' boundaries from the position ids, and the examples packed
    into one sequence would see each other.
    """

    def __init__(self, sequences: list[dict[str, list[int]]]) -> None:
        import torch

        self.rows = [{key: torch.tensor(value) for key, value in row.items()} for row in sequences]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]


StepReport = Callable[[int, int, float, float, float], None]  # step, steps, loss, tokens/s, seconds left


def _callbacks(
    config: TrainerConfig,
    tokens_per_step: int,
    show_progress: bool,
    group: ProcessGroup | None,
    on_step: StepReport | None = None,
) -> list[Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from transformers import TrainerCallback

    class TimeBudget(TrainerCallback):
        """Stop cleanly at max_minutes: what was learned so far is kept and goes through the gates."""

        def __init__(self) -> None:
            self.started = time.monotonic()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            over = time.monotonic() - self.started > config.max_minutes * 60
            if group is not None:  # every process stops at the same step, or the others wait for it forever
                over = group.any(over)
            if over:
                log.warning(
                    "Training reached its time budget (%s min) at step %d", config.max_minutes, state.global_step
                )
                control.should_training_stop = True
                control.should_save = True
            return control

    class ProgressBar(TrainerCallback):
        def __init__(self) -> None:
            self.progress: Progress | None = None
            self.task: Any = None
            self.started = 0.0
            self.first_step = 0
            self.loss = float("nan")

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.started, self.first_step = time.monotonic(), state.global_step
            if show_progress:
                self.progress = Progress(
                    TextColumn("[bold]Training"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"),
                    TextColumn("ETA"),
                    TimeRemainingColumn(),
                    console=Console(stderr=True),
                )
                self.progress.start()
                self.task = self.progress.add_task("train", total=state.max_steps, completed=state.global_step, info="")

        def speed(self, state: Any) -> tuple[float, float]:
            """Tokens per second since this run (re)started, and the seconds its remaining steps take at it."""
            done, seconds = state.global_step - self.first_step, time.monotonic() - self.started
            left = (state.max_steps - state.global_step) * seconds / done if done else 0.0
            return done * tokens_per_step / max(1e-9, seconds), left

        def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
            if logs and "loss" in logs:  # every step (logging_steps=1), after its on_step_end
                self.loss = float(logs["loss"])
                if on_step is not None:
                    on_step(state.global_step, state.max_steps, self.loss, *self.speed(state))

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            speed, _ = self.speed(state)
            info = f"loss {self.loss:.3f}  {speed:.0f} tokens/s"
            if self.progress is not None:
                self.progress.update(self.task, completed=state.global_step, info=info)
            elif state.global_step % 10 == 0:
                log.info("step %d/%d %s", state.global_step, state.max_steps, info)

        def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if self.progress is not None:
                self.progress.stop()

    class ThreadBudget(TrainerCallback):
        """Follow the cores other programs leave free, step by step: fewer threads when the machine gets busy
        (waiting threads spin and slow everyone tenfold), all of them again when it is quiet."""

        def __init__(self) -> None:
            self.free = FreeCores()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            import torch

            threads = config.threads or self.free()
            if threads != torch.get_num_threads():
                log.info("Training now uses %d thread(s)", threads)
                torch.set_num_threads(threads)

    return [TimeBudget(), ProgressBar(), ThreadBudget()]


def last_checkpoint(folder: Path) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(str(folder)) if folder.is_dir() else None


def trial_step(model: Any, sequences: list[dict[str, list[int]]], batch: int, device: Any) -> None:
    """One forward and backward pass over `batch` of the sequences at once on `device`, in bf16 autocast as a
    training step on a GPU runs; the gradients are dropped. Raises torch.cuda.OutOfMemoryError when it does not
    fit."""
    import torch

    rows = [sequences[i % len(sequences)] for i in range(batch)]
    inputs = {key: torch.tensor([row[key] for row in rows], device=device) for key in rows[0]}
    try:
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            model(**inputs, use_cache=False).loss.backward()
    finally:
        model.zero_grad(set_to_none=True)


def step_shape(
    model: Any,
    sequences: list[dict[str, list[int]]],
    config: TrainerConfig,
    group: ProcessGroup | None = None,
    records: DeviceRecords | None = None,
) -> tuple[int, int]:
    """(sequences per device step, accumulation steps) for `batch_size` sequences per optimizer step in all,
    shared by the processes (each takes batch_size // processes, at least one).

    On the CPU one sequence at a time: the logits of a 49k-token vocabulary dominate memory, and this keeps a
    135M model's peak under 4 GB at seq_len 512 (batch 4 at once took 8.6 GB). On a GPU as many at once as fit
    (device.largest_batch, kept in `records` per GPU, base model and seq_len), the same in every process; only
    the rest is accumulated. The model is moved to the GPU for the search.
    """
    import torch

    processes = group.size if group else 1
    share = max(1, config.batch_size // processes)
    device = group.state.device if group else torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type != "cuda":
        return 1, share
    model.to(device)

    def try_step(batch: int) -> None:
        trial_step(model, sequences, batch, device)

    if records is None:
        batch = largest_batch(try_step, share)
    else:
        batch = records.device_batch(device_name(), config.base_model, config.seq_len, share, try_step)
    if group is not None:
        batch = group.smallest(batch)
    return batch, share // batch


def packed_trainer(
    model: Any,
    sequences: list[dict[str, list[int]]],
    config: TrainerConfig,
    output_dir: Path,
    show_progress: bool = True,
    seed: int = 0,
    shape: tuple[int, int] = (1, 0),
    group: ProcessGroup | None = None,
    on_step: StepReport | None = None,
) -> Any:
    """The Hugging Face Trainer over the packed sequences, checkpointing into `output_dir`, `shape[0]` sequences
    per device step accumulated `shape[1]` times (0: to batch_size); `on_step` hears of every step with its
    loss (see `StepReport`)."""
    import torch
    from transformers import PrinterCallback, Trainer, TrainingArguments

    cuda = torch.cuda.is_available()
    device_batch, accumulation = shape[0], shape[1] or config.batch_size
    processes = group.size if group else 1
    args = TrainingArguments(
        output_dir=str(output_dir),
        per_device_train_batch_size=device_batch,
        gradient_accumulation_steps=accumulation,
        learning_rate=config.learning_rate,
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        lr_scheduler_type="cosine",
        warmup_steps=max(1, int(0.05 * (config.max_steps or len(sequences) // config.batch_size or 1))),
        logging_steps=1,
        save_strategy="steps",
        save_steps=config.checkpoint_every,
        save_total_limit=2,
        report_to="none",
        disable_tqdm=True,
        use_cpu=not cuda,
        bf16=cuda and torch.cuda.is_bf16_supported(),
        dataloader_num_workers=0,
        seed=seed,
        remove_unused_columns=False,
        # the Trainer sets this on the model's config; with a cache, transformers ignores the position ids'
        # restarts when it builds the attention mask, and packed examples would see each other
        use_cache=False,
        ddp_find_unused_parameters=False,  # every LoRA weight is used in every step
    )
    tokens_per_step = device_batch * accumulation * processes * config.seq_len
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=PackedDataset(sequences),
        callbacks=_callbacks(config, tokens_per_step, show_progress, group, on_step),
    )
    trainer.remove_callback(PrinterCallback)  # it prints raw dicts; the progress bar says the same, readably
    return trainer


def add_adapter(model: Any, config: TrainerConfig) -> Any:
    """The model with a fresh LoRA adapter of the configured rank on the target modules (a peft model)."""
    from peft import LoraConfig, get_peft_model

    return get_peft_model(
        model,
        LoraConfig(
            r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            target_modules=config.target_modules,
            task_type="CAUSAL_LM",
        ),
    )


def train_lora(
    model: Any,
    sequences: list[dict[str, list[int]]],
    config: TrainerConfig,
    run_dir: Path,
    show_progress: bool = True,
    seed: int = 0,
    group: ProcessGroup | None = None,
    records: DeviceRecords | None = None,
    on_step: StepReport | None = None,
) -> dict[str, Any]:
    """Train an adapter on the packed sequences; returns what happened (steps, final mean loss, seconds, tokens/s
    in all processes, the device batch, the loss of every step as [step, loss] pairs (`loss_curve`, the steps
    before a resumed checkpoint included), and the model). Under `accelerate launch` every process of `group`
    calls it; the main one saves the adapter. `records` keeps the GPU's device batch (None: searched again);
    `on_step` hears of every step (see `StepReport`)."""
    import torch

    torch.set_num_threads(config.threads or free_cores())
    peft_model = add_adapter(model, config)
    shape = step_shape(peft_model, sequences, config, group, records)
    checkpoints = run_dir / "checkpoints"
    trainer = packed_trainer(peft_model, sequences, config, checkpoints, show_progress, seed, shape, group, on_step)
    resume = last_checkpoint(checkpoints)
    if resume:
        log.info("Resuming training from %s", Path(resume).name)
    started = time.monotonic()
    first_step = int(resume.rsplit("-", 1)[-1]) if resume else 0
    result = trainer.train(resume_from_checkpoint=resume)
    seconds = time.monotonic() - started
    steps = trainer.state.global_step - first_step
    if trainer.is_world_process_zero():
        peft_model.save_pretrained(run_dir / "adapter")
    per_step = shape[0] * shape[1] * (group.size if group else 1)
    return {
        "steps": trainer.state.global_step,
        "resumed_from": first_step or None,
        "loss": round(float(result.training_loss), 4),
        "seconds": round(seconds, 1),
        "tokens_per_second": round(steps * per_step * config.seq_len / max(seconds, 1e-9), 1),
        "device_batch": shape[0],
        "loss_curve": [[e["step"], round(float(e["loss"]), 4)] for e in trainer.state.log_history if "loss" in e],
        "model": peft_model,
    }
