"""The indexer keeps Chroma, the manifest and the full-text index equal to the folder, and exact."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pathspec
import pytest

from foldermind.config import Config
from foldermind.errors import IndexStateError
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.records import sha256_hex
from foldermind.indexer.scan import add_ignore_rule, ignore_rule, scan_folder
from foldermind.indexer.search import search
from tests.helpers import MIXED_FILES, make_docx, make_pdf, snapshot, write


@pytest.fixture
def mixed(context: Path) -> Path:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    write(context / "manuals/pump.pdf", make_pdf(["The pump needs oil every spring.", "Replace the filter yearly."]))
    write(context / "work/report.docx", make_docx("Report", {"Findings": "Sales rose by 12 percent."}))
    return context


def test_every_supported_type_is_indexed(index: Index, mixed: Path) -> None:
    report = index_folder(index)
    assert report.failed == {}
    assert set(snapshot(index)) == {*MIXED_FILES, "manuals/pump.pdf", "work/report.docx"}


def test_document_metadata_is_recorded(index: Index, mixed: Path) -> None:
    index_folder(index)
    row = index.manifest.db.execute("SELECT * FROM documents WHERE path = 'recipes/bread.md'").fetchone()
    data = (mixed / "recipes/bread.md").read_bytes()
    assert (row["title"], row["category"], row["file_type"], row["size"]) == (
        "Sourdough bread",
        "recipes",
        "md",
        len(data),
    )
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert row["tags"] == '["baking", "fermentation"]'
    assert row["metadata"] == '{"source": "grandma"}'


def test_a_second_run_with_nothing_changed_embeds_nothing(index: Index, mixed: Path) -> None:
    index_folder(index)
    before = snapshot(index)
    report = index_folder(index)
    assert (report.indexed, report.removed, report.chunks_embedded) == ([], [], 0)
    assert report.unchanged == len(before)
    assert snapshot(index) == before


def test_touching_a_file_does_not_reembed_it(index: Index, mixed: Path) -> None:
    index_folder(index)
    os.utime(mixed / "work/meeting.txt", ns=(1, 1))
    report = index_folder(index)
    assert report.chunks_embedded == 0
    assert index_folder(index).unchanged == len(snapshot(index))


def test_a_changed_file_replaces_its_chunks(index: Index, mixed: Path) -> None:
    index_folder(index)
    write(mixed / "work/meeting.txt", "The budget review moved to Friday.\n")
    report = index_folder(index)
    assert report.indexed == ["work/meeting.txt"]
    assert snapshot(index)["work/meeting.txt"] == [("The budget review moved to Friday.", "", None)]
    assert search(index, "Alice Moreau", mode="keyword") == []


def test_a_deleted_file_loses_its_chunks(index: Index, mixed: Path) -> None:
    index_folder(index)
    (mixed / "notes/travel.json").unlink()
    report = index_folder(index)
    assert report.removed == ["notes/travel.json"]
    assert "notes/travel.json" not in snapshot(index)


def test_a_renamed_file_is_rekeyed_without_embedding(index: Index, mixed: Path) -> None:
    index_folder(index)
    before = snapshot(index)["recipes/bread.md"]
    (mixed / "archive").mkdir()
    shutil.move(mixed / "recipes/bread.md", mixed / "archive/bread.md")
    report = index_folder(index)
    assert report.chunks_embedded == 0
    assert report.removed == ["recipes/bread.md"]
    after = snapshot(index)
    assert after["archive/bread.md"] == before and "recipes/bread.md" not in after
    assert search(index, "rye flour starter", k=1)[0].metadata["category"] == "archive"


def test_the_same_text_in_two_files_is_embedded_once(index: Index, context: Path) -> None:
    write(context / "a.txt", "Identical paragraph about lighthouse keepers.")
    write(context / "b.txt", "Identical paragraph about lighthouse keepers.")
    report = index_folder(index)
    assert (report.chunks_embedded, report.chunks_reused) == (1, 1)
    ids = sorted(index.manifest.all_chunk_ids())
    vectors = index.vectors.vectors(ids)
    assert np.allclose(vectors[ids[0]], vectors[ids[1]])


def test_ignored_files_are_not_indexed(index: Index, context: Path) -> None:
    write(context / ".hidden.md", "secret")
    write(context / ".git/config.txt", "git internals")
    write(context / "draft.md~", "backup")
    write(context / "notes.md.swp", "swap")
    write(context / "~$report.docx", b"lock")
    write(context / "private/diary.md", "my diary")
    write(context / "keep.md", "kept note")
    write(context / ".foldermindignore", "private/\n")
    index_folder(index)
    assert set(snapshot(index)) == {"keep.md"}


def test_config_ignore_patterns_apply(config: Config, embedder: Embedder, context: Path) -> None:
    config.indexer.ignore = ["*.txt"]
    write(context / "a.txt", "text")
    write(context / "b.md", "markdown")
    idx = Index(config, embedder=embedder)
    index_folder(idx)
    assert set(snapshot(idx)) == {"b.md"}


BAD_FILES: dict[str, bytes] = {
    "broken.pdf": b"%PDF-1.4 this is not a pdf",
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 8,
}


def test_bad_files_are_listed_with_a_reason_and_the_rest_is_indexed(index: Index, context: Path) -> None:
    for name, data in BAD_FILES.items():
        write(context / name, data)
    write(context / "good.md", "A good note about herons.")
    report = index_folder(index)
    assert set(report.failed) == set(BAD_FILES)
    assert set(index.manifest.failures()) == set(BAD_FILES)
    assert set(snapshot(index)) == {"good.md"}


def test_a_failed_file_is_not_retried_until_it_changes(index: Index, context: Path) -> None:
    write(context / "broken.pdf", BAD_FILES["broken.pdf"])
    index_folder(index)
    assert index_folder(index).failed == {}
    write(context / "broken.pdf", b"")
    write(context / "broken.pdf", make_pdf(["Now a real PDF about kestrels."]))
    report = index_folder(index)
    assert report.indexed == ["broken.pdf"] and index.manifest.failures() == {}


def test_a_failure_disappears_when_the_file_is_deleted(index: Index, context: Path) -> None:
    write(context / "empty.txt", b"")
    index_folder(index)
    (context / "empty.txt").unlink()
    index_folder(index)
    assert index.manifest.failures() == {}


def test_a_file_over_the_size_limit_is_skipped(config: Config, embedder: Embedder, context: Path) -> None:
    config.indexer.max_file_mb = 0.001
    write(context / "big.txt", "words " * 1000)
    idx = Index(config, embedder=embedder)
    assert "max_file_mb" in index_folder(idx).failed["big.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_skipped_with_a_reason(index: Index, context: Path) -> None:
    path = write(context / "locked.txt", "secret")
    path.chmod(0)
    assert "permission denied" in index_folder(index).failed["locked.txt"]


def test_a_non_utf8_file_name_is_indexed_under_an_escaped_name(index: Index, context: Path) -> None:
    raw = os.path.join(os.fsencode(context), b"caf\xe9.txt")
    with open(raw, "wb") as handle:
        handle.write(b"Notes about espresso machines.")
    assert index_folder(index).failed == {}
    assert list(snapshot(index)) == ["caf\\xe9.txt"]
    os.unlink(raw)
    assert index_folder(index).removed == ["caf\\xe9.txt"]


def test_a_latin1_name_and_a_name_with_a_literal_backslash_x_are_two_files(index: Index, context: Path) -> None:
    # "caf<0xE9>.md" and "caf\\xe9.md" (a backslash, an x, e and 9 in the name) were both stored as "caf\\xe9.md":
    # one of them was indexed, and status said nothing of the other.
    (context / "clash").mkdir()
    with open(os.path.join(os.fsencode(context), b"clash/caf\xe9.md"), "wb") as handle:
        handle.write(b"The Latin-1 note names the keeper Ottoline Fairweather.")
    write(context / "clash/caf\\xe9.md", "The backslash note names the keeper Ptolemy Ashgrove.")
    report = index_folder(index)
    assert sorted(report.indexed) == ["clash/caf\\x5cxe9.md", "clash/caf\\xe9.md"] and report.failed == {}
    assert search(index, "Ottoline Fairweather", k=1, mode="keyword")[0].path == "clash/caf\\xe9.md"
    assert search(index, "Ptolemy Ashgrove", k=1, mode="keyword")[0].path == "clash/caf\\x5cxe9.md"
    assert index_folder(index).indexed == []


def test_a_file_whose_shown_name_changed_is_read_again_under_it(
    index: Index, context: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index made before names were shown one for each file keeps a name with a literal "\\xe9" as it was; the
    # next scan reads that file again under its new name and leaves the others as they are.
    write(context / "caf\\xe9.md", "The note names the keeper Ptolemy Ashgrove.")
    write(context / "plain.md", "A plain note.")

    def old(relative: str) -> str:  # display_path before: a literal backslash as it is
        return os.fsencode(relative).decode("utf-8", errors="backslashreplace")

    with monkeypatch.context() as patched:
        patched.setattr("foldermind.indexer.scan.display_path", old)
        patched.setattr("foldermind.indexer.pipeline.display_path", old)
        assert sorted(index_folder(index).indexed) == ["caf\\xe9.md", "plain.md"]
    report = index_folder(index)
    assert (report.indexed, report.removed, report.failed) == (["caf\\x5cxe9.md"], ["caf\\xe9.md"], {})
    assert sorted(snapshot(index)) == ["caf\\x5cxe9.md", "plain.md"]
    assert search(index, "Ptolemy Ashgrove", k=1, mode="keyword")[0].path == "caf\\x5cxe9.md"


def test_a_name_ending_in_spaces_or_a_dot_is_read_by_its_suffix(index: Index, context: Path) -> None:
    # Windows drops what such names end in; a file copied from elsewhere may keep it.
    write(context / "plan .md ", "# Plan\n\nThe Quillfeather budget is 9,400 euros.\n")
    write(context / "Minutes.TXT.", "Brackenridge chaired the meeting.")
    write(context / "examples.train.jsonl ", '{"prompt": "Who chairs?", "completion": "Brackenridge."}\n')
    report = index_folder(index)
    assert sorted(report.indexed) == ["Minutes.TXT.", "examples.train.jsonl ", "plan .md "]
    assert report.failed == {}
    types = dict(index.manifest.db.execute("SELECT path, file_type FROM documents").fetchall())
    assert types == {"plan .md ": "md", "Minutes.TXT.": "txt", "examples.train.jsonl ": "examples"}
    assert search(index, "Quillfeather budget")[0].path == "plan .md "


def test_a_symlink_loop_is_listed_and_does_not_stop_the_run(index: Index, context: Path) -> None:
    os.symlink(context / "loop-b.md", context / "loop-a.md")
    os.symlink(context / "loop-a.md", context / "loop-b.md")
    os.symlink(context, context / "self")
    write(context / "fine.md", "A fine note.")
    report = index_folder(index)
    assert set(report.failed) == {"loop-a.md", "loop-b.md", "self"}  # "self" links back to the folder
    assert set(snapshot(index)) == {"fine.md"}


def test_changing_the_embedding_settings_rebuilds_everything(
    config: Config, embedder: Embedder, index: Index, mixed: Path
) -> None:
    index_folder(index)
    before = index.vectors.name
    config.indexer.chunk_tokens = 128
    rebuilt = Index(config, embedder=embedder)
    with pytest.raises(IndexStateError, match="foldermind index"):
        search(rebuilt, "bread")
    report = index_folder(rebuilt)
    assert report.rebuilt and len(report.indexed) == len(MIXED_FILES) + 2
    assert before not in [c.name for c in rebuilt.vectors.client.list_collections()]
    assert snapshot(rebuilt)


def test_an_interrupted_write_is_rolled_back_on_the_next_run(index: Index, context: Path) -> None:
    write(context / "a.md", "Herons nest in colonies.")
    index_folder(index)
    stray = index.manifest.chunk_ids_of(["a.md"])[0].replace("-0", "-99")
    index.manifest.add_pending([stray])
    index.vectors.upsert([stray], np.ones((1, 384), np.float32) / np.sqrt(384), [{"path": "ghost.md"}])
    assert index.recover() == 1
    snapshot(index)


def test_indexing_only_named_paths_touches_nothing_else(index: Index, context: Path) -> None:
    write(context / "a.md", "Alpha note.")
    write(context / "dir/b.md", "Beta note.")
    index_folder(index)
    write(context / "a.md", "Alpha changed.")
    write(context / "dir/c.md", "Gamma note.")
    (context / "dir/b.md").unlink()
    report = index_folder(index, only={"dir"})
    assert sorted(report.indexed) == ["dir/c.md"] and report.removed == ["dir/b.md"]
    assert snapshot(index)["a.md"] == [("Alpha note.", "", None)]
    assert index_folder(index, only={"a.md"}).indexed == ["a.md"]


def test_chunks_know_the_line_of_the_file_they_start_on(index: Index, context: Path) -> None:
    write(
        context / "notes/plan.md",
        "---\ntitle: Plan\n---\n# Plan\n\nFirst paragraph.\n\n## Budget\n\nThe budget is 300 euros.\n",
    )
    write(context / "notes/list.txt", "apples\npears\n\nplums are ripe in August\n")
    index_folder(index)
    assert search(index, "budget euros", k=1)[0].line == 10
    assert search(index, "plums ripe", k=1, mode="keyword")[0].line == 1


def test_linked_files_and_folders_are_followed_and_a_loop_is_listed(
    index: Index, context: Path, tmp_path: Path
) -> None:
    outside = write(tmp_path / "elsewhere/shared/recipe.md", "# Soup\n\nLeek soup needs two leeks.\n").parent
    (context / "linked").symlink_to(outside, target_is_directory=True)
    (context / "loop").symlink_to(context, target_is_directory=True)
    (context / "gone.md").symlink_to(tmp_path / "missing.md")
    report = index_folder(index)
    assert "linked/recipe.md" in report.indexed
    assert "loop" in report.failed and "link loop" in report.failed["loop"]
    assert "broken link" in report.failed["gone.md"]
    from foldermind.indexer.scan import outside as outside_of

    assert outside_of(context, ["linked/recipe.md"]) == {"linked/recipe.md": str(outside.resolve() / "recipe.md")}


@pytest.mark.parametrize("inside", [True, False])
def test_a_link_to_a_folder_indexed_already_is_not_a_copy_when_the_watcher_names_it_alone(
    index: Index, context: Path, tmp_path: Path, inside: bool
) -> None:
    """A new user's try: with the daemon running, a link to a folder indexed already (inside the folder, or
    linked in from outside as well) was indexed as a copy, which its folder's later changes did not reach,
    while `index` leaves it out as a loop. Both now say the same, whichever names the link."""
    real = context / "enc" if inside else tmp_path / "outside/papers"
    write(real / "lighthouse.md", "# Lighthouse\n\nThe keeper is Rasmus Tollemache.\n")
    if not inside:
        (context / "papers").symlink_to(real, target_is_directory=True)
    index_folder(index)
    (context / "zz-alias").symlink_to(real, target_is_directory=True)
    by_watcher = index_folder(index, only={"zz-alias"})
    assert by_watcher.indexed == [] and "link loop" in by_watcher.failed["zz-alias"]
    assert not [path for path in snapshot(index) if path.startswith("zz-alias/")]
    assert "zz-alias" not in index_folder(index).indexed


def test_links_are_left_alone_when_following_them_is_off(index: Index, context: Path, tmp_path: Path) -> None:
    index.config.indexer.follow_symlinks = False
    secret = write(tmp_path / "private/passwords.txt", "the vault code is 1234\n")
    (context / "passwd-link.txt").symlink_to(secret)
    write(context / "note.md", "# Note\n\nA real note.\n")
    report = index_folder(index)
    assert report.indexed == ["note.md"] and not report.failed


@pytest.mark.parametrize(
    ("name", "sibling"),  # the sibling is what an unescaped rule for the name would match as well (or instead)
    [
        ("plan [draft].md", "plan d.md"),
        ("star*note.md", "star and note.md"),
        ("what?.md", "whatX.md"),
        ("#hash.md", "hash.md"),
        ("!bang.md", "bang.md"),
        ("back\\slash.md", "backslash.md"),
        ("trailing.md  ", "trailing.md"),
        ("notes [old]/plan [draft].md", "notes o/plan d.md"),
    ],
)
def test_an_ignore_rule_matches_its_file_and_not_a_sibling(name: str, sibling: str) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines([ignore_rule(name)])
    assert spec.match_file(name) and not spec.match_file(sibling)


def test_a_rule_for_a_name_with_a_line_break_stays_one_line(context: Path) -> None:
    for name in ("new\nline.md", "form\x0cfeed.md", "line.md", "feed.md"):
        write(context / name, "A note.")
    add_ignore_rule(context, "new\nline.md")
    add_ignore_rule(context, "form\x0cfeed.md")  # a break the ignore file's reader ends a line at too
    assert sorted(scan_folder(context, [])[0]) == ["feed.md", "line.md"]


@pytest.mark.parametrize(
    ("shown", "kept_out"),
    [
        ("more/caf\\xe9 latin1.md", b"more/caf\xe9 latin1.md"),  # as status shows the Latin-1 name
        ("more/caf\\x5cxe9 latin1.md", b"more/caf\\xe9 latin1.md"),  # as it shows a literal backslash
    ],
)
def test_a_rule_for_a_name_as_shown_keeps_out_that_file_only(context: Path, shown: str, kept_out: bytes) -> None:
    # `forget --ignore 'more/caf\\xe9 latin1.md'` wrote a rule for a name with a literal backslash: the Latin-1
    # file came back on the next scan. A `?` for the byte would keep out the UTF-8 "café latin1.md" as well.
    names = [
        b"more/caf\xe9 latin1.md",
        b"more/caf\\xe9 latin1.md",
        "more/café latin1.md".encode(),
        b"more/cafe latin1.md",
    ]
    (context / "more").mkdir()
    for name in names:
        with open(os.path.join(os.fsencode(context), name), "wb") as handle:
            handle.write(b"A note.")
    before = sorted(scan_folder(context, [])[0])
    assert len(before) == len(names)
    assert add_ignore_rule(context, shown) == "/" + shown.replace("\\x5c", "\\\\")
    assert sorted(scan_folder(context, [])[0]) == [path for path in before if path != shown]
    assert os.fsencode(ignore_rule(shown)) == b"/" + kept_out.replace(b"\\", b"\\\\")


def test_a_rule_added_to_an_ignore_file_keeps_out_that_file_only(context: Path) -> None:
    write(context / ".foldermindignore", "*.txt")  # the user's rule, without a newline at the end
    for name in ("notes [old]/plan [draft].md", "notes [old]/plan d.md", "notes o/plan d.md", "a.txt"):
        write(context / name, "A note.")
    assert add_ignore_rule(context, "notes [old]/plan [draft].md") == "/notes \\[old\\]/plan \\[draft\\].md"
    assert sorted(scan_folder(context, [])[0]) == ["notes [old]/plan d.md", "notes o/plan d.md"]


def test_a_table_s_rows_are_embedded_under_the_file_s_name_and_prose_is_not(index: Index, context: Path) -> None:
    write(context / "crew-list.csv", "Name,Room\nSaoirse Dunne,Deck 2\nPriya Anand,Bridge\n")
    write(context / "log.md", "The crew met on deck.\n")
    index_folder(index)
    row, prose = "Name: Saoirse Dunne\nRoom: Deck 2\n\nName: Priya Anand\nRoom: Bridge", "The crew met on deck."
    hashes = [sha256_hex(f"crew-list\n{row}"), sha256_hex(prose)]
    assert set(index.manifest.chunks_by_text_hash(hashes)) == set(hashes)
