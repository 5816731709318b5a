"""Which GGUF type to serve the bundled model as: prompt and generation speed against perplexity.

Each type is made in-process from the shipped Q4_1 file with llama.cpp's own quantizer (the way foldermind
makes its served copy): F16 holds the shipped weights exactly, Q8_0 to within its finer rounding, while Q4_0
and Q4_K_M round them once more, as coarsely as the shipped file. Speed: a 1,300-token prompt of real
manual-page text, read from an empty cache each run (median of 3), then 64 generated tokens. Perplexity:
8 other manual pages, 700 tokens each, with the same evaluation the trainer's gates use.

Run: .venv/bin/python bench/gguf_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from answer_bench import build_manpages
from common import median, table
from foldermind.llama import load_llama
from foldermind.models import bundled_gguf
from foldermind.quantize import quantize
from foldermind.trainer.evaluate import gguf_perplexity

TYPES = ["Q4_1", "Q8_0", "F16", "Q4_K_M", "Q4_0"]
PROMPT_TOKENS = 1300
GENERATED = 64
RUNS = 3


def speed(path: Path, prompt: list[int], flash_attn: bool) -> tuple[float, float]:
    llama = load_llama(path, n_ctx=2048, n_threads=os.cpu_count(), flash_attn=flash_attn, verbose=False)
    reads, writes = [], []
    for _ in range(RUNS):
        llama.reset()
        started = time.perf_counter()
        first = None
        count = 0
        for _token in llama.generate(prompt, temp=0.0, reset=True):
            first = first or time.perf_counter()
            count += 1
            if count > GENERATED:
                break
        end = time.perf_counter()
        reads.append(len(prompt) / (first - started))
        writes.append((count - 1) / (end - first))
    llama.close()
    return median(reads), median(writes)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fm-gguf-"))
    pages = work / "pages"
    build_manpages(pages)
    texts = [p.read_text() for p in sorted(pages.glob("*.txt"))]
    long_text = next(t for t in texts if len(t) > 20_000)
    from llama_cpp import Llama

    shipped = bundled_gguf()
    tokenizer = Llama(model_path=str(shipped), vocab_only=True, verbose=False)
    prompt = tokenizer.tokenize(long_text.encode())[:PROMPT_TOKENS]
    held_out = [
        tokenizer.detokenize(tokenizer.tokenize(t.encode(), add_bos=False)[:700]).decode(errors="ignore")
        for t in texts[1::20][:8]
    ]
    rows = []
    for kind in TYPES:
        path = shipped if kind == "Q4_1" else quantize(shipped, work / f"{kind}.gguf", kind)
        size = path.stat().st_size / 2**20
        ppl = gguf_perplexity(path, held_out)
        for flash in (False, True):
            read, write = speed(path, prompt, flash)
            label = f"{kind}{' (shipped)' if kind == 'Q4_1' else ''}{' + flash_attn' if flash else ''}"
            rows.append([label, f"{size:.0f}", f"{read:.0f}", f"{write:.0f}", "" if flash else f"{ppl:.2f}"])
            print(rows[-1], flush=True)
    table(
        "GGUF types of the bundled SmolLM2-135M",
        ["GGUF type", "MiB", "prompt tok/s", "generate tok/s", "perplexity"],
        rows,
    )


if __name__ == "__main__":
    main()
