"""Merging: the adapter folded into the base weights (`merge_and_unload`), saved as a plain HF folder with
its tokenizer and chat template, ready for llama.cpp's converter.

The merge is exact: base and adapter are loaded in float32, merged there, and the merged weights are written
in float32. A LoRA update is small beside the weights it changes; rounded to a 16-bit grid that the base
weights lie on, much of it is lost. Merged into bf16 weights (as a GPU training holds them), or merged in
float32 and written in bf16, the same share of the update's norm is lost (bench/gpu_bench.py measures both;
issue 23 found 13.7% on a 135M model and top-1 agreement of 86% on a 1.7B one). The quantization the user
chose ([trainer] quantization) is then the only rounding. The merge runs on the CPU: it is one rank-r product
per layer, cheaper than moving a float32 model to a GPU and back, and it needs no GPU memory.
"""

from __future__ import annotations

from pathlib import Path

from foldermind.trainer.base_model import load_base, save_hf_folder


def merge_adapter(base_model: str, adapter: Path, target: Path) -> Path:
    """The base model with the adapter at `adapter` merged into it, in float32, written to `target`."""
    import torch
    from peft import PeftModel

    model, tokenizer = load_base(base_model, dtype=torch.float32)
    return save_hf_folder(PeftModel.from_pretrained(model, adapter).merge_and_unload(), tokenizer, target)
