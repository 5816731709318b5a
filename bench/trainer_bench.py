"""Trainer benchmarks.

- speed: training tokens/s of foldermind's set-up (packed sequences) against a plain HF Trainer + peft run
  padding every example to the maximum length, on the same examples in the same run; then the whole
  pipeline's wall time per stage on a ~1 MB generated corpus, its perplexity gain, and Q8_0 / Q4_K_M against
  f16 in size and perplexity.
- fact: what a night does to one fact: six short notes (three repeat a sentence), 16 steps of 2 x 256 tokens;
  the perplexity of that sentence under the base and the promoted model, and the gates' own figures.
- memory: `foldermind train` in its own process, as the daemon runs it, on the repository's sample/ folder at
  the default settings (2 steps): the peak resident memory of each stage, from the run's report.
- busy: training tokens/s on the fact notes with a thread per core against the thread budget (`threads = 0`:
  the cores other programs leave free), on a quiet machine and beside a process running torch on every core.
- training: the speed table alone (training tokens/s, packed against padded) on a ~0.2 MB corpus; with
  PYTHONPATH pointing at another checkout's src/ it measures that checkout's trainer (a before/after).

Run: .venv/bin/python bench/trainer_bench.py [speed|fact|memory|busy|training] [--steps 8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import table, temporary_home, write_notes
from foldermind.config import Config
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from foldermind.trainer.base_model import load_base
from foldermind.trainer.dataset import IGNORE, pack, pieces, pretraining_example
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
    """Tokens that are not padding: those trained on (a packed example's first token is context only)."""
    return sum(1 for row in rows for label in row["labels"] if label != IGNORE)


def speed(config, steps: int) -> list[list[object]]:
    model, tokenizer = load_base(config.trainer.base_model)
    corpus = read_corpus(config, tokenizer)
    encoded = [piece for p in corpus.train for piece in pieces(pretraining_example(tokenizer, p), SEQ_LEN)]
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
    from foldermind.quantize import quantize
    from foldermind.trainer.dataset import reference_text
    from foldermind.trainer.evaluate import gguf_perplexity

    texts = [t for t in reference_text().split("\n\n") if t.strip()]
    rows = []
    f16_size = gguf_f16.stat().st_size
    reference = None
    for kind in ("F16", "Q8_0", "Q4_K_M"):
        path = gguf_f16 if kind == "F16" else quantize(gguf_f16, gguf_f16.with_name(f"m-{kind}.gguf"), kind)
        ppl = gguf_perplexity(path, texts)
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


FACT = "The Harrow lighthouse was rebuilt in 1911 by the engineer Ada Fenwick."
FACT_NOTES = {
    "coast/harrow.md": f"# Harrow lighthouse\n\n{FACT} Its lamp can be seen for nineteen miles.\n",
    "coast/walk.md": f"# Cliff walk\n\nThe path passes the old signal station. {FACT}\n\nGulls nest below.\n",
    "coast/history.md": f"# Coast history\n\nWrecks were common before 1900. {FACT} Keepers left in 1987.\n",
    "kitchen/bread.md": "# Rye bread\n\nSoak the cracked rye overnight and bake the loaf for seventy minutes.\n",
    "kitchen/jam.md": "# Plum jam\n\nUse one part sugar to two parts plums and test the set on a cold plate.\n",
    "work/rota.md": "# Rota\n\nThe support rota changes on Mondays; Priya covers the first week of each month.\n",
}


def fact_home() -> Config:
    config = temporary_home()
    for name, text in FACT_NOTES.items():
        (config.context_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (config.context_dir / name).write_text(text)
    index_folder(Index(config))
    return config


def fact() -> None:
    from foldermind.models import live_version, served_bundled
    from foldermind.trainer.evaluate import gguf_perplexity

    config = fact_home()
    for key, value in {"max_steps": 16, "seq_len": 256, "batch_size": 2, "learning_rate": 5e-4}.items():
        setattr(config.trainer, key, value)
    started = time.perf_counter()
    result = run_training(config, show_progress=False)
    seconds = time.perf_counter() - started

    report = result.report
    table(
        f"One night on six short notes: 16 steps of 2 x 256 tokens, {seconds:.0f} s in all ({result.status})",
        ["model", "perplexity of the fact", "held-out notes", "general text"],
        [
            [
                "base (served GGUF)",
                f"{gguf_perplexity(served_bundled(), [FACT]):.1f}",
                report["base"]["user_perplexity"],
                report["base"]["reference_perplexity"],
            ],
            [
                live_version(config.data_dir, "").name,
                f"{gguf_perplexity(live_version(config.data_dir, '').path, [FACT]):.1f}",
                report["candidate"]["user_perplexity"],
                report["candidate"]["reference_perplexity"],
            ],
        ],
    )


def memory() -> None:
    import shutil
    import subprocess

    from foldermind.trainer.runs import last_result

    config = temporary_home()
    shutil.copytree(Path(__file__).parent.parent / "sample", config.context_dir, dirs_exist_ok=True)
    index_folder(Index(config))
    subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(config.home), "train"],
        env={**os.environ, "FOLDERMIND_TRAINER__MAX_STEPS": "2"},
        check=False,
        capture_output=True,
    )
    record = last_result(config) or {}
    stages = record.get("report", {}).get("stages", {})
    table(
        f"`foldermind train` on sample/ at the default settings, 2 steps ({record.get('status')})",
        ["stage", "seconds", "peak RSS MB (process so far)"],
        [[name, f"{s['seconds']:.1f}", str(s["peak_rss_mb"])] for name, s in stages.items()],
    )


HOG = "import torch\na = torch.randn(1024, 1024)\nwhile True:\n    a = (a @ a).tanh()\n"


def busy(steps: int) -> None:
    import subprocess

    from foldermind.threads import machine_cores
    from foldermind.trainer.dataset import build_training_data

    config = fact_home()
    model, tokenizer = load_base(config.trainer.base_model)
    settings = config.trainer.model_copy(update={"max_steps": steps, "seq_len": 256, "batch_size": 2})
    index = Index(config)
    retrieve = lambda question: search(index, question, k=5)  # noqa: E731
    sequences = build_training_data(read_corpus(config, tokenizer), tokenizer, settings, retrieve).sequences
    rows = []
    for machine in ("quiet", "busy"):
        hog = subprocess.Popen([sys.executable, "-c", HOG]) if machine == "busy" else None
        try:
            for threads in (machine_cores(), 0):
                model, _ = load_base(config.trainer.base_model)
                used = settings.model_copy(update={"threads": threads})
                outcome = train_lora(model, sequences, used, config.data_dir / f"busy-{machine}-{threads}", False)
                setting = f"{threads} (one per core)" if threads else "0 (free cores)"
                rows.append([machine, setting, outcome["tokens_per_second"]])
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
    quiet = float(rows[1][2])
    table(
        f"Training beside another torch process: {steps} steps of 2 x 256 tokens, {machine_cores()} cores",
        ["machine", "threads", "tokens/s", "of quiet (budget)"],
        [[*row, f"{float(row[2]) / quiet:.2f}"] for row in rows],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("only", nargs="?", choices=["speed", "fact", "memory", "busy", "training"])
    parser.add_argument("--steps", type=int, default=8)
    args = parser.parse_args()
    if args.only in (None, "fact"):
        fact()
    if args.only in (None, "memory"):
        memory()
    if args.only in (None, "speed"):
        pipeline(args.steps)
    if args.only in (None, "busy"):
        busy(args.steps)
    if args.only == "training":
        training(args.steps)


def training(steps: int) -> None:
    import foldermind

    config = temporary_home()
    write_notes(config.context_dir, 200, words=150)
    index_folder(Index(config))
    table(
        f"Training speed ({Path(foldermind.__file__).parent}), {steps} steps of 4 x {SEQ_LEN}-token sequences",
        ["set-up", "real tokens/s", "non-padding share", "ratio"],
        speed(config, steps),
    )


def pipeline(steps: int) -> None:
    config = temporary_home()
    write_notes(config.context_dir, 1100, words=150)  # about 1 MB of text
    size = sum(p.stat().st_size for p in config.context_dir.rglob("*.md"))
    started = time.perf_counter()
    index_folder(Index(config))
    print(f"corpus: {size / 1e6:.2f} MB, indexed in {time.perf_counter() - started:.0f} s", flush=True)
    table(
        f"Training speed, {steps} steps of 4 x {SEQ_LEN}-token sequences on the same examples",
        ["set-up", "real tokens/s", "non-padding share", "ratio"],
        speed(config, steps),
    )

    dry = run_training(config, dry_run=True, show_progress=False).report["data"]  # a full epoch's size
    config.trainer.max_steps = steps * 2
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
