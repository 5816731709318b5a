"""The command line as a user types it: init, index, search, status, forget."""

from __future__ import annotations

import io
import json
import logging
import os
import unicodedata
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from foldermind.cli import app
from foldermind.errors import ExtractionError
from foldermind.home import open_home
from foldermind.indexer.embed import Embedder
from foldermind.lock import DAEMON_LOCK, exclusive
from foldermind.logs import setup_logging
from foldermind.progress import progress_bar
from tests.helpers import MIXED_FILES, running_server, write

runner = CliRunner()


def cli(home: Path, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output


def found_paths(home: Path, query: str) -> list[str]:
    """The paths `search --json` finds, read from stdout alone (a log line may go to stderr)."""
    found = runner.invoke(app, ["--home", str(home), "search", query, "--json"])
    assert found.exit_code == 0, found.output
    return [hit["path"] for hit in json.loads(found.stdout)["results"]]


@pytest.fixture
def indexed_home(home: Path) -> Path:
    for name, content in MIXED_FILES.items():
        write(home / "context" / name, content)
    cli(home, "index")
    return home


def test_init_creates_a_home_with_a_context_readme(tmp_path: Path) -> None:
    output = cli(tmp_path / "fm", "init")
    assert "ready" in output
    assert (tmp_path / "fm/context/README.md").exists() and (tmp_path / "fm/config.toml").exists()


def test_index_reports_what_it_did(indexed_home: Path) -> None:
    assert "0 indexed, 0 removed, 6 unchanged, 0 failed" in cli(indexed_home, "index")


def test_search_json_lists_results_with_path_title_score_text_metadata(indexed_home: Path) -> None:
    results = json.loads(cli(indexed_home, "search", "tomatoes planted", "--json", "-k", "2"))["results"]
    assert len(results) == 2
    assert results[0]["path"] == "notes/garden.html"
    assert set(results[0]) == {"path", "title", "score", "text", "metadata"}
    assert results[0]["metadata"]["heading"] == "Tomatoes"


def test_search_where_filters_by_category(indexed_home: Path) -> None:
    output = cli(indexed_home, "search", "anything at all", "--json", "--where", "category=work")
    assert {r["metadata"]["category"] for r in json.loads(output)["results"]} == {"work"}


def test_search_prints_a_readable_ranking(indexed_home: Path) -> None:
    output = cli(indexed_home, "search", "Lisbon hotel")
    assert output.startswith("1. ") and "notes/travel.json" in output.splitlines()[0]


def test_status_lists_counts_and_failed_files_with_reasons(indexed_home: Path) -> None:
    write(indexed_home / "context/broken.pdf", b"%PDF-1.4 not a pdf")
    write(indexed_home / "context/placeholder.md", "\n")  # an empty file is no failure: nothing to fix
    assert "1 failed, 1 empty;" in cli(indexed_home, "index")
    info = json.loads(cli(indexed_home, "status", "--json"))
    assert (info["documents"], info["vectors"] > 0, info["last_scan"] is not None) == (6, True, True)
    assert "PDF" in info["failed"]["broken.pdf"]
    shown = cli(indexed_home, "status")
    assert "1 file(s) could not be indexed:" in shown and "broken.pdf" in shown
    assert "1 empty file(s), nothing to index: placeholder.md" in shown


def test_status_says_a_daemon_that_holds_the_home_but_does_not_answer_yet_is_starting(indexed_home: Path) -> None:
    # a new user's try: right after `foldermind run`, while it loaded its models, status said "not running"
    with exclusive(open_home(indexed_home).data_dir / DAEMON_LOCK, "foldermind for this data folder"):
        assert "starting, or busy (its server does not answer)" in cli(indexed_home, "status")
    assert "not running (start it with" in cli(indexed_home, "status")


def test_status_of_a_daemon_with_changes_queued_says_it_is_about_to_read_them() -> None:
    # a new user's try: "idle, 1 change(s) queued" beside "nothing changed since the daemon started"
    from foldermind.cli import _doing, _last_indexed

    waiting = {"indexing": False, "training_running_since": None, "queue": 1, "last_indexed": None, "since": 0.0}
    assert (_doing(waiting), _last_indexed(waiting)) == ("about to index", "reading your folder now")
    settled = {**waiting, "queue": 0, "since": 1.7e9}
    assert _doing(settled) == "idle" and _last_indexed(settled).startswith("nothing changed since the daemon started")


def test_forget_removes_a_document_and_can_keep_it_out(indexed_home: Path) -> None:
    output = cli(indexed_home, "forget", str(indexed_home / "context/work/meeting.txt"), "--ignore")
    assert "Removed work/meeting.txt" in output
    cli(indexed_home, "index")
    assert json.loads(cli(indexed_home, "status", "--json"))["documents"] == 5


def test_errors_are_one_line_with_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--home", str(tmp_path / "nowhere"), "status"])
    assert result.exit_code == 1
    assert "foldermind init" in result.output and "Traceback" not in result.output


def test_ask_streams_an_answer_and_lists_its_sources(indexed_home: Path) -> None:
    output = cli(indexed_home, "ask", "When were the San Marzano tomatoes planted?")
    lines = output.strip().splitlines()
    assert any("notes/garden.html" in line and "[1]" in line for line in lines)
    assert lines[0].strip()
    evidence = lines.index(next(line for line in lines if line.strip().startswith("Evidence [1]")))
    assert "3rd of May" in lines[evidence + 1] and lines[evidence + 1].strip().startswith("│")


def test_ask_with_no_daemon_first_reads_the_files_dropped_in(indexed_home: Path) -> None:
    """No daemon watches the folder: `ask` reads what changed since the last index before it answers, so a file
    dropped in is not answered "Your index is empty" or left out."""
    write(indexed_home / "context/notes/boat.txt", "The sailboat Larkspur is moored at pier 9 in Ostend.\n")
    output = cli(indexed_home, "ask", "Where is the sailboat Larkspur moored?")
    assert "pier 9" in output and "notes/boat.txt" in output
    assert "0 indexed, 0 removed, 7 unchanged" in cli(indexed_home, "index")  # ask wrote it into the index


def test_ask_on_a_home_never_indexed_reads_it_first(home: Path) -> None:
    for name, content in MIXED_FILES.items():
        write(home / "context" / name, content)
    output = cli(home, "ask", "When were the San Marzano tomatoes planted?")
    assert "index is empty" not in output and "notes/garden.html" in output


def test_search_with_no_daemon_reads_what_changed_first(indexed_home: Path) -> None:
    (indexed_home / "context/notes/garden.html").unlink()
    write(indexed_home / "context/notes/boat.txt", "The sailboat Larkspur is moored at pier 9 in Ostend.\n")
    paths = found_paths(indexed_home, "sailboat moored")
    assert paths[0] == "notes/boat.txt" and "notes/garden.html" not in paths


def test_search_leaves_the_index_to_the_daemon_that_holds_the_data_folder(indexed_home: Path) -> None:
    """A daemon whose server does not answer in time (starting, or busy) still writes the index: a second
    writer is unsafe, so the folder is not read from here while it holds its lock."""
    write(indexed_home / "context/notes/boat.txt", "The sailboat Larkspur is moored at pier 9 in Ostend.\n")
    config = open_home(indexed_home)
    with exclusive(config.data_dir / DAEMON_LOCK, "foldermind for this data folder"):
        assert "notes/boat.txt" not in found_paths(indexed_home, "sailboat moored")
    assert found_paths(indexed_home, "sailboat moored")[0] == "notes/boat.txt"


def test_chat_keeps_a_conversation_until_an_empty_line(indexed_home: Path) -> None:
    result = runner.invoke(
        app, ["--home", str(indexed_home), "chat"], input="Which hotel is in Lisbon?\nAnd how many nights?\n\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("you> ") == 3
    assert "notes/travel.json" in result.output


def test_search_asks_the_running_server_so_it_does_not_load_the_model_itself(
    indexed_home: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_server(open_home(indexed_home), embedder) as (url, _):
        monkeypatch.setenv("FOLDERMIND_SERVER__PORT", url.rsplit(":", 1)[1])
        # This process could not load this model: only the server, which has MiniLM loaded, can answer.
        monkeypatch.setenv("FOLDERMIND_INDEXER__EMBEDDING_MODEL", str(indexed_home / "no-such-model"))
        results = json.loads(cli(indexed_home, "search", "tomatoes planted", "--json", "-k", "2"))["results"]
        assert results[0]["path"] == "notes/garden.html"
        assert "1. " in cli(indexed_home, "search", "tomatoes planted")
    alone = runner.invoke(app, ["--home", str(indexed_home), "search", "tomatoes planted"])
    assert alone.exit_code != 0


def test_search_and_status_do_not_ask_the_server_of_another_home_on_the_same_port(
    indexed_home: Path, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two homes keep the default port: with one's daemon running, the other's `search` and `status` read
    their own index (they showed the running home's files and its path)."""
    other = tmp_path / "other"
    cli(other, "init")
    write(other / "context/boat.md", "# Boat\n\nThe ferry captain is Odalys Tern.\n")
    cli(other, "index")
    with running_server(open_home(indexed_home), embedder) as (url, _):
        monkeypatch.setenv("FOLDERMIND_SERVER__PORT", url.rsplit(":", 1)[1])
        found = json.loads(cli(other, "search", "ferry captain", "--json", "-k", "3"))["results"]
        assert [hit["path"] for hit in found][:1] == ["boat.md"] and all("notes/" not in h["path"] for h in found)
        assert json.loads(cli(other, "status", "--json"))["home"] == str(other)
        assert "notes/garden.html" in cli(indexed_home, "search", "tomatoes planted")  # its own home's server


def test_models_list_and_status_show_how_many_held_out_questions_each_version_answers(indexed_home: Path) -> None:
    from foldermind.models import bundled_gguf, promote

    config = open_home(indexed_home)
    report = {
        "data": {"documents": 6},
        "base": {"answer_accuracy": 0.34, "user_perplexity": 30.0, "reference_perplexity": 17.0},
        "candidate": {"answer_accuracy": 0.61, "questions": 60, "user_perplexity": 20.0, "reference_perplexity": 17.2},
    }
    promote(config.data_dir, bundled_gguf(), report, None, keep=3)
    assert "61% (base 34%)" in cli(indexed_home, "models", "list")
    (_, version) = json.loads(cli(indexed_home, "models", "list", "--json"))
    assert version["answers"] == "answers 61% of 60 held-out questions right (base 34%)"
    status = " ".join(cli(indexed_home, "status").split())
    assert "live model answers v0001: answers 61% of 60 held-out questions right (base 34%)" in status


# Names rich markup or gitignore patterns would misread, each with a sibling an unescaped rule would match too.
ODD_NAMES = {
    "plan [draft].md": "plan d.md",
    "Q3 review [final].md": "Q3 review f.md",
    "star*note.md": "star and note.md",
    "what?.md": "whatX.md",
    "#hash.md": "hash.md",
    "!bang.md": "bang.md",
    "back\\slash.md": "backslash.md",
}


@pytest.fixture
def odd_home(tmp_path: Path) -> Path:
    home = tmp_path / "home [old]"  # shown by `status` too
    cli(home, "init")
    (home / "context/README.md").unlink()
    for number, (name, sibling) in enumerate(ODD_NAMES.items()):
        write(home / "context" / name, f"# {name} [v{number}]\n\nThe note named {name} has code zq{number}q.\n")
        write(home / "context" / sibling, f"# Sibling {number}\n\nA sibling note with code zs{number}s.\n")
    write(home / "context/broken [copy].pdf", b"%PDF-1.4 not a pdf")
    assert "skipped broken [copy].pdf" in cli(home, "index")
    return home


def test_odd_file_names_are_shown_exactly(odd_home: Path) -> None:
    for number, name in enumerate(ODD_NAMES):
        first = cli(odd_home, "search", f"zq{number}q", "--mode", "keyword", "-k", "1").splitlines()[0]
        assert first.startswith(f"1. {name} [v{number}]  {name}  {name} [v{number}], line 3  score"), first
    status = cli(odd_home, "status")
    assert "  broken [copy].pdf: " in status and "[old]" in status  # the file that failed, the home folder


def test_control_characters_in_names_and_text_are_shown_not_sent_to_the_terminal(home: Path) -> None:
    name = "clear\x1b[2Jscreen.md"  # a file name that would clear the terminal, and text that recolours it
    write(home / "context" / name, "# Title\x1b[31m red\n\nThe note has code zc1q and \x1b]0;title\x07 in it.\n")
    write(home / "context" / "bad\x1b[5m.pdf", b"%PDF-1.4 not a pdf")
    shown = [cli(home, "index"), cli(home, "search", "zc1q", "--mode", "keyword"), cli(home, "status")]
    assert not any("\x1b" in output or "\x07" in output for output in shown)
    assert "clear\\x1b[2Jscreen.md" in shown[1] and "bad\\x1b[5m.pdf" in shown[2]


def test_a_line_break_or_tab_in_a_name_is_shown_escaped_so_a_listing_keeps_one_line_per_file(home: Path) -> None:
    for number, name in enumerate(("new\nline.md", "tab\tname.md")):
        write(home / "context" / name, f"A note with code zn{number}q.\n")
    write(home / "context" / "two\nlines.pdf", b"%PDF-1.4 not a pdf")
    assert "skipped two\\nlines.pdf: " in cli(home, "index")
    first = cli(home, "search", "zn0q", "--mode", "keyword", "-k", "1").splitlines()[0]
    assert first.startswith("1. new\\nline  new\\nline.md  line 1  score"), first
    assert "tab\\tname.md" in cli(home, "search", "zn1q", "--mode", "keyword", "-k", "1")
    assert "  two\\nlines.pdf: " in cli(home, "status")
    assert "Removed new\\nline.md from the index." in cli(home, "forget", str(home / "context" / "new\nline.md"))


def test_the_progress_bar_shows_a_control_character_of_a_file_name() -> None:
    screen = io.StringIO()
    bar = progress_bar("Indexing", "files", Console(file=screen, force_terminal=True, width=200))
    with bar(1) as advance:
        advance("clear\x1b[2Jscreen.md")
    assert "clear\\x1b[2Jscreen.md" in screen.getvalue() and "\x1b[2J" not in screen.getvalue()


def test_a_logged_error_shows_the_control_characters_of_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging()
    try:
        raise ExtractionError("not a PDF: bad\x1b[5m.pdf")
    except ExtractionError:
        logging.getLogger("foldermind.test").exception("Could not read %s", "bad\x1b[5m.pdf")
    shown = " ".join(capsys.readouterr().err.split())  # the lines as rich wraps them, joined
    assert "\x1b" not in shown and "ExtractionError: not a PDF: bad\\x1b[5m.pdf" in shown


def test_forget_ignore_keeps_out_exactly_the_odd_file_named(odd_home: Path) -> None:
    for name in ODD_NAMES:
        output = " ".join(cli(odd_home, "forget", str(odd_home / "context" / name), "--ignore").split())
        assert f"Removed {name} from the index." in output
    assert "0 indexed, 0 removed" in cli(odd_home, "index")
    assert json.loads(cli(odd_home, "status", "--json"))["documents"] == len(ODD_NAMES)
    for number, sibling in enumerate(ODD_NAMES.values()):
        assert keyword_paths(odd_home, f"zq{number}q") == []
        assert keyword_paths(odd_home, f"zs{number}s") == [sibling]


def test_forget_finds_a_name_saved_with_decomposed_accents_as_typed_composed(home: Path) -> None:
    """macOS saves "café" as "cafe" and a combining accent (NFD); typed on a keyboard (NFC) it was "not in the
    index". The ignore rule names the file as saved, so it stays out."""
    saved = unicodedata.normalize("NFD", "café menu.md")
    write(home / "context" / saved, "The menu's code is zd4q.\n")
    cli(home, "index")
    output = " ".join(cli(home, "forget", "--ignore", "café menu.md").split())
    assert f"Removed {saved} from the index." in output
    assert "0 indexed, 0 removed" in cli(home, "index")
    assert keyword_paths(home, "zd4q") == []


def test_forget_ignore_of_a_name_that_is_not_utf8_as_shown_keeps_out_that_file(home: Path) -> None:
    # `forget --ignore -- 'more/caf\\xe9 latin1.md'`, the Latin-1 name as status shows it, wrote a rule for a name
    # with a literal backslash: the file came back on the next scan.
    context = home / "context"
    notes = {
        b"more/caf\xe9 latin1.md": "zl1q",  # Latin-1
        b"more/caf\\xe9 latin1.md": "zl2q",  # a backslash, an x, e and 9
        "more/café latin1.md".encode(): "zl3q",  # the UTF-8 copy
    }
    (context / "more").mkdir()
    for name, code in notes.items():
        with open(os.path.join(os.fsencode(context), name), "wb") as handle:
            handle.write(f"A note with code {code}.\n".encode())
    cli(home, "index")
    assert keyword_paths(home, "zl1q") == ["more/caf\\xe9 latin1.md"]
    assert keyword_paths(home, "zl2q") == ["more/caf\\x5cxe9 latin1.md"]
    output = " ".join(cli(home, "forget", "--ignore", "--", "more/caf\\xe9 latin1.md").split())
    assert "Removed more/caf\\xe9 latin1.md from the index." in output
    assert "Added /more/caf\\xe9 latin1.md to .foldermindignore" in output
    assert "0 indexed, 0 removed" in cli(home, "index")
    assert [keyword_paths(home, code) for code in ("zl1q", "zl2q", "zl3q")] == [
        [],
        ["more/caf\\x5cxe9 latin1.md"],
        ["more/café latin1.md"],
    ]
    output = " ".join(cli(home, "forget", "--ignore", "--", "more/caf\\x5cxe9 latin1.md").split())
    assert "Removed more/caf\\x5cxe9 latin1.md from the index." in output
    assert "0 indexed, 0 removed" in cli(home, "index")
    assert keyword_paths(home, "zl2q") == [] and keyword_paths(home, "zl3q") == ["more/café latin1.md"]


def keyword_paths(home: Path, word: str) -> list[str]:
    results = json.loads(cli(home, "search", word, "--mode", "keyword", "--json"))["results"]
    return [hit["path"] for hit in results]
