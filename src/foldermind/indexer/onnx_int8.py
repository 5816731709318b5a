"""The embedding model as int8 ONNX, run by onnxruntime: the same model, about twice as fast on a CPU.

Made once per model from its sentence-transformers copy (torch's ONNX export, then onnxruntime's dynamic int8
quantization) into the user cache, and used only for models whose pooling it reproduces (mean of the tokens,
then unit length: all-MiniLM-L6-v2 and most sentence-transformers models). Vectors differ from torch's by
quantization noise only, so an index may hold both; bench/indexer_bench.py measures speed and recall.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from foldermind.atomic import replace_durably
from foldermind.cache import cache_dir

log = logging.getLogger(__name__)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
RECIPE = "int8-per-channel-matmul-1"  # part of the cached copy's name: a new recipe makes a new copy


def supported(model: Any) -> bool:
    """A plain Transformer, then mean pooling, then (optionally) normalisation: what `encode` below does."""
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or not set(kinds[2:]) <= {"Normalize"}:
        return False
    pooling = modules[1].get_config_dict()
    mode = pooling.get("pooling_mode") or ("mean" if pooling.get("pooling_mode_mean_tokens") else "")
    return mode == "mean" and all(not pooling.get(f"pooling_mode_{m}") for m in ("cls_token", "max_tokens"))


def _export(model: Any, target: Path) -> Path:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sample = model.tokenizer(["a sample sentence"], return_tensors="pt")
    names = [n for n in INPUTS if n in sample]

    class ByName(torch.nn.Module):
        """The transformer called with keyword inputs: its positional order changes between versions."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: Any) -> Any:
            return self.inner(**dict(zip(names, inputs, strict=True))).last_hidden_state

    transformer = ByName(model[0].auto_model).eval()
    float_path = target.with_name(f".{target.stem}.{os.getpid()}.float.onnx")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter announces its own deprecation
            torch.onnx.export(
                transformer,
                tuple(sample[n] for n in names),
                str(float_path),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        # Per-channel weights of the matrix products only: cosine to torch's vectors >= 0.99 (per-tensor, the
        # default, gave 0.94), at the same speed.
        quantize_dynamic(
            str(float_path),
            str(partial),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
        replace_durably(partial, target)
    finally:
        float_path.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return target


class OnnxEncoder:
    """`encode` for a sentence-transformers model, through its int8 ONNX copy."""

    def __init__(self, model: Any, name: str) -> None:
        import onnxruntime

        folder = Path(model.tokenizer.name_or_path)
        stamp = hashlib.sha256(f"{RECIPE}|{name}|{folder}|{_files_stamp(folder)}".encode()).hexdigest()[:16]
        target = cache_dir() / "embeddings" / stamp / "model-int8.onnx"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            log.info("Converting the embedding model to int8 ONNX once, for faster indexing")
            _export(model, target)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = onnxruntime.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
        self.wanted = {i.name for i in self.session.get_inputs()}
        self.tokenizer = model.tokenizer
        self.max_tokens = int(model.max_seq_length)
        self.normalize = any(type(m).__name__ == "Normalize" for m in model)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts])  # similar lengths together: less padding per batch
        vectors: list[np.ndarray] = []
        for start in range(0, len(texts), batch_size):
            batch = [texts[i] for i in order[start : start + batch_size]]
            inputs = self.tokenizer(
                batch, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="np"
            )
            feed = {k: v.astype(np.int64) for k, v in inputs.items() if k in self.wanted}
            hidden = self.session.run(None, feed)[0]
            mask = inputs["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            vectors.append(pooled.astype(np.float32))
        out = np.concatenate(vectors)[np.argsort(order)]
        if self.normalize:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out


def _files_stamp(folder: Path) -> str:
    """Sizes and times of the model's files: a changed model gets a new copy."""
    if not folder.is_dir():
        return ""
    return ";".join(
        f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sorted(folder.glob("*")) if p.is_file()
    )
