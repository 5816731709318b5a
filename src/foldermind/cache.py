"""A per-user cache for derived artefacts shared across homes (converted base models, llama.cpp's converter)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    root = Path(os.environ.get("FOLDERMIND_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = root / "foldermind" if "FOLDERMIND_CACHE" not in os.environ else root
    folder.mkdir(parents=True, exist_ok=True)
    return folder
