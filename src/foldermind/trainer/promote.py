"""Promotion: a new numbered version folder, then an atomic switch of `models/current`; old versions pruned."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from foldermind.models import MODEL_FILE, current_name, models_dir, set_live

log = logging.getLogger(__name__)


def version_names(data_dir: Path) -> list[str]:
    folder = models_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("v") and (p / MODEL_FILE).is_file())


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
    (partial / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    if adapter is not None and adapter.is_dir():
        shutil.copytree(adapter, partial / "adapter")
    partial.rename(folder / name)
    set_live(data_dir, name)
    prune(data_dir, keep)
    log.info("Promoted %s: it is now the live model", name)
    return name


def prune(data_dir: Path, keep: int) -> list[str]:
    live = current_name(data_dir)
    names = version_names(data_dir)
    doomed = [n for n in names[: max(0, len(names) - keep)] if n != live]
    for name in doomed:
        shutil.rmtree(models_dir(data_dir) / name, ignore_errors=True)
    return doomed


def read_report(data_dir: Path, name: str) -> dict[str, Any]:
    path = models_dir(data_dir) / name / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
