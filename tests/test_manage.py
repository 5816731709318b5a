"""The page's JSON routes over real HTTP on loopback: uploads land in the folder whole and never outside it,
removals go to a trash they come back from, models switch and roll back, and no page of another origin can
make any of it happen."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from foldermind import feedback
from foldermind.config import Config
from foldermind.doctor import problems
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.models import bundled_gguf, current_name, promote
from foldermind.trainer.runs import RunProgress, save_last_result
from tests.helpers import make_config, running_server, wait_until

NOTES = {"garden/roses.md": "# Roses\n\nThe climbing roses bloom in June.\n", "top.md": "# Top\n\nA note.\n"}


@pytest.fixture
def served(tmp_path: Path, embedder: Embedder) -> Iterator[tuple[str, Config]]:
    config = make_config(tmp_path / "home", NOTES, upload_max_mb=0.01)
    index_folder(Index(config, embedder=embedder))
    with running_server(config, embedder) as (url, _):
        yield url, config


def upload(url: str, name: str, body: bytes = b"# New\n\nfresh words\n", category: str = "", **headers: str):
    params = {"name": name, "category": category}
    return httpx.post(f"{url}/documents/upload", params=params, content=body, headers=headers)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


LOSS_CURVE = [[step, round(1.6 + 1.4 * 0.97**step, 4)] for step in range(1, 121)]  # a night's 120 steps


def night(config: Config, status: str, accuracy: float, at: float, reasons: tuple[str, ...] = ()) -> str | None:
    """A night as a training run leaves it: a promoted version with its report (or none), and its ending."""
    scores = {"reference_perplexity": 20.0}
    report = {
        "candidate": {"answer_accuracy": accuracy, "questions": 20, "user_perplexity": 9.5, **scores},
        "base": {"answer_accuracy": 0.2, "questions": 20, "user_perplexity": 12.0, **scores},
        "data": {"documents": 2},
        "training": {
            "steps": 120,
            "resumed_from": None,
            "loss": 1.83,
            "seconds": 840.0,
            "tokens_per_second": 140.2,
            "loss_curve": LOSS_CURVE,
        },
    }
    version = promote(config.data_dir, bundled_gguf(), report, None, keep=3) if status == "promoted" else None
    record = {"status": status, "message": f"night {status}", "version": version, "reasons": list(reasons)}
    save_last_result(config, {**record, "report": report, "finished_at": at})
    return version


def test_an_upload_lands_whole_in_its_category_and_leaves_no_temporary_file(served: tuple[str, Config]) -> None:
    url, config = served
    beans = b"# Beans\n\nRunner beans climb the poles.\n"
    reply = upload(url, "beans.md", beans, category="garden")
    assert reply.status_code == 201, reply.text
    assert reply.json() == {"path": "garden/beans.md", "size": len(beans)}
    assert (config.context_dir / "garden/beans.md").read_bytes() == beans
    assert files_under(config.context_dir) == {"garden/roses.md", "top.md", "garden/beans.md"}


def test_a_file_of_a_dropped_folder_keeps_its_subfolder(served: tuple[str, Config]) -> None:
    url, config = served
    assert upload(url, "trip/day1.md", category="travel").json()["path"] == "travel/trip/day1.md"
    assert (config.context_dir / "travel/trip/day1.md").is_file()


def test_an_upload_never_replaces_a_file(served: tuple[str, Config]) -> None:
    url, config = served
    reply = upload(url, "roses.md", b"overwritten", category="garden")
    assert reply.status_code == 409 and reply.json()["error"]["code"] == "alreadythere"
    assert b"climbing roses" in (config.context_dir / "garden/roses.md").read_bytes()


@pytest.mark.parametrize(
    ("category", "name"),
    [
        ("", "../escaped.md"),
        ("", "a/../../escaped.md"),
        ("..", "escaped.md"),
        ("", "/tmp/escaped.md"),
        ("/tmp", "escaped.md"),
        ("", "..\\escaped.md"),
        ("", ".hidden.md"),
        ("", "bad\x01name.md"),
        ("garden", ""),
    ],
)
def test_names_that_leave_the_folder_are_refused(served: tuple[str, Config], category: str, name: str) -> None:
    url, config = served
    before = files_under(config.home)
    reply = upload(url, name or "/", category=category)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["type"] == "invalid_request_error" and reply.json()["error"]["param"] == "name"
    assert files_under(config.home) == before
    assert not Path("/tmp/escaped.md").exists()


def test_a_link_inside_the_folder_cannot_carry_an_upload_outside(served: tuple[str, Config], tmp_path: Path) -> None:
    url, config = served
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, config.context_dir / "linked")
    os.symlink(outside / "target.md", config.context_dir / "dangling.md")
    for category, name in [("linked", "x.md"), ("", "linked/x.md"), ("", "dangling.md"), ("linked/deeper", "x.md")]:
        reply = upload(url, name, category=category)
        assert reply.status_code == 400, (category, name, reply.text)
    assert list(outside.iterdir()) == []


def test_an_upload_over_the_limit_is_refused_and_nothing_is_written(served: tuple[str, Config]) -> None:
    url, config = served
    big = b"x" * 20_000  # upload_max_mb = 0.01, about 10 KB
    reply = upload(url, "big.md", big)
    assert reply.status_code == 413 and "upload_max_mb" in reply.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while the bytes arrive
        for _ in range(20):
            yield b"y" * 1000

    reply = httpx.post(f"{url}/documents/upload", params={"name": "streamed.md"}, content=chunks())
    assert reply.status_code == 413
    assert files_under(config.context_dir) == {"garden/roses.md", "top.md"}


def test_documents_are_listed_by_a_filter_as_search_takes_it(served: tuple[str, Config]) -> None:
    url, _ = served
    listed = httpx.get(f"{url}/documents", params={"where": "category=garden"}).json()["documents"]
    assert [d["path"] for d in listed] == ["garden/roses.md"]
    assert httpx.get(f"{url}/documents", params={"where": "source=nobody"}).json()["documents"] == []
    malformed = httpx.get(f"{url}/documents", params={"where": "garden"})
    assert malformed.status_code == 400 and malformed.json()["error"]["param"] == "where"


def test_a_removed_document_goes_to_the_trash_and_comes_back(served: tuple[str, Config]) -> None:
    url, config = served
    roses = next(d for d in httpx.get(f"{url}/documents").json()["documents"] if d["path"] == "garden/roses.md")
    assert roses["indexed"] and roses["chunks"] == 1
    trashed = httpx.delete(f"{url}/documents/{roses['id']}").json()["trashed"]
    assert trashed["path"] == "garden/roses.md"
    assert not (config.context_dir / "garden/roses.md").exists()
    assert (config.data_dir / "trash" / trashed["id"]).read_text().startswith("# Roses")
    assert httpx.get(f"{url}/trash").json()["trash"] == [trashed]
    assert httpx.delete(f"{url}/documents/{roses['id']}").status_code == 404  # the file is gone already
    restored = httpx.post(f"{url}/trash/restore", json={"id": trashed["id"]})
    assert restored.json() == {"path": "garden/roses.md"}
    assert (config.context_dir / "garden/roses.md").read_text().startswith("# Roses")
    assert httpx.get(f"{url}/trash").json()["trash"] == []
    missing = httpx.post(f"{url}/trash/restore", json={"id": "../../config.toml"})
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found_error"


def test_models_switch_roll_back_and_show_every_night(served: tuple[str, Config]) -> None:
    url, config = served
    day = 86400.0
    first = night(config, "promoted", 0.35, time.time() - 2 * day)
    night(config, "rejected", 0.30, time.time() - day, ("answers 30% right, the live model 35%",))
    second = night(config, "promoted", 0.55, time.time())
    history = httpx.get(f"{url}/models/history").json()
    assert history["live"] == second == "v0002" and first == "v0001"
    assert [v["name"] for v in history["versions"]] == ["base", "v0001", "v0002"]
    assert [(n["status"], n["accuracy"], n["base_accuracy"]) for n in history["nights"]] == [
        ("promoted", 0.35, 0.2),
        ("rejected", 0.30, 0.2),
        ("promoted", 0.55, 0.2),
    ]
    assert history["nights"][1]["reasons"] == ["answers 30% right, the live model 35%"]
    figures = {"steps": 120, "seconds": 840.0, "tokens_per_second": 140.2, "loss": 1.83, "loss_curve": LOSS_CURVE}
    assert history["nights"][2]["training"] == figures
    assert (history["nights"][2]["perplexity"], history["nights"][2]["base_perplexity"]) == (9.5, 12.0)
    assert httpx.post(f"{url}/models/rollback").json() == {"live": "v0001"}
    assert current_name(config.data_dir) == "v0001"
    assert httpx.post(f"{url}/models/use", json={"version": "base"}).json() == {"live": "base"}
    refused = httpx.post(f"{url}/models/rollback")
    assert refused.status_code == 409 and "nothing older" in refused.json()["error"]["message"]
    unknown = httpx.post(f"{url}/models/use", json={"version": "v0099"})
    assert unknown.status_code == 404 and unknown.json()["error"]["param"] == "version"


def test_the_training_under_way_shows_its_stage_steps_loss_and_eta_and_nothing_once_it_ends(
    served: tuple[str, Config],
) -> None:
    url, config = served
    assert httpx.get(f"{url}/models/training").json()["progress"] is None
    run = RunProgress(config, {"merge": 30, "export": 20, "quantize": 10, "evaluate": 100})  # as the last run took
    run.stage("train")
    run.step(1, 16, 2.5, 150.0, 300)
    run.step(2, 16, 2.25, 151.0, 280)
    progress = httpx.get(f"{url}/models/training").json()["progress"]
    assert (progress["stage"], progress["stage_number"], progress["stages"]) == ("train", 3, 8)
    assert (progress["done"], progress["total"], progress["loss_curve"]) == (2, 16, [[1, 2.5], [2, 2.25]])
    assert 438 <= progress["eta_seconds"] <= 440 and not progress["eta_partial"]  # 280 s of steps + 160 s after
    assert progress["summary"] == "stage 3 of 8, training: step 2 of 16, loss 2.25, 151 tokens/s; about 7 min left"
    assert httpx.get(f"{url}/models/history").json()["training"]["progress"]["done"] == 2
    run.stage("evaluate")
    run.advance(1, 3, "measuring the live model")
    progress = httpx.get(f"{url}/models/training").json()["progress"]
    assert progress["summary"].startswith("stage 7 of 8, asking base, live and new model the held-out questions: ")
    assert "measuring the live model (2 of 3); about 2 min left" in progress["summary"]
    run.close()
    assert httpx.get(f"{url}/models/training").json()["progress"] is None


def test_the_progress_of_a_training_killed_before_it_could_clear_it_is_not_shown(
    served: tuple[str, Config],
) -> None:
    url, config = served
    RunProgress(config, {}).stage("merge")  # the first run: no stage has an estimate yet
    assert httpx.get(f"{url}/models/training").json()["progress"]["eta_partial"]
    record = json.loads((config.data_dir / "training/progress.json").read_text())
    ended = subprocess.Popen(["true"])  # a trainer killed by kill -9 left its file naming a process now gone
    ended.wait()
    record["pid"] = ended.pid
    (config.data_dir / "training/progress.json").write_text(json.dumps(record))
    assert httpx.get(f"{url}/models/training").json()["progress"] is None


def test_training_now_needs_the_daemon(served: tuple[str, Config]) -> None:
    url, _ = served
    reply = httpx.post(f"{url}/models/train")
    assert reply.status_code == 503 and "foldermind run" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_page_of_another_origin_cannot_change_anything(served: tuple[str, Config], headers: dict[str, str]) -> None:
    url, config = served
    night(config, "promoted", 0.5, time.time())
    form = {"Content-Type": "application/x-www-form-urlencoded", **headers}  # what a <form> posts
    replies = [
        upload(url, "csrf.md", **form),
        httpx.post(f"{url}/models/rollback", headers=form, content=b"a=b"),
        httpx.post(f"{url}/models/use", headers=headers, json={"version": "base"}),
        httpx.delete(f"{url}/documents/1", headers=headers),
        httpx.post(f"{url}/trash/restore", headers=headers, json={"id": "x/y"}),
    ]
    for reply in replies:
        assert reply.status_code == 403 and reply.json()["error"]["code"] == "cross_origin", reply.text
    assert not (config.context_dir / "csrf.md").exists()
    assert current_name(config.data_dir) == "v0001"
    assert upload(url, "ok.md", Origin=url).status_code == 201  # the page itself may


def test_the_new_routes_need_the_api_key_when_one_is_set(tmp_path: Path, embedder: Embedder) -> None:
    config = make_config(tmp_path / "keyed", {}, api_key="s3cret")
    with running_server(config, embedder) as (url, _):
        assert upload(url, "a.md").status_code == 401
        assert httpx.get(f"{url}/models/history").status_code == 401
        assert httpx.post(f"{url}/models/rollback").status_code == 401
        assert upload(url, "a.md", Authorization="Bearer s3cret").status_code == 201


def test_a_question_while_the_folder_is_first_read_is_told_how_far_reading_got(
    tmp_path: Path, embedder: Embedder
) -> None:
    config = make_config(tmp_path / "reading", {})
    with running_server(config, embedder) as (url, state):
        asked = {"messages": [{"role": "user", "content": "When do the roses bloom?"}]}
        before = httpx.post(f"{url}/v1/chat/completions", json=asked, timeout=60).json()
        assert before["choices"][0]["message"]["content"].startswith("Your index is empty")
        state.reading = lambda: (3, 120)  # what the daemon's worker tells it while the first indexing runs
        during = httpx.post(f"{url}/v1/chat/completions", json=asked, timeout=60).json()
        assert "still reading your folder (3 of 120 files)" in during["choices"][0]["message"]["content"]


def test_status_lists_what_is_wrong_in_doctor_s_words(served: tuple[str, Config]) -> None:
    url, config = served
    assert httpx.get(f"{url}/status").json()["problems"] == []  # a healthy set-up: the banner stays hidden
    polled = [check.name for check in problems(config, "polling")]
    assert polled == ["file watching"]


def test_ratings_are_kept_edited_and_deleted_and_corrections_become_examples(served: tuple[str, Config]) -> None:
    url, config = served
    answer = {"question": "When do the roses bloom?", "answer": "In May.", "sources": [{"path": "garden/roses.md"}]}
    wrong = httpx.post(f"{url}/feedback", json={**answer, "rating": "down", "correction": "In June."})
    assert wrong.status_code == 201
    good = httpx.post(f"{url}/feedback", json={**answer, "answer": "In June.", "rating": "up"}).json()
    blank = httpx.post(f"{url}/feedback", json={**answer, "question": "  ", "rating": "down", "correction": "x"})
    stored = [json.loads(line) for line in (config.data_dir / "feedback.jsonl").read_text().splitlines()]
    assert [(e["rating"], e["correction"]) for e in stored] == [("down", "In June."), ("up", ""), ("down", "x")]
    assert stored[0]["sources"] == [{"path": "garden/roses.md"}] and stored[0]["question"] == answer["question"]
    chats, rejected = feedback.examples(config)
    assert chats == [
        [{"role": "user", "content": "When do the roses bloom?"}, {"role": "assistant", "content": "In June."}]
    ]
    assert rejected == [f'feedback.jsonl {blank.json()["id"]}: "prompt" must be a non-empty string']
    edited = httpx.put(f"{url}/feedback/{good['id']}", json={"rating": "down", "correction": "June, on the shed."})
    assert edited.json()["correction"] == "June, on the shed."
    assert len(feedback.examples(config)[0]) == 2
    assert httpx.delete(f"{url}/feedback/{wrong.json()['id']}").json() == {"deleted": wrong.json()["id"]}
    assert [e["id"] for e in httpx.get(f"{url}/feedback").json()["feedback"]] == [good["id"], blank.json()["id"]]
    missing = httpx.delete(f"{url}/feedback/nope")
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "feedback_id"
    bad = httpx.post(f"{url}/feedback", json={**answer, "rating": "meh"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "rating"
    assert (
        httpx.post(f"{url}/feedback", json={**answer, "rating": "up"}, headers={"Origin": "http://x"}).status_code
        == 403
    )


def test_an_answer_rated_right_measures_and_a_corrected_question_only_teaches(served: tuple[str, Config]) -> None:
    url, config = served

    def rate(question: str, rating: str, correction: str = "") -> None:
        answer = {"question": question, "answer": "An answer.", "rating": rating, "correction": correction}
        assert httpx.post(f"{url}/feedback", json=answer).status_code == 201

    rate("When do the roses bloom?", "up")
    rate("When do the roses bloom?", "down", "In June.")  # rated right once, corrected later: it teaches
    rate("Where is the shed?", "up")
    rate("where is  the shed?", "up")  # the same question again: asked once
    rate("Who planted them?", "down")  # wrong, with no right answer given: neither
    rate("What colour are they?", "up")
    measured = [entry["question"] for entry in feedback.rated_right(config)]
    taught = [chat[0]["content"] for chat in feedback.examples(config)[0]]
    assert measured == ["What colour are they?", "where is  the shed?"] and taught == ["When do the roses bloom?"]


@pytest.mark.slow
def test_train_now_starts_one_training_in_the_daemon_and_its_night_is_listed(home: Path) -> None:
    from tests.test_daemon import Daemon

    (home / "context" / "one.md").write_text("# One\n\nJust one short note.\n", encoding="utf-8")
    daemon = Daemon(home).start()
    try:
        started = httpx.post(f"{daemon.url}/models/train", timeout=10)
        assert started.status_code == 202 and started.json() == {"status": "started"}
        wait_until(lambda: daemon.status()["daemon"]["training_running_since"], 30, "the training to start")
        again = httpx.post(f"{daemon.url}/models/train", timeout=10)
        assert again.status_code == 409 and again.json()["error"]["code"] == "training_running"
        wait_until(lambda: httpx.get(f"{daemon.url}/models/history").json()["nights"], 240, "the training to end")
        nights = httpx.get(f"{daemon.url}/models/history").json()["nights"]
        assert [n["status"] for n in nights] == ["nothing_to_learn"] and "1 document(s)" in nights[0]["message"]
    finally:
        daemon.stop()
