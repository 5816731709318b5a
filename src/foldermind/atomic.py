"""Writing files so that a crash at any moment leaves the old content or the new one, never a torn mix: write
beside the target, flush to disk (fsync), then rename over the target in one step. Without the fsync a
power cut after the rename can leave an empty file under the new name."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Text files: the live pointer, a run's state, the last result, config.toml."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_durably(written: Path, target: Path) -> None:
    """Move a file or folder written beside its target (models, exports) into place, once its bytes are on
    disk."""
    for path in [written, *written.rglob("*")] if written.is_dir() else [written]:
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    os.replace(written, target)
