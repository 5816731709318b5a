"""Merging: the adapter folded into the base weights (`merge_and_unload`), saved as a plain HF folder with
its tokenizer and chat template, ready for llama.cpp's converter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foldermind.trainer.base_model import load_base, save_hf_folder


def merge_adapter(base_model: str, adapter: Path, target: Path, peft_model: Any = None) -> Path:
    """Merge the adapter in memory, or reload it onto the base when resuming after a kill."""
    from peft import PeftModel

    model, tokenizer = load_base(base_model)
    if peft_model is None:
        peft_model = PeftModel.from_pretrained(model, adapter)
    return save_hf_folder(peft_model.merge_and_unload(), tokenizer, target)
