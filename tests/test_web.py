"""The chat page in a real headless Chromium: ask, watch the answer stream in, open a cited source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from tests.helpers import make_config, running_server

pytestmark = pytest.mark.slow
FILLER = "".join(f"Line {i}: the cellar shelf {i} holds jars of plum jam from the harvest.\n" for i in range(120))
NOTES = {
    "manual/pump.txt": f"PUMP(1)\n\n{FILLER}\n  -p, --pressure BAR\n        Set the water pump pressure, in bar.\n",
    "garden/tomatoes.md": "# Tomatoes\n\nThe San Marzano tomatoes were planted on the 3rd of May in bed four.\n",
    "garden/evil.md": (
        "# Pests\n\nSlugs ate the lettuce. <script>window.pwned = true</script>"
        ' <img src=x onerror="window.pwned=true">\n'
    ),
}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[str]:
    config = make_config(tmp_path_factory.mktemp("web"), NOTES, temperature=0.0, max_tokens=40)
    index_folder(Index(config, embedder=embedder))
    with running_server(config, embedder) as (address, _):
        yield address


@pytest.fixture
def page(browser: Browser, url: str) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(url)
    yield page
    page.close()


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.click("#send")
    expect(page.locator(".msg.assistant .sources").last).to_be_visible(timeout=60_000)


def test_the_header_shows_the_live_model_and_index_size(page: Page) -> None:
    expect(page.locator("#status")).to_contain_text("model: base")
    expect(page.locator("#status")).to_contain_text("3 documents")


def test_a_question_gets_a_streamed_answer_with_its_sources(page: Page) -> None:
    ask(page, "When were the San Marzano tomatoes planted?")
    answer = page.locator(".msg.assistant .answer-text").last
    assert answer.inner_text().strip() not in ("", "…")
    expect(page.locator(".msg.assistant .sources li").first).to_contain_text("Tomatoes")


def test_opening_a_source_shows_the_document_with_the_cited_passage_marked(page: Page) -> None:
    ask(page, "When were the San Marzano tomatoes planted?")
    page.locator(".msg.assistant .sources a.source-link").first.click()
    expect(page.locator("#viewer")).to_be_visible()
    expect(page.locator("#viewer-title")).to_have_text("Tomatoes")
    expect(page.locator("#viewer .chunk.cited")).to_contain_text("3rd of May")


def test_markup_in_a_note_is_shown_as_text_and_never_runs(page: Page) -> None:
    ask(page, "What ate the lettuce in the garden?")
    page.locator(".msg.assistant .sources a.source-link", has_text="Pests").first.click()
    expect(page.locator("#viewer .chunk").first).to_contain_text("<script>window.pwned = true</script>")
    assert page.evaluate("window.pwned === undefined")


def test_the_page_fits_a_phone_screen(browser: Browser, url: str, tmp_path: Path) -> None:
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(url)
    ask(phone, "When were the tomatoes planted?")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(tmp_path / "phone.png"))
    phone.close()


def test_the_evidence_under_an_answer_opens_the_document_at_its_lines(page: Page) -> None:
    ask(page, "Which option sets the water pump pressure?")
    quote = page.locator(".msg.assistant .evidence blockquote").first
    expect(quote).to_contain_text("--pressure")
    expect(page.locator(".msg.assistant .evidence")).to_contain_text("lines 124-125")
    page.locator(".msg.assistant .evidence a.evidence-link").first.click()
    mark = page.locator("#viewer mark.evidence-mark").first
    expect(mark).to_contain_text("Set the water pump pressure")
    expect(mark).to_be_in_viewport()
