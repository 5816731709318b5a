"""Walking the context folder: which files exist, with the stat that says whether they changed.

Only `stat` is read here, never content, so a rescan of thousands of unchanged files takes a moment.
"""

from __future__ import annotations

import os
import re
import stat as stat_module
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pathspec

from foldermind.indexer.extract import supported
from foldermind.indexer.extract.base import suffix_of

IGNORE_FILE = ".foldermindignore"
ALWAYS_IGNORED = [
    ".*",  # hidden files and folders, .git among them
    "~$*",  # Office lock files
    "*~",
    "*.swp",
    "*.swo",
    "*.tmp",
    "*.temp",
    "*.part",
    "*.crdownload",
    "*.download",
    "__pycache__/",
    "node_modules/",
    IGNORE_FILE,
]
LINK_LOOP = "not followed: a link to a folder indexed already (a link loop?)"
GLOB_CHARACTERS = re.compile(r"[\\\[\]*?!]|^#")  # special in a gitignore pattern (# at the start), so escaped
LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # where str.splitlines() ends a line
ESCAPED_BYTE = re.compile(r"\\x([0-9a-fA-F]{2})")  # a byte as `display_path` shows it
LIKE_AN_ESCAPE = re.compile(r"\\(?=x[0-9a-fA-F]{2})")  # a backslash of a name that would read as one


@dataclass(frozen=True)
class FileStat:
    real_path: Path
    size: int
    mtime_ns: int
    ctime: float


def display_path(relative: str) -> str:
    """A file name's text form, one for each name, so every name can be stored: bytes that are not UTF-8 are shown
    as \\xNN, and a backslash of the name that would read as one (before "x" and two hex digits: the name
    "caf\\xe9.md" beside "caf<0xE9>.md") as \\x5c ("caf\\x5cxe9.md"); other names are shown as they are.
    `real_name` turns it back. A file whose text form changes (a new version of this) is read again under it."""
    return os.fsencode(LIKE_AN_ESCAPE.sub(r"\\x5c", relative)).decode("utf-8", errors="backslashreplace")


def real_name(shown: str) -> str:
    """The file name, as os.walk gives it (a byte that is not UTF-8 as a surrogate), that `display_path` shows as
    `shown`."""
    parts = ESCAPED_BYTE.split(shown)  # text, a byte's hex digits, text, ...
    data = b"".join(
        bytes([int(part, 16)]) if odd else part.encode("utf-8", errors="surrogateescape")
        for odd, part in ((number % 2, part) for number, part in enumerate(parts))
    )
    return os.fsdecode(data)


def ignore_rule(relative: str) -> str:
    """The .foldermindignore line that matches exactly this file (its `display_path`, relative to the folder the
    ignore file is in) and nothing else: its name anchored with a leading `/`, the glob characters `\\ [ ] * ? !`
    and a leading `#` escaped with a backslash, and trailing spaces too (git drops them unless they are escaped).
    A line break in the name (any that the ignore file's reader ends a line at), which no rule can hold, is matched
    by `?`: the rule stays one line (else its tail, "line.md" of "new\\nline.md", would be a rule of its own for
    every file of that name). A byte that is not UTF-8 stays that byte (a surrogate here, as os.walk names it;
    the ignore file is written and read so), as git's ignore files hold such names: a `?` would match "café.md"
    in UTF-8 beside its Latin-1 copy too."""
    name = real_name(relative)
    escaped = LINE_BREAKS.sub("?", GLOB_CHARACTERS.sub(r"\\\g<0>", name))
    kept = escaped.rstrip(" ")
    return "/" + kept + "\\ " * (len(escaped) - len(kept))


def add_ignore_rule(folder: Path, relative: str) -> str:
    """Append the rule that keeps out exactly `relative` (a `display_path`) to the folder's .foldermindignore;
    returns the rule as it is shown (a byte that is not UTF-8 as \\xNN)."""
    rule = ignore_rule(relative)
    path = folder / IGNORE_FILE
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    with path.open("a", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(("\n" if text and not text.endswith("\n") else "") + rule + "\n")
    return rule.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")


class IgnoreRules:
    """Gitignore-style rules: the built-in ones, config's `ignore`, and every .foldermindignore found."""

    def __init__(self, root: Path, extra: list[str]) -> None:
        self.root = root
        self.base = pathspec.GitIgnoreSpec.from_lines([*ALWAYS_IGNORED, *extra])
        self.nested: dict[str, pathspec.GitIgnoreSpec] = {}
        self.loaded: set[str] = set()

    def load_folder(self, relative_dir: str) -> None:
        if relative_dir in self.loaded:
            return
        self.loaded.add(relative_dir)
        ignore_file = self.root / relative_dir / IGNORE_FILE
        if ignore_file.is_file():
            # a byte that is not UTF-8 as the surrogate os.walk names it by (`ignore_rule`)
            lines = ignore_file.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
            self.nested[relative_dir] = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, relative: str, is_dir: bool = False) -> bool:
        candidate = relative + "/" if is_dir else relative
        if self.base.match_file(candidate):
            return True
        for folder, spec in self.nested.items():
            if folder in ("", ".") or relative.startswith(folder + "/"):
                inner = candidate if folder in ("", ".") else candidate[len(folder) + 1 :]
                if spec.match_file(inner):
                    return True
        return False


def category_of(relative: str) -> str:
    """The first subfolder is the category; files at the top level have none."""
    parts = PurePosixPath(relative).parts
    return parts[0] if len(parts) > 1 else ""


def _stat_file(
    folder: str, name: str, found: dict[str, FileStat], problems: dict[str, str], shown: str, follow_links: bool
) -> None:
    path = os.path.join(folder, name)
    if not follow_links and os.path.islink(path):
        return
    try:
        stat = os.stat(path)  # follows a symlinked file to its target
    except FileNotFoundError:
        if os.path.islink(path):
            problems[shown] = "cannot read: a broken link"
        return
    except OSError as exc:
        problems[shown] = f"cannot read: {exc.strerror or exc} (a looping link?)"
        return
    if stat_is_file(stat):
        found[shown] = FileStat(Path(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime)


def stat_is_file(stat: os.stat_result) -> bool:
    return stat_module.S_ISREG(stat.st_mode)


def walk_folders(
    root: Path,
    rules: IgnoreRules,
    follow_links: bool,
    start: Path | None = None,
    problems: dict[str, str] | None = None,
) -> Iterator[tuple[str, str, list[str]]]:
    """(folder, its path relative to `root`, its file names) for each folder the indexer walks, from `start`
    (default: `root`) down, in name order, leaving out the folders the rules ignore.

    Links to folders are followed when `follow_links`; a folder reached twice (a link loop, two links to one
    folder) is walked the first time only, and the second way in is listed in `problems`."""
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(start or root, followlinks=follow_links):
        relative_dir = os.path.relpath(folder, root)
        relative_dir = "" if relative_dir == "." else relative_dir.replace(os.sep, "/")
        try:
            identity = os.stat(folder)
        except OSError:
            continue
        if (identity.st_dev, identity.st_ino) in seen:
            if problems is not None:
                problems[display_path(relative_dir)] = LINK_LOOP
            dirs[:] = []
            continue
        seen.add((identity.st_dev, identity.st_ino))
        rules.load_folder(relative_dir)
        prefix = relative_dir + "/" if relative_dir else ""
        dirs[:] = sorted(d for d in dirs if not rules.ignored(prefix + d, is_dir=True))
        yield folder, relative_dir, files


def unread_type(name: str) -> str:
    """How `status` names the type of a file foldermind does not read: its suffix, lower case."""
    return suffix_of(PurePosixPath(name)) or "(no extension)"


def scan_folder(
    root: Path,
    extra_ignore: list[str],
    under: str = "",
    rules: IgnoreRules | None = None,
    follow_links: bool = True,
    unread: Counter[str] | None = None,
) -> tuple[dict[str, FileStat], dict[str, str]]:
    """Every indexable file (display path -> stat) in the folder, or in its subfolder `under`,
    and the ones that could not be stat'ed, with why. Pass `rules` to reuse them across many calls, and
    `unread` to have the files of types not read (not ignored) counted into it by type (unread_type).

    Links to files and folders are followed when `follow_links` (users link folders in); a folder reached
    twice (a link loop) is walked once and listed as a problem."""
    rules = rules or IgnoreRules(root, extra_ignore)
    parts = PurePosixPath(under).parts if under else ()
    for depth in range(len(parts)):  # ignore files of the folders above `under` apply too
        rules.load_folder("/".join(parts[:depth]))
    if under and follow_links and _through_folder_link(root, under):
        # Which way into a folder reached twice is walked is the whole walk's to say (the first in name order):
        # a link to a folder indexed already is not indexed as a copy where the watcher names it alone.
        everything, trouble = scan_folder(root, extra_ignore, rules=rules, follow_links=True, unread=unread)
        below = {display_path(under)}
        return (
            {path: stat for path, stat in everything.items() if within(path, below)},
            {path: why for path, why in trouble.items() if within(path, below)},
        )
    found: dict[str, FileStat] = {}
    problems: dict[str, str] = {}
    start = root / under if under else root
    if under and (rules.ignored(under, is_dir=start.is_dir()) or not start.exists()):
        return found, problems
    if under and not start.is_dir():
        if supported(PurePosixPath(under)):
            _stat_file(str(start.parent), start.name, found, problems, display_path(under), follow_links)
        return found, problems
    for folder, relative_dir, files in walk_folders(root, rules, follow_links, start, problems):
        prefix = relative_dir + "/" if relative_dir else ""
        for name in files:
            relative = prefix + name
            if rules.ignored(relative):
                continue
            if supported(PurePosixPath(name)):
                _stat_file(folder, name, found, problems, display_path(relative), follow_links)
            elif unread is not None:
                unread[unread_type(name)] += 1
    return found, problems


def _through_folder_link(root: Path, under: str) -> bool:
    """Whether a path below the folder is, or lies in, a link to a folder."""
    parts = PurePosixPath(under).parts
    return any(
        os.path.islink(path) and os.path.isdir(path)
        for path in (root.joinpath(*parts[:depth]) for depth in range(1, len(parts) + 1))
    )


def within(path: str, targets: set[str]) -> bool:
    """Whether a path is one of the targets (files or folders, relative to the folder) or lies below one."""
    return path in targets or any(path.startswith(target + "/") for target in targets)


def outside(root: Path, paths: list[str]) -> dict[str, str]:
    """The indexed paths whose file lies outside the folder (reached through a link), with where it lies."""
    base = os.path.realpath(root)
    found: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(root / path)
        if os.path.commonpath([base, real]) != base:
            found[path] = real
    return found
