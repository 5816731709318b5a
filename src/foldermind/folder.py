"""The context folder as the page changes it: files saved into it (uploads), and files moved out of it into a
trash inside the data folder, from where they can be put back.

An upload is written beside its target under a hidden `.tmp` name (which the indexer ignores), flushed to disk,
then linked into place in one step: the watcher sees a whole file appear, never a half-written one, and a file
already there is never overwritten. Names are checked before anything is written: no part may climb out of the
folder (`..`), start at the root, be hidden, or lead through a link to somewhere else.

    data/trash/20261130-061502-123456/garden/roses.md    one folder per removal, the file at its old path
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from foldermind.config import Config
from foldermind.errors import FoldermindError

TRASH = "trash"
MAX_NAME_BYTES = 255


class NameRefused(FoldermindError):
    """The name would put the file outside the context folder, or where the indexer would never read it."""


class TooLarge(FoldermindError):
    """The upload is bigger than [server] upload_max_mb."""


class AlreadyThere(FoldermindError):
    """A file of that name exists; nothing is overwritten."""


class Missing(FoldermindError):
    """The file to remove or restore is not there."""


def _parts(text: str, what: str) -> list[str]:
    if text.startswith(("/", "\\")) or (len(text) > 1 and text[1] == ":"):
        raise NameRefused(f"The {what} '{text}' is an absolute path; give a name inside the folder.")
    parts = [part for part in text.replace("\\", "/").split("/") if part]
    for part in parts:
        if part in (".", ".."):
            raise NameRefused(f"The {what} '{text}' climbs out of the folder ('{part}').")
        if part.startswith("."):
            raise NameRefused(f"The {what} '{text}' is hidden ('{part}'): foldermind never reads hidden files.")
        if any(ord(char) < 32 for char in part) or len(part.encode()) > MAX_NAME_BYTES:
            raise NameRefused(f"The {what} '{text!r}' has control characters or is too long for a file name.")
    return parts


def upload_target(context: Path, category: str, name: str) -> tuple[str, Path]:
    """Where a file named `name` uploaded into `category` goes: its path relative to the folder (as the index
    names it) and on disk. Refuses names that would land outside the folder, directly or through a link."""
    named = _parts(name, "file name")
    if not named:
        raise NameRefused("The file has no name.")
    parts = _parts(category, "category") + named
    root = context.resolve()
    target = root.joinpath(*parts)
    folder = target.parent
    while not folder.exists() and folder != root:
        folder = folder.parent
    if folder.resolve() != folder or not folder.resolve().is_relative_to(root):
        raise NameRefused(f"'{'/'.join(parts)}' would be saved through a link that leads outside the folder.")
    if target.is_symlink():
        raise NameRefused(f"'{'/'.join(parts)}' is a link; it is not replaced by an upload.")
    if target.exists():
        raise AlreadyThere(f"'{'/'.join(parts)}' is in the folder already; remove it first or rename the upload.")
    return "/".join(parts), target


def check_size(size: int, limit_bytes: int) -> None:
    if size > limit_bytes:
        raise TooLarge(f"The file is over the upload limit of {limit_bytes / 1048576:g} MB ([server] upload_max_mb).")


class AtomicUpload:
    """Bytes written to a hidden temporary file beside `target`, put in place by `commit` (or dropped)."""

    def __init__(self, target: Path, limit_bytes: int) -> None:
        self.target, self.limit, self.size = target, limit_bytes, 0
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        self.temporary = Path(temporary)
        self.stream = os.fdopen(handle, "wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        check_size(self.size, self.limit)
        self.stream.write(data)

    def commit(self) -> None:
        """Flush to disk, then link into place: fails (AlreadyThere) rather than replace a file saved meanwhile."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        try:
            os.link(self.temporary, self.target)
        except FileExistsError:
            raise AlreadyThere(f"'{self.target.name}' appeared in the folder during the upload.") from None

    def __enter__(self) -> AtomicUpload:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Trashed:
    id: str  # the removal's folder and the file's old path: "20261130-061502-123456/garden/roses.md"
    path: str  # where it was in the context folder
    removed: str  # when, ISO 8601

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "path": self.path, "removed": self.removed}


def trash_dir(config: Config) -> Path:
    return config.data_dir / TRASH


def move_to_trash(config: Config, relative: str) -> Trashed:
    """Move a file of the context folder into the trash (the watcher then drops it from the index)."""
    parts = _parts(relative, "path")
    root = config.context_dir.resolve()
    source = root.joinpath(*parts)
    if not source.resolve().is_relative_to(root) or source.is_symlink():
        raise NameRefused(f"'{relative}' comes from outside the folder through a link; remove the link instead.")
    if not source.is_file():
        raise Missing(f"'{relative}' is no longer in the folder.")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    destination = trash_dir(config) / stamp / Path(*parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, destination)
    return Trashed(f"{stamp}/{'/'.join(parts)}", "/".join(parts), _removed_at(stamp))


def _removed_at(stamp: str) -> str:
    return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f").isoformat(timespec="seconds")


def trashed(config: Config) -> list[Trashed]:
    """Everything in the trash, most recently removed first."""
    folder = trash_dir(config)
    found = []
    for stamp in sorted(folder.iterdir(), reverse=True) if folder.is_dir() else []:
        for file in sorted(p for p in stamp.rglob("*") if p.is_file()):
            path = file.relative_to(stamp).as_posix()
            found.append(Trashed(f"{stamp.name}/{path}", path, _removed_at(stamp.name)))
    return found


def restore(config: Config, trash_id: str) -> str:
    """Put a trashed file back where it was; refuses when a file of that name is there again."""
    stamp, _, relative = trash_id.partition("/")
    entry = next((t for t in trashed(config) if t.id == f"{stamp}/{relative}"), None)
    if entry is None:
        raise Missing(f"Nothing in the trash is called '{trash_id}'.")
    path, target = upload_target(config.context_dir, "", entry.path)
    source = trash_dir(config) / stamp / Path(*_parts(relative, "path"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    removal = trash_dir(config) / stamp
    if not any(p.is_file() for p in removal.rglob("*")):
        shutil.rmtree(removal)
    return path
