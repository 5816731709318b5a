"""The merge is exact: an adapter of the bundled model, trained a few steps with the trainer's own functions,
merged in float32, gives the logits the adapter model gives; and the GGUF export keeps the weights' type
(bf16 as bf16, a merged model's float32 as f32)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from foldermind.config import TrainerConfig
from foldermind.trainer.base_model import load_base
from foldermind.trainer.dataset import encode_text, pack, pieces, reference_text
from foldermind.trainer.export_gguf import convert_to_gguf, ensure_converter, gguf_outtype
from foldermind.trainer.lora import train_lora
from foldermind.trainer.merge import merge_adapter
from tests.helpers import FACT

BASE = "HuggingFaceTB/SmolLM2-135M-Instruct"
SEQ_LEN = 128


@pytest.fixture(scope="module")
def adapter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any, Any]]:
    """(run folder, trained adapter model, tokenizer): 6 steps of one 128-token sequence of general text."""
    model, tokenizer = load_base(BASE)
    text = reference_text()[:4000]
    sequences = pack(pieces(encode_text(tokenizer, text), SEQ_LEN), SEQ_LEN, tokenizer.pad_token_id)
    settings = TrainerConfig(max_steps=6, seq_len=SEQ_LEN, batch_size=1, learning_rate=1e-3, lora_dropout=0.0)
    run = tmp_path_factory.mktemp("merge")
    outcome = train_lora(model, sequences, settings, run, show_progress=False)
    yield run, outcome["model"].eval(), tokenizer


def logits(model: Any, tokenizer: Any, text: str) -> torch.Tensor:
    with torch.no_grad():
        return model(input_ids=torch.tensor([tokenizer(text)["input_ids"]])).logits[0]


def test_the_merged_model_gives_the_adapter_models_logits(adapter: tuple[Path, Any, Any]) -> None:
    from transformers import AutoModelForCausalLM

    run, trained, tokenizer = adapter
    merged_folder = merge_adapter(BASE, run / "adapter", run / "merged")
    merged = AutoModelForCausalLM.from_pretrained(merged_folder, dtype=torch.float32).eval()
    expected = logits(trained, tokenizer, FACT)
    with trained.disable_adapter():
        base = logits(trained, tokenizer, FACT)
    assert (expected - base).abs().max() > 0.05  # the adapter learned something a lossy merge could lose
    assert (logits(merged, tokenizer, FACT) - expected).abs().max() < 1e-3
    # written in float32: rounded to 16 bits, the part of the update below the weights' precision would be lost
    assert json.loads((merged_folder / "config.json").read_text())["dtype"] == "float32"


def test_merged_float32_weights_are_exported_as_f32_and_it_says_why(adapter: tuple[Path, Any, Any]) -> None:
    run, _, _ = adapter
    outtype, why = gguf_outtype(run / "merged", ensure_converter())
    assert outtype == "f32" and "float32" in why


def bf16_folder(run: Path, tokenizer: Any, folder: Path) -> Path:
    from transformers import AutoModelForCausalLM

    AutoModelForCausalLM.from_pretrained(run / "merged", dtype=torch.bfloat16).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.mark.slow  # runs llama.cpp's converter in a process of its own
def test_bf16_weights_are_exported_as_bf16(adapter: tuple[Path, Any, Any], tmp_path: Path) -> None:
    from gguf import GGUFReader, LlamaFileType

    run, _, tokenizer = adapter
    folder = bf16_folder(run, tokenizer, tmp_path / "bf16")
    assert gguf_outtype(folder, ensure_converter())[0] == "bf16"

    gguf = convert_to_gguf(folder, tmp_path / "model.gguf")
    file_type = GGUFReader(gguf).fields["general.file_type"]
    assert int(file_type.parts[file_type.data[0]][0]) == LlamaFileType.MOSTLY_BF16


def test_a_converter_without_bf16_gets_f16_and_the_reason(adapter: tuple[Path, Any, Any], tmp_path: Path) -> None:
    run, _, tokenizer = adapter
    folder = bf16_folder(run, tokenizer, tmp_path / "bf16")
    older = tmp_path / "convert_hf_to_gguf.py"  # the real script with bf16 taken out of its --outtype choices
    older.write_text(ensure_converter().read_text(encoding="utf-8").replace('"bf16", ', "", 1), encoding="utf-8")
    outtype, why = gguf_outtype(folder, older)
    assert outtype == "f16" and "cannot write bf16" in why
