"""The real daemon as a subprocess on a temporary folder: changes show up in /search, it stops cleanly,
recovers from kill -9, refuses a second instance, and runs the scheduled training."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from foldermind.config import Config
from foldermind.daemon.watcher import DirtyPaths, FolderWatch
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from tests.helpers import NOTES, free_port, memo_repeated, scanned_pdf, snapshot, wait_until, write

pytestmark = pytest.mark.slow


class Daemon:
    def __init__(self, home: Path, **env: str) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "FOLDERMIND_SERVER__PORT": str(self.port), **env}
        self.process: subprocess.Popen[str] | None = None

    def start(self, wait: bool = True) -> Daemon:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "foldermind", "--home", str(self.home), "run"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if wait:
            wait_until(lambda: httpx.get(f"{self.url}/health").status_code == 200, 60, "the daemon")
            wait_until(lambda: self.status()["daemon"]["last_indexed_at"] or self.idle(), 60, "the first reconcile")
        return self

    def status(self) -> dict:
        return httpx.get(f"{self.url}/status", timeout=5).json()

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`foldermind --home HOME ARGS` run beside the daemon, as a user would in another terminal."""
        return subprocess.run(
            [sys.executable, "-m", "foldermind", "--home", str(self.home), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def idle(self) -> bool:
        daemon = self.status()["daemon"]
        return not daemon["indexing"] and daemon["queue"] == 0

    def paths(self) -> set[str]:
        return {d["path"] for d in httpx.get(f"{self.url}/documents", timeout=5).json()["documents"]}

    def top(self, query: str) -> str | None:
        results = httpx.get(f"{self.url}/search", params={"q": query, "k": 1, "mode": "keyword"}, timeout=5).json()
        return results["results"][0]["path"] if results["results"] else None

    def settle(self, expected: set[str], timeout: float = 30) -> None:
        wait_until(lambda: self.paths() == expected, timeout, f"documents {sorted(expected)}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(15)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    init_home(root)
    (root / "context" / "README.md").unlink()
    return root


@pytest.fixture
def daemon(home: Path) -> Iterator[Daemon]:
    running = Daemon(home).start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def test_created_modified_renamed_moved_and_deleted_files_are_followed(daemon: Daemon, home: Path) -> None:
    context = home / "context"
    (context / "a.md").write_text("Pelicans fish in groups.")
    daemon.settle({"a.md"})
    (context / "a.md").write_text("Cormorants dive for fish.")
    wait_until(lambda: daemon.top("cormorants") == "a.md" and daemon.top("pelicans") is None, 30, "the edit")
    (context / "a.md").rename(context / "b.md")
    daemon.settle({"b.md"})
    (context / "birds").mkdir()
    shutil.move(context / "b.md", context / "birds" / "b.md")
    daemon.settle({"birds/b.md"})
    (context / "birds" / "b.md").unlink()
    daemon.settle(set())


def test_an_editors_atomic_save_is_indexed_once_with_the_new_text(daemon: Daemon, home: Path) -> None:
    target = home / "context" / "note.md"
    target.write_text("First draft about owls.")
    daemon.settle({"note.md"})
    temporary = home / "context" / ".note.md.tmp123"
    temporary.write_text("Final text about barn owls and tawny owls.")
    os.replace(temporary, target)
    wait_until(lambda: daemon.top("tawny") == "note.md", 30, "the saved text")
    assert daemon.paths() == {"note.md"}
    assert httpx.get(f"{daemon.url}/documents").json()["documents"][0]["chunks"] == 1


def test_a_burst_of_files_ends_with_each_indexed_once(daemon: Daemon, home: Path, tmp_path: Path) -> None:
    source = tmp_path / "incoming"
    source.mkdir()
    for i in range(150):
        (source / f"n{i:03d}.txt").write_text(f"Note number {i} mentions the token zq{i}x.")
    shutil.copytree(source, home / "context" / "incoming")
    expected = {f"incoming/n{i:03d}.txt" for i in range(150)}
    daemon.settle(expected, timeout=120)
    assert daemon.status()["chunks"] == 150


def test_a_folder_moved_out_deleted_and_recreated_leaves_nothing_stale(
    daemon: Daemon, home: Path, tmp_path: Path
) -> None:
    folder = home / "context" / "trip"
    folder.mkdir()
    (folder / "day1.md").write_text("We saw flamingos.")
    (folder / "day2.md").write_text("We saw ibises.")
    daemon.settle({"trip/day1.md", "trip/day2.md"})
    shutil.move(folder, tmp_path / "trip")
    daemon.settle(set())
    shutil.move(tmp_path / "trip", folder)
    daemon.settle({"trip/day1.md", "trip/day2.md"})
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "day3.md").write_text("We saw spoonbills.")
    daemon.settle({"trip/day3.md"})


def test_a_linked_folder_is_watched_like_a_real_one(home: Path, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "local.md").write_text("# Local\n\nThe local note mentions Saltmarsh lane.\n")
    (home / "context" / "papers").symlink_to(papers, target_is_directory=True)
    single = write(tmp_path / "elsewhere" / "plan.md", "# Plan\n\nThe plan mentions Hollowell bridge.\n")
    (home / "context" / "plan.md").symlink_to(single)  # one file linked in
    daemon = Daemon(home).start()
    try:
        daemon.settle({"papers/local.md", "plan.md"})
        (papers / "local.md").write_text("# Local\n\nThe local note now mentions Quarrybank row.\n")
        wait_until(lambda: daemon.top("quarrybank") == "papers/local.md", 10, "the edit in the linked folder")
        single.write_text("# Plan\n\nThe plan now mentions Wrenfield ford.\n")
        wait_until(lambda: daemon.top("wrenfield") == "plan.md", 10, "the edit of the linked file")
        (papers / "new.md").write_text("# New\n\nA new note about Ferncombe weir.\n")
        wait_until(lambda: daemon.top("ferncombe") == "papers/new.md", 10, "the new file in the linked folder")
        later = tmp_path / "later"
        later.mkdir()
        (later / "a.md").write_text("Linked while running: Moorend chapel.")
        (home / "context" / "later").symlink_to(later, target_is_directory=True)
        daemon.settle({"papers/local.md", "papers/new.md", "plan.md", "later/a.md"}, timeout=10)
        (later / "b.md").write_text("Written in a folder linked while running: Dunstable mill.")
        wait_until(lambda: daemon.top("dunstable") == "later/b.md", 10, "the file in the folder linked later")
        (home / "context" / "papers").unlink()
        daemon.settle({"plan.md", "later/a.md", "later/b.md"}, timeout=10)
    finally:
        daemon.stop()


def test_a_folder_reached_twice_is_watched_once_and_named_as_the_index_names_it(home: Path, tmp_path: Path) -> None:
    context, shared = home / "context", tmp_path / "shared"
    (shared / "deeper").mkdir(parents=True)
    (shared / "deeper" / "again").symlink_to(shared, target_is_directory=True)  # a loop
    for name in ("a-link", "b-link"):
        (context / name).symlink_to(shared, target_is_directory=True)
    dirty = DirtyPaths(context, lambda: None)
    watch = FolderWatch(context, [], True, dirty)
    watch.start()
    try:
        watch.replan()
        assert sorted(watch.watches) == sorted([str(context.resolve()), str(shared.resolve())])
        (shared / "deeper" / "n.md").write_text("A note.")
        wait_until(lambda: "a-link/deeper/n.md" in dirty.paths, 5, "the event named through the first link")
        assert not any(path.startswith(("b-link", "a-link/deeper/again")) for path in dirty.take())
        unfollowed = FolderWatch(context, [], False, DirtyPaths(context, lambda: None))
        unfollowed.start()
        unfollowed.replan()
        assert list(unfollowed.watches) == [str(context.resolve())]
        unfollowed.stop()
    finally:
        watch.stop()


def test_a_file_linked_within_the_folder_is_marked_by_both_its_names(home: Path) -> None:
    context = home / "context"
    real = write(context / "notes" / "real.md", "A note.")
    (context / "alias.md").symlink_to(real)
    dirty = DirtyPaths(context, lambda: None)
    watch = FolderWatch(context, [], True, dirty)
    watch.start()
    try:
        watch.replan()
        real.write_text("An edited note.")
        wait_until(lambda: {"notes/real.md", "alias.md"} <= dirty.paths, 5, "the edit named by the file and its link")
    finally:
        watch.stop()


def test_a_linked_file_s_folder_counts_only_that_file_until_it_is_linked_in_whole(home: Path, tmp_path: Path) -> None:
    context, outside = home / "context", tmp_path / "outside"
    plan = write(outside / "plan.md", "A plan.")
    (context / "plan.md").symlink_to(plan)
    dirty = DirtyPaths(context, lambda: None)
    watch = FolderWatch(context, [], True, dirty)
    watch.start()
    try:
        watch.replan()
        write(outside / "other.md", "Not linked.")
        (outside / "sub").mkdir()
        plan.write_text("An edited plan.")
        wait_until(lambda: "plan.md" in dirty.paths, 5, "the linked file's edit")
        assert dirty.take() == {"plan.md"} and not dirty.take_replan()  # its neighbours are not the folder's
        (context / "whole").symlink_to(outside, target_is_directory=True)
        watch.replan()
        write(outside / "sub" / "deep.md", "Deep in the folder linked later.")
        wait_until(lambda: "whole/sub/deep.md" in dirty.paths, 5, "a file in a subfolder of the folder linked in")
    finally:
        watch.stop()


MINUTES = [[f"Minutes of the board, page {n}", "The projector budget was approved."] for n in range(1, 21)]
# Long files: how each is made, what status shows while it is read, a query for its end, and the log lines of
# giving way and of going on.
LONG_FILES = {
    "talk.wav": (  # 80 s of speech
        lambda: memo_repeated(8),
        ", 00:00:",
        "projector",
        ("Paused transcribing talk.wav at 00:0", "Going on transcribing talk.wav from 00:0"),
    ),
    "minutes.pdf": (  # a 20-page scan
        lambda: scanned_pdf(MINUTES),
        "OCR of minutes.pdf",
        "minutes of the board page 20",
        ("Paused OCR of minutes.pdf after page ", "Going on with OCR of minutes.pdf: "),
    ),
}


@pytest.mark.parametrize("name", list(LONG_FILES))
def test_a_note_saved_while_a_long_file_is_read_is_indexed_before_it(home: Path, name: str) -> None:
    """A recording gives way at its next stretch of speech, a scan after the page OCR is reading; each goes on
    from there once the note is in."""
    make, reading, end, (paused, going_on) = LONG_FILES[name]
    (home / "context" / name).write_bytes(make())
    daemon = Daemon(home).start(wait=False)
    try:
        wait_until(lambda: httpx.get(f"{daemon.url}/health").status_code == 200, 60, "the daemon")
        wait_until(lambda: any(reading in line for line in daemon.status()["daemon"]["slow_work"]), 120, "reading")
        (home / "context" / "note.md").write_text("The plumber comes on Tuesday.")
        wait_until(lambda: daemon.top("plumber") == "note.md", 60, "the note")
        assert name not in daemon.paths()  # still being read: the note did not wait for it
        daemon.settle({"note.md", name}, timeout=300)
        assert daemon.top(end) == name
    finally:
        daemon.stop()
    log = (home / "data" / "logs" / "foldermind.log").read_text()
    assert paused in log
    assert going_on in log


def test_sigterm_stops_it_cleanly_within_ten_seconds(daemon: Daemon, home: Path) -> None:
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 10
    assert "foldermind stopped" in (home / "data" / "logs" / "foldermind.log").read_text()


def test_a_second_daemon_on_the_same_data_is_refused_naming_the_pid(daemon: Daemon, home: Path) -> None:
    second = daemon.command("run")
    assert second.returncode == 1
    assert f"pid {daemon.process.pid}" in second.stderr  # type: ignore[union-attr]


def test_status_answers_from_the_daemon_and_from_disk_when_it_is_down(daemon: Daemon, home: Path) -> None:
    started = daemon.command("status")
    # a new user's try: before any change it read "last indexed  - at never" while the daemon was running
    assert "nothing changed since the daemon started at" in started.stdout and "at never" not in started.stdout
    (home / "context" / "x.md").write_text("Kingfishers are blue.")
    daemon.settle({"x.md"})
    live = daemon.command("status", "--json")
    assert '"daemon": {' in live.stdout and '"documents": 1' in live.stdout
    daemon.stop()
    down = daemon.command("status")
    assert "not running" in down.stdout and "documents" in down.stdout


def test_kill_9_then_restart_gives_the_same_index_as_a_clean_rebuild(
    home: Path, tmp_path: Path, embedder: Embedder
) -> None:
    context = home / "context"
    running = Daemon(home).start()
    for i in range(60):
        (context / f"f{i}.md").write_text(f"# File {i}\n\nParagraph about topic {i} and the number {i * 7}.")
    time.sleep(1.5)
    running.stop(signal.SIGKILL)
    for i in range(0, 60, 3):
        (context / f"f{i}.md").unlink()  # changes while it is down
    (context / "late.md").write_text("Written while the daemon was down.")
    restarted = Daemon(home).start()
    expected = {f"f{i}.md" for i in range(60) if i % 3} | {"late.md"}
    restarted.settle(expected, timeout=120)
    restarted.stop()
    clean_home = tmp_path / "clean"
    init_home(clean_home)
    (clean_home / "context" / "README.md").unlink()
    shutil.copytree(context, clean_home / "context", dirs_exist_ok=True)
    clean = Index(open_home(clean_home), embedder=embedder)
    index_folder(clean)
    assert snapshot(Index(open_home(home), embedder=embedder)) == snapshot(clean)


def test_the_scheduled_training_runs_and_its_model_goes_live(home: Path) -> None:
    for name, text in NOTES.items():
        (home / "context" / name).parent.mkdir(parents=True, exist_ok=True)
        (home / "context" / name).write_text(text)
    # Far enough ahead that the daemon is up before it: a start that took over 20 s on a busy machine saw the
    # time pass and scheduled the next day's run.
    when = dt.datetime.now() + dt.timedelta(seconds=45)
    env = {
        "FOLDERMIND_TRAINER__SCHEDULE": f"{when.second} {when.minute} {when.hour} * * *",
        "FOLDERMIND_TRAINER__MAX_STEPS": "16",
        "FOLDERMIND_TRAINER__SEQ_LEN": "256",
        "FOLDERMIND_TRAINER__BATCH_SIZE": "2",
        "FOLDERMIND_TRAINER__LEARNING_RATE": "0.0005",
        "FOLDERMIND_TRAINER__MIN_ACCURACY_GAIN": "-1",  # a tiny night's few questions cannot show a gain
        "FOLDERMIND_TRAINER__MIN_GAIN": "-1",  # nor can its 16 steps be sure to lower perplexity
    }
    daemon = Daemon(home, **env).start()
    try:
        assert daemon.status()["daemon"]["next_training"].startswith(when.strftime("%Y-%m-%dT%H:%M:%S"))
        wait_until(lambda: daemon.status()["live_model"] == "v0001", 400, "the trained model to go live", 1.0)
        answer = httpx.post(
            f"{daemon.url}/v1/chat/completions",
            timeout=60,
            json={"messages": [{"role": "user", "content": "Who painted the bridge?"}], "max_tokens": 8},
        )
        assert answer.status_code == 200 and answer.json()["system_fingerprint"] == "v0001"
        assert daemon.status()["daemon"]["last_training"]["status"] == "promoted"
    finally:
        daemon.stop()


def test_the_polling_observer_follows_changes_too(home: Path) -> None:
    daemon = Daemon(home, FOLDERMIND_DAEMON__POLLING="true").start()
    try:
        assert daemon.status()["daemon"]["watcher"] == "polling"
        (home / "context" / "p.md").write_text("Puffins nest in burrows.")
        daemon.settle({"p.md"})
    finally:
        daemon.stop()


def _process_state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_paused_training_stops_running_goes_on_when_resumed_and_can_still_be_stopped(
    monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    from foldermind.daemon import scheduler

    child = subprocess.Popen(["sleep", "60"], start_new_session=True)  # stands in for `foldermind train`
    monkeypatch.setitem(scheduler._current, "process", child)
    try:
        scheduler.pause_training(True, config)
        wait_until(lambda: _process_state(child.pid) == "T", 5, "the training to stop")
        scheduler.pause_training(False, config)
        wait_until(lambda: _process_state(child.pid) == "S", 5, "the training to go on")
        scheduler.pause_training(True, config)
        scheduler.stop_training()
        assert child.wait(5) == -signal.SIGTERM
    finally:
        child.kill()


def test_a_training_on_the_gpu_is_not_paused_for_a_chat(monkeypatch: pytest.MonkeyPatch, config: Config) -> None:
    from foldermind.daemon import scheduler
    from foldermind.trainer.runs import training_on_gpu

    child = subprocess.Popen(["sleep", "60"], start_new_session=True)  # stands in for `foldermind train`
    monkeypatch.setitem(scheduler._current, "process", child)
    try:
        training_on_gpu(config, "NVIDIA H200")  # what the training stage says while it runs on a GPU
        scheduler.pause_training(True, config)
        time.sleep(0.5)
        assert _process_state(child.pid) == "S"
        training_on_gpu(config, None)  # the stage ended: merging and scoring share the CPU again
        scheduler.pause_training(True, config)
        wait_until(lambda: _process_state(child.pid) == "T", 5, "the training to stop")
    finally:
        child.kill()
