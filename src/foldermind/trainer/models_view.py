"""What `foldermind models` shows and how rollback picks its target."""

from __future__ import annotations

import datetime as dt
from typing import Any

from foldermind.config import Config
from foldermind.errors import ModelError
from foldermind.models import BASE, current_name, versions
from foldermind.trainer.promote import read_report


def model_rows(config: Config) -> list[dict[str, Any]]:
    live = current_name(config.data_dir) or BASE
    rows = []
    for version in versions(config.data_dir, config.server.base_model):
        report = read_report(config.data_dir, version.name) if version.name != BASE else {}
        candidate = report.get("candidate", {})
        stat = version.path.stat()
        rows.append(
            {
                "name": version.name,
                "live": version.name == live,
                "made": dt.datetime.fromtimestamp(stat.st_mtime).isoformat(sep=" ", timespec="minutes"),
                "documents": report.get("data", {}).get("documents"),
                "perplexity": f"{candidate['user_perplexity']:.2f}" if candidate else "",
                "general_perplexity": f"{candidate['reference_perplexity']:.2f}" if candidate else "",
                "size_mb": stat.st_size / 1048576,
                "path": str(version.path),
            }
        )
    return rows


def previous_version(config: Config) -> str:
    names = [v.name for v in versions(config.data_dir, config.server.base_model)]
    live = current_name(config.data_dir) or BASE
    if live == BASE or live not in names:
        raise ModelError("The base model is live already; there is nothing older to roll back to.")
    return names[names.index(live) - 1]
