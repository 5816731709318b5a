"""Formats that are zip files of XML (e-books, slides, sheets, OpenDocument): opened only after their sizes
are checked, so that a zip bomb given a document's name is refused with a reason, not unpacked into memory."""

from __future__ import annotations

import io
import zipfile
import zlib

from foldermind.errors import ExtractionError

MAX_UNPACKED = 512 * 1024 * 1024  # bytes all members may unpack to: far above any real document of these kinds
MAX_RATIO = 200  # unpacked / packed size of one member; XML packs 10-30x, a bomb 1,000x and more


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip file `data` as `kind` (".epub", ".xlsx"), after checking what it would unpack to.

    Raises ExtractionError when it is not a zip file, or when it would unpack to more than MAX_UNPACKED bytes
    or a member packs tighter than MAX_RATIO to 1 (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError(f"not a valid {kind} file (not a zip archive: {exc}); re-save or re-download it") from exc
    members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        raise ExtractionError(f"the {kind} file would unpack to {total / 2**30:.1f} GB; a zip bomb? not read")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ExtractionError(
                f"{member.filename} in the {kind} file packs {member.file_size // max(member.compress_size, 1)}:1;"
                " a zip bomb? not read"
            )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """One member's bytes; ExtractionError when the member is missing or damaged."""
    try:
        return archive.read(name)
    except KeyError:
        raise ExtractionError(f"the {kind} file lacks {name}; re-save or re-download it") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise ExtractionError(f"{name} in the {kind} file is damaged ({exc}); re-save or re-download it") from exc
