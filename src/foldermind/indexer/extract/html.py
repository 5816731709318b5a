"""HTML via BeautifulSoup: the main content (<main>/<article> when present), never menus or scripts."""

from __future__ import annotations

from pathlib import PurePath

from bs4 import BeautifulSoup, Tag

from foldermind.indexer.extract.base import Extracted, Section, decode_text

BOILERPLATE = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg"]
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
BLOCKS = [*HEADINGS, "p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "figcaption"]


def extract_html(data: bytes, path: PurePath) -> Extracted:
    soup = BeautifulSoup(decode_text(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    description = soup.find("meta", attrs={"name": "description"})
    for tag in soup(BOILERPLATE):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    sections: list[Section] = []
    heading: list[tuple[int, str]] = []
    body: list[str] = []
    offset = 0

    def flush() -> None:
        nonlocal offset, body
        text = "\n\n".join(body)
        if text.strip():
            sections.append(Section(text=text, heading=tuple(name for _, name in heading), start=offset))
            offset += len(text) + 2
        body = []

    for block in root.find_all(BLOCKS):
        if not isinstance(block, Tag) or block.find_parent(BLOCKS[len(HEADINGS) :]) is not None:
            continue  # nested blocks are read as part of their outer block
        text = block.get_text(" ", strip=True)
        if not text:
            continue
        if block.name in HEADINGS:
            flush()
            level = int(block.name[1])
            heading = [(lvl, name) for lvl, name in heading if lvl < level] + [(level, text)]
        else:
            body.append(text)
    flush()
    if not sections:
        loose = root.get_text("\n", strip=True)
        sections = [Section(text=loose)] if loose else []
    first_h1 = next((name for lvl, name in heading if lvl == 1), None)
    metadata = {"description": description.get("content")} if isinstance(description, Tag) else {}
    return Extracted(sections=sections, title=title or first_h1, metadata=metadata)
