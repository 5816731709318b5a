"""Writing files so that a crash at any moment leaves the old content or the new one, never a torn mix: write
beside the target, flush to disk (fsync), then rename over the target in one step. Without the fsync a
power cut after the rename can leave an empty file under the new name."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _written_beside(path: Path, text: str) -> Path:
    """A hidden temporary file beside `path` holding `text`, its bytes on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomic(path: Path, text: str) -> None:
    """Text files: the live pointer, a run's state, the last result, config.toml."""
    temporary = _written_beside(path, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str) -> None:
    """A new text file (a note an assistant adds), whole or absent, and never in place of one that exists: it
    is linked into place, which fails when the name is taken, even by a file made a moment before.
    Raises FileExistsError then."""
    temporary = _written_beside(path, text)
    try:
        os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def replace_durably(written: Path, target: Path) -> None:
    """Move a file or folder written beside its target (models, exports) into place, once its bytes are on
    disk."""
    for path in [written, *written.rglob("*")] if written.is_dir() else [written]:
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    os.replace(written, target)
