"""GPU training benchmark (issue 23): the training stage's speed and memory on a GPU, and the merge's error.

- speed: tokens/s and peak GPU memory of the training stage (the trainer's own add_adapter, step_shape,
  packed_trainer) for the bundled SmolLM2-135M and a model of SmolLM2-1.7B's shape (random weights, the real
  tokenizer), on packed sequences of this repository's text: at the shipped settings as they were (one sequence
  per device step, accumulated to batch_size 4), with the device batch at batch_size 4, and with the device
  batch at --batch (the largest batch that fits, up to it). Goals on one H200: >= 30,000 tokens/s for the 135M
  at seq_len 512, >= 10,000 for the 1.7B shape at 1,024.
- merge: an adapter of the bundled model trained --merge-steps steps on a base stored in bf16 (the bundled
  weights rounded to bf16, as a hub checkpoint is), merged four ways: into the bf16 weights (what a GPU night
  did), and in float32, written as float32, bf16 and f16. Per way: the share of the LoRA update's norm lost
  (|merged - base - update| / |update| over every adapted matrix), the share of weights the update should move
  that stayed unchanged, and the top-1 next token and largest logit difference against the unmerged adapter
  model on held-out text. Goal: the merged model agrees on >= 99.9% of top-1 tokens.

Without a GPU it says so and runs its CPU part: the 135M at shipped settings for --cpu-steps steps, and the
merge (which is measurable on a CPU: the rounding is the same).

Run: .venv/bin/python bench/gpu_bench.py [--steps 25] [--batch 32] [--cpu-steps 4] [--merge-steps 25]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from common import table
from foldermind.config import TrainerConfig
from foldermind.trainer.base_model import load_base
from foldermind.trainer.dataset import encode_text, pack, pieces, reference_text
from foldermind.trainer.lora import add_adapter, packed_trainer, step_shape

BASE = "HuggingFaceTB/SmolLM2-135M-Instruct"
ROOT = Path(__file__).parent.parent
# SmolLM2-1.7B's config.json (HuggingFaceTB/SmolLM2-1.7B-Instruct), the sizes that decide speed and memory
SHAPE_1_7B = {
    "hidden_size": 2048,
    "intermediate_size": 8192,
    "num_hidden_layers": 24,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "vocab_size": 49152,
    "max_position_embeddings": 8192,
    "tie_word_embeddings": True,
}


def training_text() -> str:
    """This repository's README and sample notes: real prose, the same on every machine."""
    files = [ROOT / "README.md", *sorted(ROOT.glob("sample/**/*.md"))]
    return "\n\n".join(path.read_text(encoding="utf-8") for path in files)


def sequences(tokenizer: Any, seq_len: int, count: int) -> list[dict[str, list[int]]]:
    packed = pack(pieces(encode_text(tokenizer, training_text()), seq_len), seq_len, tokenizer.pad_token_id)
    return [packed[i % len(packed)] for i in range(count)]


def shaped_1_7b() -> tuple[Any, Any]:
    """A model of SmolLM2-1.7B's shape with random weights in bf16, and the SmolLM2 family's tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, LlamaConfig

    _, tokenizer = load_base(BASE)
    config = LlamaConfig(**SHAPE_1_7B, rope_theta=130000.0, bos_token_id=1, eos_token_id=2)
    return AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16), tokenizer


def train_speed(load: Any, settings: TrainerConfig, steps: int, shape: tuple[int, int] | None) -> list[object]:
    """Train `steps` optimizer steps; `shape` (device batch, accumulation) or None for the device batch search."""
    import torch

    model, tokenizer = load()
    model = add_adapter(model, settings)
    data = sequences(tokenizer, settings.seq_len, steps * settings.batch_size)
    used = shape or step_shape(model, data, settings)
    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    with tempfile.TemporaryDirectory() as folder:
        run = settings.model_copy(update={"max_steps": steps})
        trainer = packed_trainer(model, data, run, Path(folder), False, 0, used)
        started = time.perf_counter()
        trainer.train()
        seconds = time.perf_counter() - started
    tokens = steps * used[0] * used[1] * settings.seq_len
    peak = f"{torch.cuda.max_memory_allocated() / 1e9:.1f}" if cuda else "n/a (CPU)"
    return [f"{used[0]} x {used[1]}", steps, f"{tokens / seconds:,.0f}", peak]


def speed(steps: int, batch: int) -> None:
    rows = []
    models = (("SmolLM2-135M (bundled)", lambda: load_base(BASE), 512), ("1.7B shape", shaped_1_7b, 1024))
    for name, load, seq_len in models:
        shipped = TrainerConfig(seq_len=seq_len, batch_size=4)
        rows.append([name, seq_len, "shipped (1 at a time)", *train_speed(load, shipped, steps, (1, 4))])
        rows.append([name, seq_len, "device batch, batch_size 4", *train_speed(load, shipped, steps, None)])
        bigger = shipped.model_copy(update={"batch_size": batch})
        rows.append([name, seq_len, f"device batch, batch_size {batch}", *train_speed(load, bigger, steps, None)])
    import torch

    table(
        f"Training stage on {torch.cuda.get_device_name()}: one run each",
        ["model", "seq_len", "setting", "device batch x accumulation", "steps", "tokens/s", "peak GPU GB"],
        rows,
    )


def cpu_speed(steps: int) -> None:
    settings = TrainerConfig(seq_len=512, batch_size=4)
    row = train_speed(lambda: load_base(BASE), settings, steps, None)
    table(
        "Training stage on the CPU (no GPU here): the bundled 135M at the shipped settings, one run",
        ["model", "seq_len", "device batch x accumulation", "steps", "tokens/s", "peak GPU GB"],
        [["SmolLM2-135M (bundled)", 512, *row]],
    )


def merge_error(steps: int) -> None:
    """The four merges of one adapter, against the unmerged adapter model (float32 compute throughout)."""
    import torch
    from peft import PeftModel

    model, tokenizer = load_base(BASE, dtype=torch.float32)
    with torch.no_grad():
        for weight in model.parameters():
            weight.copy_(weight.to(torch.bfloat16).float())  # a base stored in bf16, as hub checkpoints are
    base_weights = {name: weight.detach().clone() for name, weight in model.named_parameters()}
    settings = TrainerConfig(seq_len=256, batch_size=4, max_steps=steps, lora_dropout=0.0)
    trained = add_adapter(model, settings)
    with tempfile.TemporaryDirectory() as folder:
        packed_trainer(trained, sequences(tokenizer, 256, steps * 4), settings, Path(folder), False).train()
        trained.save_pretrained(Path(folder) / "adapter")
        trained.to("cpu").eval()  # on a GPU the Trainer moved it there; the comparison runs on the CPU
        held_out = torch.tensor([tokenizer(reference_text())["input_ids"][:1024]])
        with torch.no_grad():
            expected = trained(input_ids=held_out).logits[0]
        updates = {}
        for name, module in trained.named_modules():
            if hasattr(module, "get_delta_weight"):
                key = name.removeprefix("base_model.model.") + ".weight"
                updates[key] = module.get_delta_weight("default").detach().float()

        def merged(dtype: Any, merge_in: Any) -> Any:
            base, _ = load_base(BASE, dtype=torch.float32)
            base.load_state_dict(base_weights, strict=False)  # lm_head is tied to the embeddings
            adapted = PeftModel.from_pretrained(base.to(merge_in), Path(folder) / "adapter")  # adapter in float32
            return adapted.merge_and_unload().to(dtype).float()

        ways = [
            ("into bf16 weights (a GPU night before)", torch.bfloat16, torch.bfloat16),
            ("in float32, written float32 (now)", torch.float32, torch.float32),
            ("in float32, written bf16", torch.bfloat16, torch.float32),
            ("in float32, written f16", torch.float16, torch.float32),
        ]
        rows = []
        for name, dtype, merge_in in ways:
            model = merged(dtype, merge_in).eval()
            weights = dict(model.named_parameters())
            lost = total = unchanged = moved = 0.0
            for key, update in updates.items():
                applied = weights[key].detach() - base_weights[key]
                lost += float((applied - update).norm() ** 2)
                total += float(update.norm() ** 2)
                should_move = update != 0
                unchanged += float(((applied == 0) & should_move).sum())
                moved += float(should_move.sum())
            with torch.no_grad():
                got = model(input_ids=held_out).logits[0]
            agree = float((got.argmax(-1) == expected.argmax(-1)).float().mean())
            rows.append(
                [
                    name,
                    f"{(lost / total) ** 0.5:.2%}",
                    f"{unchanged / moved:.2%}",
                    f"{agree:.2%}",
                    f"{float((got - expected).abs().max()):.4f}",
                ]
            )
    table(
        f"Merge error: adapter of the bundled 135M on a bf16-stored base, {steps} steps of 4 x 256 tokens at lr "
        f"{settings.learning_rate}; against the unmerged adapter model on {held_out.shape[1]} held-out positions",
        ["merged", "update norm lost", "weights left unchanged", "top-1 agreement", "max |logit diff|"],
        rows,
    )


def main() -> None:
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=25, help="optimizer steps per speed run on a GPU")
    parser.add_argument("--batch", type=int, default=32, help="batch_size of the largest device-batch run")
    parser.add_argument("--cpu-steps", type=int, default=4, help="optimizer steps of the CPU speed run")
    parser.add_argument("--merge-steps", type=int, default=25, help="training steps of the merged adapter")
    args = parser.parse_args()
    if torch.cuda.is_available():
        speed(args.steps, args.batch)
    else:
        print("No GPU: PyTorch sees no CUDA device. The GPU figures are not measured; running the CPU part.\n")
        cpu_speed(args.cpu_steps)
    merge_error(args.merge_steps)


if __name__ == "__main__":
    main()
