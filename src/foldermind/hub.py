"""Bigger base models from the Hugging Face hub, for users who have the memory.

foldermind ships a 135M model so that it works offline on any machine; a user with a few GB to spare gets
better answers from a bigger instruct model. `models pull` fetches one GGUF through huggingface_hub (its
cache, its progress bar, its resume), checks that llama.cpp loads it and can generate, and only then offers
to make it the base the server answers with and the trainer fine-tunes. A failure changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from foldermind.atomic import write_atomic
from foldermind.config import CONFIG_FILE, Config
from foldermind.errors import ModelError
from foldermind.llama import load_llama


@dataclass(frozen=True)
class CatalogModel:
    name: str
    repo: str
    file: str
    download_mb: int  # the file's size as the hub lists it, rounded
    note: str


# Instruct models with an official (or llama.cpp-maintained) GGUF, smallest first. Sizes are the hub's.
CATALOG = [
    CatalogModel(
        "smollm2-360m",
        "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF",
        "smollm2-360m-instruct-q8_0.gguf",
        386,
        "same family as the bundled model, 2.7x its size",
    ),
    CatalogModel(
        "qwen2.5-0.5b",
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        "qwen2.5-0.5b-instruct-q8_0.gguf",
        676,
        "multilingual, 32k context",
    ),
    CatalogModel(
        "gemma3-1b", "ggml-org/gemma-3-1b-it-GGUF", "gemma-3-1b-it-Q4_K_M.gguf", 806, "multilingual, 32k context"
    ),
    CatalogModel(
        "llama3.2-1b",
        "bartowski/Llama-3.2-1B-Instruct-GGUF",
        "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        808,
        "128k context; Llama 3.2 community licence",
    ),
    CatalogModel(
        "smollm2-1.7b",
        "HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF",
        "smollm2-1.7b-instruct-q4_k_m.gguf",
        1060,
        "the largest SmolLM2",
    ),
    CatalogModel(
        "qwen2.5-1.5b",
        "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        1120,
        "multilingual, 32k context",
    ),
]


def resolve(name: str, file: str | None) -> CatalogModel:
    """A catalog name, or any hub repository with the GGUF file to take from it."""
    for model in CATALOG:
        if model.name == name.lower():
            return model if file is None else CatalogModel(model.name, model.repo, file, 0, model.note)
    if "/" not in name:
        known = ", ".join(m.name for m in CATALOG)
        raise ModelError(f"'{name}' is not in the catalog ({known}); or give a hub repo: OWNER/NAME --file F.gguf")
    if not file or not file.endswith(".gguf"):
        raise ModelError(f"Name the GGUF file to take from {name} with --file, e.g. --file model-q8_0.gguf")
    return CatalogModel(name, name, file, 0, "")


def download(model: CatalogModel) -> Path:
    """The GGUF in the hub cache, downloaded (with a progress bar) unless it is there already."""
    from huggingface_hub import constants, hf_hub_download

    try:
        return Path(hf_hub_download(model.repo, model.file))
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(
            f"Could not download {model.file} from {model.repo} at {constants.ENDPOINT}: {reason}\n"
            "Nothing was changed. Check the network (or HF_ENDPOINT), the repository and the file name."
        ) from exc


def check_loads(path: Path) -> None:
    """llama.cpp must load the file and generate a token, or it is not offered as a base."""
    try:
        llama = load_llama(path, n_ctx=256, verbose=False)
        llama.create_completion("Hello", max_tokens=1)
    except Exception as exc:
        raise ModelError(f"{path.name} was downloaded, but llama.cpp cannot run it: {exc}. Nothing changed.") from exc


def use_as_base(home: Path, path: Path, server: bool, trainer: bool) -> None:
    """Point [server] base_model and/or [trainer] base_model at the GGUF, keeping config.toml's comments;
    written atomically, and validated before it replaces the old file."""
    config_path = home / CONFIG_FILE
    document = tomlkit.parse(config_path.read_text(encoding="utf-8")) if config_path.exists() else tomlkit.document()
    for section, wanted in (("server", server), ("trainer", trainer)):
        if wanted:
            if section not in document:
                document[section] = tomlkit.table()
            document[section]["base_model"] = str(path)  # type: ignore[index]
    text = tomlkit.dumps(document)
    Config.model_validate({**tomllib.loads(text), "home": home})
    write_atomic(config_path, text)
