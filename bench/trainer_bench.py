"""Trainer benchmarks: training tokens/s of foldermind's set-up (packed sequences) against a plain HF Trainer +
peft run padding every example to the maximum length, on the same examples in the same run; the whole
pipeline's wall time and peak memory per stage on a ~1 MB corpus; the perplexity gain; and Q8_0 / Q4_K_M
against f16 in size and perplexity.

Run: .venv/bin/python bench/trainer_bench.py [--steps 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import table, temporary_home, write_notes
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.trainer.base_model import load_base
from foldermind.trainer.dataset import IGNORE, encode_text, pack, pretraining_text
from foldermind.trainer.lora import train_lora
from foldermind.trainer.pipeline import read_corpus, run_training

SEQ_LEN = 512


def padded(encoded: list[tuple[list[int], list[int]]], pad: int) -> list[dict[str, list[int]]]:
    """The naive baseline: one example per sequence, padded to the maximum length."""
    rows = []
    for ids, labels in encoded:
        ids, labels = ids[:SEQ_LEN], labels[:SEQ_LEN]
        fill = SEQ_LEN - len(ids)
        rows.append(
            {
                "input_ids": ids + [pad] * fill,
                "labels": labels + [IGNORE] * fill,
                "attention_mask": [1] * len(ids) + [0] * fill,
            }
        )
    return rows


def real_tokens(rows: list[dict[str, list[int]]]) -> int:
    return sum(sum(row["attention_mask"]) for row in rows)


def speed(config, steps: int) -> list[list[object]]:
    model, tokenizer = load_base(config.trainer.base_model)
    corpus = read_corpus(config, tokenizer)
    encoded = [encode_text(tokenizer, pretraining_text(p)) for p in corpus.train]
    pad = tokenizer.pad_token_id or tokenizer.eos_token_id
    rows = []
    for name, sequences in (
        ("HF Trainer + peft, padded to max length", padded(encoded, pad)),
        ("foldermind (packed sequences)", pack(encoded, SEQ_LEN, pad)),
    ):
        model, _ = load_base(config.trainer.base_model)
        settings = config.trainer.model_copy(update={"max_steps": steps, "seq_len": SEQ_LEN, "batch_size": 4})
        run_dir = config.data_dir / "bench" / name.split()[0]
        used = sequences[: steps * 4]
        started = time.perf_counter()
        train_lora(model, used, settings, run_dir, show_progress=False)
        seconds = time.perf_counter() - started
        rows.append([name, f"{real_tokens(used) / seconds:.0f}", f"{real_tokens(used) / len(used) / SEQ_LEN:.2f}"])
    base_rate = float(rows[0][1])
    return [[*row, f"{float(row[1]) / base_rate:.2f}"] for row in rows]


def quantization(gguf_f16: Path) -> list[list[object]]:
    from llama_cpp import Llama

    from foldermind.quantize import quantize
    from foldermind.trainer.dataset import reference_text
    from foldermind.trainer.evaluate import perplexity

    texts = [t for t in reference_text().split("\n\n") if t.strip()]
    rows = []
    f16_size = gguf_f16.stat().st_size
    reference = None
    for kind in ("F16", "Q8_0", "Q4_K_M"):
        path = gguf_f16 if kind == "F16" else quantize(gguf_f16, gguf_f16.with_name(f"m-{kind}.gguf"), kind)
        llama = Llama(model_path=str(path), n_ctx=1024, logits_all=True, verbose=False)
        ppl = perplexity(llama, texts)
        llama.close()
        reference = reference or ppl
        rows.append(
            [
                kind,
                f"{path.stat().st_size / 1048576:.0f}",
                f"{path.stat().st_size / f16_size:.2f}",
                f"{ppl:.3f}",
                f"{(ppl / reference - 1) * 100:+.2f}%",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=8)
    args = parser.parse_args()
    config = temporary_home()
    write_notes(config.context_dir, 1100, words=150)  # about 1 MB of text
    size = sum(p.stat().st_size for p in config.context_dir.rglob("*.md"))
    started = time.perf_counter()
    index_folder(Index(config))
    print(f"corpus: {size / 1e6:.2f} MB, indexed in {time.perf_counter() - started:.0f} s", flush=True)
    table(
        f"Training speed, {args.steps} steps of 4 x {SEQ_LEN}-token sequences on the same examples",
        ["set-up", "real tokens/s", "non-padding share", "ratio"],
        speed(config, args.steps),
    )

    dry = run_training(config, dry_run=True, show_progress=False).report["data"]  # a full epoch's size
    config.trainer.max_steps = args.steps * 2
    config.trainer.min_gain = 0.0
    started = time.perf_counter()
    result = run_training(config, show_progress=False)
    total = time.perf_counter() - started
    report = result.report
    stages = [[name, f"{s['seconds']:.1f}", str(s["peak_rss_mb"])] for name, s in report["stages"].items()]
    table(
        f"Pipeline on {size / 1e6:.2f} MB ({dry['tokens']} tokens), training capped at {config.trainer.max_steps} "
        f"steps; a full epoch would be {dry['steps']} steps, ~{dry['estimated_minutes']} min",
        ["stage", "seconds", "peak RSS MB (process so far)"],
        [*stages, ["total", f"{total:.0f}", ""]],
    )
    table(
        "Perplexity (held-out notes; general reference text)",
        ["model", "held-out notes", "general text"],
        [
            ["base (served GGUF)", report["base"]["user_perplexity"], report["base"]["reference_perplexity"]],
            ["candidate", report["candidate"]["user_perplexity"], report["candidate"]["reference_perplexity"]],
            ["verdict", f"gain {report['verdict']['gain']:.1%}", f"forgetting {report['verdict']['forgetting']:+.1%}"],
        ],
    )
    from foldermind.trainer.base_model import resolve_base
    from foldermind.trainer.export_gguf import convert_to_gguf

    f16 = convert_to_gguf(Path(resolve_base(config.trainer.base_model)), config.data_dir / "m-f16.gguf")
    table(
        "Quantization of the base model against f16 (reference-text perplexity)",
        ["type", "MB", "size vs f16", "perplexity", "vs f16"],
        quantization(f16),
    )
    print(json.dumps({"status": result.status}))


if __name__ == "__main__":
    main()
